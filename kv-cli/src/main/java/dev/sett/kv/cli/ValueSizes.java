package dev.sett.kv.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The sizes of {@code bench}'s values: one fixed size ({@code --value-size 16k}) or sizes drawn
 * uniformly from a range ({@code --value-size uniform:128..64k}), both ends included.
 *
 * <p>A drawn size is a function of the key's index and the workload's seed, like the value itself
 * ({@link BenchWorkload#valueSize}): nothing is stored, a key has the same size in the load and
 * the read phase, and the same seed gives the same sizes on every run, so a run that draws its
 * sizes is reproduced by its printed seed like any other.
 *
 * <p>Public (though this module exports nothing) for kv-bench's side-by-side runner, which runs on
 * the class path and takes {@code --value-size} the same way.
 */
public final class ValueSizes {
  /** Largest value size: a byte array's length, less the JVM's header slack. */
  static final long MAX = Integer.MAX_VALUE - 8;

  private static final Pattern UNIFORM = Pattern.compile("uniform:(.+)\\.\\.(.+)");

  private final String text;
  private final int min;
  private final int max;

  private ValueSizes(String text, int min, int max) {
    this.text = text;
    this.min = min;
    this.max = max;
  }

  /**
   * One size for every value.
   *
   * @param bytes the size, in [0, {@link #MAX}]
   * @return the sizes
   */
  public static ValueSizes fixed(int bytes) {
    return new ValueSizes(Integer.toString(bytes), bytes, bytes);
  }

  /**
   * Reads {@code 16k} (every value that size) or {@code uniform:MIN..MAX} (each value's size
   * drawn uniformly from [MIN, MAX]); sizes as {@link ByteSizeConverter} reads them.
   *
   * @param text the option's text
   * @return the sizes
   * @throws TypeConversionException naming the text and what is allowed
   */
  public static ValueSizes parse(String text) {
    String s = text.strip();
    Matcher m = UNIFORM.matcher(s);
    if (m.matches()) {
      long lo = size(text, m.group(1));
      long hi = size(text, m.group(2));
      if (lo > hi) {
        throw new TypeConversionException("'" + text + "': the smallest size (" + lo
            + ") is larger than the largest (" + hi + ")");
      }
      return new ValueSizes(s, (int) lo, (int) hi);
    }
    if (s.contains(":") || s.contains("..")) {
      throw new TypeConversionException("'" + text + "' is not a value size: give a size such"
          + " as 128 or 16k, or a distribution uniform:MIN..MAX such as uniform:128..64k");
    }
    return new ValueSizes(s, (int) size(text, s), (int) size(text, s));
  }

  private static long size(String whole, String part) {
    long bytes;
    try {
      bytes = ByteSizeConverter.parse(part);
    } catch (TypeConversionException e) {
      throw new TypeConversionException("'" + whole + "' is not a value size: '" + part.strip()
          + "' is not a size (examples: 128, 16k, uniform:128..64k)");
    }
    if (bytes > MAX) {
      throw new TypeConversionException(
          "'" + whole + "': a value size must be at most " + MAX + " bytes, got " + bytes);
    }
    return bytes;
  }

  /**
   * Whether every value has the same size.
   *
   * @return {@code true} for a fixed size
   */
  public boolean isFixed() {
    return min == max;
  }

  /**
   * The smallest size.
   *
   * @return bytes
   */
  public int min() {
    return min;
  }

  /**
   * The largest size: what a buffer for any value needs.
   *
   * @return bytes
   */
  public int max() {
    return max;
  }

  /**
   * Picks a size from random bits.
   *
   * @param randomBits 64 uniformly random bits, a function of the key (see {@link BenchWorkload})
   * @return bytes, in [{@link #min()}, {@link #max()}]
   */
  public int pick(long randomBits) {
    if (min == max) {
      return min;
    }
    // The modulo bias over a span below 2^31 is under 2^-32: far below what a benchmark notices.
    return (int) (min + Long.remainderUnsigned(randomBits, (long) max - min + 1));
  }

  /**
   * Describes the sizes for the summary.
   *
   * @return {@code 128 B each} or {@code 128 B to 64.0 KiB, uniform}
   */
  public String describe() {
    return isFixed()
        ? BenchReport.bytes(min) + " each"
        : BenchReport.bytes(min) + " to " + BenchReport.bytes(max) + " (uniform, drawn per key"
            + " from the seed)";
  }

  /**
   * The text the sizes were given as.
   *
   * @return for example {@code 16k} or {@code uniform:128..64k}
   */
  @Override
  public String toString() {
    return text;
  }

  /** Reads {@code --value-size} for picocli; a bad size is a usage error (exit code 2). */
  public static final class Converter implements ITypeConverter<ValueSizes> {
    @Override
    public ValueSizes convert(String value) {
      return parse(value);
    }
  }
}
