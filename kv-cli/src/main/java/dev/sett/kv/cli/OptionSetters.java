package dev.sett.kv.cli;

import dev.sett.kv.Options;
import dev.sett.kv.Providers;
import dev.sett.kv.spi.NamedProvider;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.TreeMap;

/**
 * The database options the command line can set by name ({@code --option}, {@code --sweep}): every
 * public setter of {@link Options.Builder} that takes one number, size, boolean, duration, enum or
 * provider name, found by reflection so that an option added to the builder is settable without
 * a change here. Provider instances, the storage and the clock (test seams) are left out.
 *
 * <p>How a value is read follows from the parameter's type, and for numbers from the name: a
 * {@code long} or {@code int} whose name ends in {@code Size} or {@code Threshold} is a size in
 * bytes ({@code 4k}), any other a plain count. A provider name is checked against the providers
 * registered now (the {@link Providers} names of the SPI that the sibling {@code ...Factory} or
 * {@code ...Provider} setter takes), so that {@code compaction=teired} fails before a run rather
 * than when the database opens. Names are matched ignoring case, dashes and underscores, and
 * {@code compaction} is short for {@code compactionStrategy}, as the {@code bench} option is.
 */
final class OptionSetters {
  private static final Map<String, String> ALIASES = Map.of("compaction", "compactionStrategy");

  private OptionSetters() {}

  /** Holds the setters, found on first use. */
  private static final class Found {
    static final Map<String, OptionSetter> BY_KEY = discover();
  }

  /**
   * Finds a setter by name.
   *
   * @param name the option's name, such as {@code valueThreshold}, {@code value-threshold} or the
   *     alias {@code compaction}
   * @return the setter
   * @throws IllegalArgumentException naming the unknown option and listing the known ones
   */
  static OptionSetter find(String name) {
    String key = key(name);
    String alias = ALIASES.get(key);
    OptionSetter s = Found.BY_KEY.get(alias != null ? key(alias) : key);
    if (s == null) {
      throw new IllegalArgumentException("unknown option '" + name.strip() + "'; settable: "
          + String.join(", ", names()) + " (and compaction for compactionStrategy)");
    }
    return s;
  }

  /**
   * The names of every settable option.
   *
   * @return the builder's setter names, sorted
   */
  static List<String> names() {
    List<String> names = new ArrayList<>();
    Found.BY_KEY.values().forEach(s -> names.add(s.name()));
    names.sort(String.CASE_INSENSITIVE_ORDER);
    return names;
  }

  private static String key(String name) {
    return name.strip().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }

  private static Map<String, OptionSetter> discover() {
    Map<String, OptionSetter> byKey = new TreeMap<>();
    for (Method m : Options.Builder.class.getMethods()) {
      if (m.getDeclaringClass() != Options.Builder.class || Modifier.isStatic(m.getModifiers())
          || m.getParameterCount() != 1 || m.getReturnType() != Options.Builder.class) {
        continue;
      }
      OptionSetter setter = setterOf(m);
      if (setter != null) {
        byKey.put(key(m.getName()), setter);
      }
    }
    return byKey;
  }

  /** The setter of a builder method, or null if its parameter is not of a simple type. */
  private static OptionSetter setterOf(Method m) {
    Class<?> t = m.getParameterTypes()[0];
    String name = m.getName();
    if (t == long.class || t == int.class) {
      boolean bytes = name.endsWith("Size") || name.endsWith("Threshold");
      return new OptionSetter(m, bytes ? OptionSetter.Kind.SIZE : OptionSetter.Kind.INTEGER,
          List.of());
    } else if (t == double.class) {
      return new OptionSetter(m, OptionSetter.Kind.DECIMAL, List.of());
    } else if (t == boolean.class) {
      return new OptionSetter(m, OptionSetter.Kind.BOOLEAN, List.of());
    } else if (t == Duration.class) {
      return new OptionSetter(m, OptionSetter.Kind.DURATION, List.of());
    } else if (t.isEnum()) {
      List<String> constants = new ArrayList<>();
      for (Object c : t.getEnumConstants()) {
        constants.add(((Enum<?>) c).name());
      }
      return new OptionSetter(m, OptionSetter.Kind.CHOICE, constants);
    } else if (t == String.class) {
      List<String> providers = providerNames(name);
      return new OptionSetter(m,
          providers.isEmpty() ? OptionSetter.Kind.TEXT : OptionSetter.Kind.CHOICE, providers);
    }
    return null;
  }

  /**
   * The names of the providers registered for the SPI that {@code name + "Factory"} or {@code
   * name + "Provider"} takes, or none when there is no such setter or the SPI cannot be loaded
   * here ({@link Providers} asks the registry of {@code dev.sett.kv}, where the {@code uses} are).
   */
  private static List<String> providerNames(String name) {
    for (Method m : Options.Builder.class.getMethods()) {
      if ((m.getName().equals(name + "Factory") || m.getName().equals(name + "Provider"))
          && m.getParameterCount() == 1
          && NamedProvider.class.isAssignableFrom(m.getParameterTypes()[0])) {
        return loadNames(m.getParameterTypes()[0].asSubclass(NamedProvider.class));
      }
    }
    return List.of();
  }

  private static List<String> loadNames(Class<? extends NamedProvider> spi) {
    try {
      return List.copyOf(Providers.names(spi));
    } catch (IllegalArgumentException | ServiceConfigurationError e) {
      return List.of(); // not an SPI selected by name, or a broken provider: checked at open
    }
  }

  /** The names, for picocli's {@code ${COMPLETION-CANDIDATES}} in {@code bench --help}. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return names().iterator();
    }
  }
}
