package dev.sett.kv.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a 64-bit seed as {@code bench} prints it ({@code 0x} and up to 16 hex digits) or as a
 * decimal number.
 */
final class SeedConverter implements ITypeConverter<Long> {

  @Override
  public Long convert(String value) {
    String s = value.strip().replace("_", "");
    try {
      if (s.startsWith("0x") || s.startsWith("0X")) {
        return Long.parseUnsignedLong(s.substring(2), 16);
      }
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a seed (0x followed by hex digits, or a decimal number)");
    }
  }

  /**
   * Formats a seed the way this converter reads it back.
   *
   * @param seed the seed
   * @return {@code 0x} and 16 lowercase hex digits
   */
  static String format(long seed) {
    return String.format("0x%016x", seed);
  }
}
