package dev.sett.kv.cli;

import dev.sett.kv.Options;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * One database option set to one value on the command line: by a named option of {@code bench}
 * ({@code --value-threshold 4k}), by {@code --option NAME=VALUE}, or by a point of a {@code
 * --sweep}. {@code bench} applies them all to the {@link Options.Builder} in one place, and
 * refuses an option given twice.
 *
 * @param setter the option
 * @param value the value read, of the setter's parameter type
 * @param text the value as given, for messages, file names and the results
 * @param givenBy the command line option that gave it, for messages
 */
record OptionSetting(OptionSetter setter, Object value, String text, String givenBy) {

  /**
   * Sets the value on a builder.
   *
   * <p>{@code valueThreshold} above the default {@code maxValueThreshold} raises that bound to the
   * threshold, as asking for a 4 MiB threshold means to; without this every such point of a sweep
   * would fail the builder's rule that the threshold is at most the bound. An explicit {@code
   * maxValueThreshold} applied afterwards still wins.
   *
   * @param builder the builder
   * @throws IllegalArgumentException if the builder refuses the value
   */
  void apply(Options.Builder builder) {
    if (setter.name().equals("valueThreshold")
        && ((Long) value) > Options.DEFAULT_MAX_VALUE_THRESHOLD) {
      builder.maxValueThreshold((Long) value);
    }
    setter.invoke(builder, value);
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
   * The value on a numeric axis.
   *
   * @return the number, or NaN for a name or a boolean
   */
  double number() {
    return setter.number(value);
  }

  /**
   * The setting as {@code --option} or {@code --sweep} take it.
   *
   * @return for example {@code valueThreshold=4k}
   */
  @Override
  public String toString() {
    return setter.name() + "=" + text;
  }

  /** Reads {@code --option NAME=VALUE}; an unknown name or bad value is a usage error. */
  static final class Converter implements ITypeConverter<OptionSetting> {
    @Override
    public OptionSetting convert(String arg) {
      int eq = arg.indexOf('=');
      if (eq < 0) {
        throw new TypeConversionException("'" + arg + "' is not NAME=VALUE, such as"
            + " baseTableSize=4m");
      }
      try {
        return OptionSetters.find(arg.substring(0, eq))
            .setting(arg.substring(eq + 1), "--option");
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
