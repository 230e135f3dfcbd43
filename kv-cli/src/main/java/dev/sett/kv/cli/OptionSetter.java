package dev.sett.kv.cli;

import dev.sett.kv.Options;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One database option that the command line can set by name from text: a public setter of {@link
 * Options.Builder} that takes one value of a simple type. Found by {@link OptionSetters}.
 *
 * <p>Reading the text is this class's job, checking the value's range is the builder's: the
 * setter is called on a scratch builder and its {@link IllegalArgumentException}, which names the
 * option, the value and the allowed range, is the message the user sees.
 */
final class OptionSetter {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  /** How the text of a value is read. */
  enum Kind {
    /** Bytes, as {@link ByteSizeConverter} reads them: {@code 4096}, {@code 4k}, {@code 1m}. */
    SIZE("a size in bytes such as 64, 4k or 1m"),
    /** A whole number. */
    INTEGER("a whole number"),
    /** A decimal number. */
    DECIMAL("a decimal number such as 0.01"),
    /** {@code true} or {@code false}. */
    BOOLEAN("true or false"),
    /** A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 0}, or ISO-8601. */
    DURATION("a duration such as 0, 500ms, 30s, 5m or PT1M"),
    /** One of a fixed set of names: an enum constant or a registered provider. */
    CHOICE("one of the names listed"),
    /** Any text (a provider name that cannot be checked here). */
    TEXT("a name");

    private final String allowed;

    Kind(String allowed) {
      this.allowed = allowed;
    }
  }

  private final String name;
  private final Method method;
  private final Kind kind;
  private final List<String> choices;

  /**
   * Creates a setter.
   *
   * @param method the builder's setter; its name is the option's name
   * @param kind how its values are read
   * @param choices for {@link Kind#CHOICE}, the allowed names; empty otherwise
   */
  OptionSetter(Method method, Kind kind, List<String> choices) {
    this.name = method.getName();
    this.method = method;
    this.kind = kind;
    this.choices = List.copyOf(choices);
  }

  /**
   * The option's name, that of the builder method.
   *
   * @return for example {@code valueThreshold}
   */
  String name() {
    return name;
  }

  /**
   * How values are read.
   *
   * @return the kind
   */
  Kind kind() {
    return kind;
  }

  /**
   * Whether values are numbers that can stand on a numeric axis.
   *
   * @return {@code true} for sizes, whole and decimal numbers and durations
   */
  boolean numeric() {
    return kind == Kind.SIZE || kind == Kind.INTEGER || kind == Kind.DECIMAL
        || kind == Kind.DURATION;
  }

  /**
   * What a value may be, for messages.
   *
   * @return for example {@code a size in bytes such as 64, 4k or 1m} or {@code one of leveled,
   *     tiered}
   */
  String allowed() {
    return kind == Kind.CHOICE ? "one of " + String.join(", ", choices) : kind.allowed;
  }

  /**
   * Reads a value and checks it with the builder, so that a bad value fails before anything runs.
   *
   * @param text the value as given
   * @param givenBy the command line option that gave it: {@code --sweep} or {@code --option}
   * @return the setting
   * @throws IllegalArgumentException naming the option, the value and what is allowed
   */
  OptionSetting setting(String text, String givenBy) {
    Object value = read(text);
    OptionSetting setting = new OptionSetting(this, value, text.strip(), givenBy);
    try {
      setting.apply(Options.inMemory()); // the builder checks the range; the scratch is dropped
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
    }
    return setting;
  }

  /**
   * Sets an already read number or flag, as a named command line option gives it (whose own
   * converter read it); its range is checked when the options are built.
   *
   * @param value a value of the setter's parameter type (boxed)
   * @param givenBy the command line option, such as {@code --value-threshold}
   * @return the setting
   */
  OptionSetting given(Object value, String givenBy) {
    return new OptionSetting(this, value, String.valueOf(value), givenBy);
  }

  /**
   * The value as a number, for a numeric axis.
   *
   * @param value a value read by this setter
   * @return the number (a duration in seconds), or NaN if not {@link #numeric()}
   */
  double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Duration d) {
      return d.toNanos() / 1e9;
    }
    return Double.NaN;
  }

  /**
   * Calls the setter.
   *
   * @param builder the builder
   * @param value the value
   * @throws IllegalArgumentException if the builder refuses the value
   */
  void invoke(Options.Builder builder, Object value) {
    try {
      method.invoke(builder, value);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // the builder's own message names the option, the value and the range
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call Options.Builder." + name, e);
    }
  }

  /**
   * Reads a value by the setter's kind, without the builder's range check.
   *
   * @param text the value as given
   * @return a value of the setter's parameter type (boxed)
   * @throws IllegalArgumentException naming the option, the value and what is allowed
   */
  Object read(String text) {
    String s = text.strip();
    Class<?> type = method.getParameterTypes()[0];
    try {
      switch (kind) {
        case SIZE -> {
          long bytes = ByteSizeConverter.parse(s);
          if (type == int.class && bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too large");
          }
          return type == int.class ? (Object) (int) bytes : (Object) bytes;
        }
        case INTEGER -> {
          long n = CountConverter.parse(s);
          return type == int.class ? (Object) Math.toIntExact(n) : (Object) n;
        }
        case DECIMAL -> {
          return Double.parseDouble(s);
        }
        case BOOLEAN -> {
          if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
          }
          throw new IllegalArgumentException("not a boolean");
        }
        case DURATION -> {
          return duration(s);
        }
        case CHOICE -> {
          for (String c : choices) {
            if (c.equalsIgnoreCase(s)) {
              return type.isEnum() ? enumConstant(type, c) : c;
            }
          }
          throw new IllegalArgumentException("not a choice");
        }
        default -> {
          if (s.isEmpty()) {
            throw new IllegalArgumentException("empty");
          }
          return s;
        }
      }
    } catch (RuntimeException e) { // TypeConversionException, NumberFormatException, ...
      throw new IllegalArgumentException(
          name + ": '" + text.strip() + "' is not " + allowed(), e);
    }
  }

  private static Duration duration(String s) {
    Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? (n == 0 ? "s" : "") : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException("a duration needs a unit");
      };
    }
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static Object enumConstant(Class<?> type, String constantName) {
    for (Object c : type.getEnumConstants()) {
      if (((Enum<?>) c).name().equals(constantName)) {
        return c;
      }
    }
    throw new IllegalArgumentException(constantName);
  }

  @Override
  public String toString() {
    return name;
  }
}
