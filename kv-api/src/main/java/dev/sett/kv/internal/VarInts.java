package dev.sett.kv.internal;

/**
 * Unsigned LEB128 varints, the length encoding of every Sett file format. Decoding is defensive:
 * it never reads past the given limit and rejects encodings longer than ten bytes.
 */
public final class VarInts {
  private VarInts() {}

  /**
   * Encoded length of a value.
   *
   * @param v an unsigned value
   * @return 1 to 10
   */
  public static int size(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /**
   * Writes a varint.
   *
   * @param buf the destination
   * @param pos where to write
   * @param v an unsigned value
   * @return the position after the varint
   */
  public static int put(byte[] buf, int pos, long v) {
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
    return pos;
  }

  /**
   * Reads a varint.
   *
   * @param buf the source
   * @param pos where the varint starts
   * @param limit the end of the readable bytes
   * @param out receives {@code {value, positionAfter}}
   * @return the position after the varint, or {@code -1} if the bytes end first or the encoding
   *     is longer than ten bytes or overflows 64 bits
   */
  public static int get(byte[] buf, int pos, int limit, long[] out) {
    long v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= limit) {
        return -1;
      }
      byte b = buf[pos++];
      if (shift == 63 && (b & 0xFE) != 0) {
        return -1; // more than 64 bits
      }
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        out[0] = v;
        out[1] = pos;
        return pos;
      }
    }
    return -1;
  }
}
