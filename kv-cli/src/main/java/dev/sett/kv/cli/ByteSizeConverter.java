package dev.sett.kv.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a size in bytes such as {@code 128}, {@code 64k}, {@code 64KiB}, {@code 32m} or {@code
 * 1g}. Units are binary (k = 1,024), as memtable and value sizes are thought of in powers of two;
 * {@code b} or no unit means bytes. A malformed size is a usage error (exit code 2).
 */
final class ByteSizeConverter implements ITypeConverter<Long> {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  @Override
  public Long convert(String value) {
    return parse(value);
  }

  /**
   * Parses a size.
   *
   * @param value the text
   * @return the size in bytes, at least 0
   * @throws TypeConversionException if the text is not a size
   */
  static long parse(String value) {
    Matcher m = SIZE.matcher(value.strip().replace("_", "").toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException(
          "'" + value + "' is not a size (examples: 128, 64k, 64KiB, 32m, 1g)");
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    int shift = switch (unit.charAt(0)) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      default -> 0;
    };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new TypeConversionException("'" + value + "' is too large");
    }
  }
}
