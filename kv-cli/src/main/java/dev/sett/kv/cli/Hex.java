package dev.sett.kv.cli;

/** Lowercase hexadecimal text for byte strings, as {@code --hex} reads and prints them. */
final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /**
   * Encodes bytes as two lowercase digits each.
   *
   * @param bytes the bytes
   * @return the hex text, empty for no bytes
   */
  static String encode(byte[] bytes) {
    char[] c = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      c[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      c[2 * i + 1] = DIGITS[bytes[i] & 0xf];
    }
    return new String(c);
  }

  /**
   * Decodes hex text; either case, an optional {@code 0x} prefix.
   *
   * @param text an even number of hex digits
   * @return the bytes
   * @throws IllegalArgumentException if the text is not hex or has an odd length
   */
  static byte[] decode(String text) {
    String s = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    if (s.length() % 2 != 0) {
      throw new IllegalArgumentException(
          "'" + text + "' is not hex: odd number of digits (" + s.length() + ")");
    }
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      int hi = Character.digit(s.charAt(2 * i), 16);
      int lo = Character.digit(s.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException(
            "'" + text + "' is not hex: bad digit at position " + (2 * i + (hi < 0 ? 0 : 1)));
      }
      b[i] = (byte) (hi << 4 | lo);
    }
    return b;
  }
}
