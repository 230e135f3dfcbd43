package dev.sett.kv.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * What {@code bench --sweep NAME=V1,V2,...} varies: one database option ({@link OptionSetters})
 * and its values, in the order given, each run as one point of the sweep.
 *
 * @param setter the option swept
 * @param points one setting per value, in the order given
 */
record SweepSpec(OptionSetter setter, List<OptionSetting> points) {

  /** Copies the list. */
  SweepSpec {
    points = List.copyOf(points);
  }

  /**
   * Reads a sweep. Every value is read and checked against the builder's range here, so that a
   * typo in the last value fails before the first point has run for an hour.
   *
   * @param text {@code NAME=V1,V2,...}, such as {@code valueThreshold=64,1k,4k}
   * @return the sweep
   * @throws IllegalArgumentException naming the option, the bad value and what is allowed
   */
  static SweepSpec parse(String text) {
    int eq = text.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("'" + text + "' is not NAME=V1,V2,... (for example"
          + " valueThreshold=64,1k,4k or compaction=leveled,tiered)");
    }
    OptionSetter setter = OptionSetters.find(text.substring(0, eq));
    List<OptionSetting> points = new ArrayList<>();
    Set<Object> seen = new HashSet<>();
    // -1 keeps trailing empty strings, so that "a,b," is reported rather than silently read as a,b.
    for (String value : text.substring(eq + 1).split(",", -1)) {
      if (value.isBlank()) {
        throw new IllegalArgumentException("'" + text + "' has an empty value; give "
            + setter.name() + " values separated by commas, each " + setter.allowed());
      }
      OptionSetting point = setter.setting(value, "--sweep");
      if (!seen.add(point.value())) {
        throw new IllegalArgumentException("'" + text + "' gives " + setter.name() + "="
            + point.text() + " twice (or the same value in two spellings)");
      }
      points.add(point);
    }
    return new SweepSpec(setter, points);
  }

  /**
   * The option's name.
   *
   * @return the builder method's name, such as {@code valueThreshold}
   */
  String name() {
    return setter.name();
  }

  /**
   * Whether every value can stand on a logarithmic axis: numeric and above zero. A sweep that
   * includes 0 (a valueThreshold of 0 separates every value) or a name is drawn with one bar
   * group per value instead.
   *
   * @return {@code true} for a log-scale x axis
   */
  boolean logScale() {
    if (!setter.numeric()) {
      return false;
    }
    for (OptionSetting p : points) {
      if (!(p.number() > 0)) {
        return false;
      }
    }
    return true;
  }

  /** Reads {@code --sweep} for picocli; a bad sweep is a usage error (exit code 2). */
  static final class Converter implements ITypeConverter<SweepSpec> {
    @Override
    public SweepSpec convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
