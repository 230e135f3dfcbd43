package dev.sett.kv.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a non-negative count such as {@code 2000}, {@code 1_000_000}, {@code 10k} or {@code 2m}
 * (decimal multipliers: k = 1,000, m = 1,000,000, g = 1,000,000,000). A malformed count is a
 * usage error (exit code 2).
 */
final class CountConverter implements ITypeConverter<Long> {

  @Override
  public Long convert(String value) {
    return parse(value);
  }

  /**
   * Parses a count.
   *
   * @param value the text
   * @return the count, at least 0
   * @throws TypeConversionException if the text is not a count
   */
  static long parse(String value) {
    String s = value.strip().replace("_", "").replace(",", "").toLowerCase(Locale.ROOT);
    long multiplier = 1;
    if (s.endsWith("k")) {
      multiplier = 1_000L;
    } else if (s.endsWith("m")) {
      multiplier = 1_000_000L;
    } else if (s.endsWith("g")) {
      multiplier = 1_000_000_000L;
    }
    if (multiplier != 1) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      long n = Long.parseLong(s);
      if (n < 0) {
        throw new TypeConversionException("'" + value + "' is negative");
      }
      return Math.multiplyExact(n, multiplier);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a count (examples: 2000, 1_000_000, 10k, 2m)");
    }
  }
}
