package dev.sett.kv.internal;

import dev.sett.kv.spi.NamedProvider;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The named-provider registry every SPI uses: loads providers lazily on first use, validates their
 * names, fails fast on duplicate names (names are persisted and must resolve to one class) and
 * selects one by the rule name given &gt; SPI default &gt; the only one present.
 *
 * <p>Concurrency: the provider map is computed once under this object's lock and then published
 * through a volatile field; lookups afterwards take no lock.
 *
 * @param <S> the SPI type
 */
public final class ProviderRegistry<S extends NamedProvider> {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  private final Class<S> spi;
  private final String defaultName;
  private final Supplier<? extends Iterable<S>> loader;
  private volatile Map<String, S> providers;
  private boolean loading;

  /**
   * Creates a registry.
   *
   * @param spi the SPI type, named in messages
   * @param defaultName the SPI's default provider name
   * @param loader produces the providers (a {@code ServiceLoader} in production)
   */
  public ProviderRegistry(Class<S> spi, String defaultName,
      Supplier<? extends Iterable<S>> loader) {
    this.spi = Objects.requireNonNull(spi);
    this.defaultName = defaultName;
    this.loader = Objects.requireNonNull(loader);
  }

  /**
   * Whether {@code name} is a valid provider name.
   *
   * @param name a candidate
   * @return {@code true} if lowercase letters, digits and '-', 1 to 32 characters, starting with a
   *     letter
   */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  private Map<String, S> providers() {
    Map<String, S> p = providers;
    if (p != null) {
      return p;
    }
    synchronized (this) {
      if (providers != null) {
        return providers;
      }
      if (loading) {
        // A provider's constructor asked the registry for providers: that would recurse forever.
        throw new IllegalStateException("recursive lookup of " + spi.getSimpleName()
            + " providers while they are being loaded (a provider constructor must not use the"
            + " registry)");
      }
      loading = true;
      try {
        Map<String, S> found = new TreeMap<>();
        for (S s : loader.get()) {
          String name = s.name();
          if (!isValidName(name)) {
            throw new IllegalStateException(spi.getSimpleName() + " provider "
                + s.getClass().getName() + " has an invalid name '" + name + "'");
          }
          S previous = found.putIfAbsent(name, s);
          if (previous != null && previous.getClass() != s.getClass()) {
            throw new IllegalStateException("two " + spi.getSimpleName() + " providers are named '"
                + name + "': " + previous.getClass().getName() + " and " + s.getClass().getName()
                + "; remove one of them from the class or module path");
          }
        }
        providers = Collections.unmodifiableMap(found);
        return providers;
      } finally {
        loading = false;
      }
    }
  }

  /**
   * The names of the providers present.
   *
   * @return the sorted names
   */
  public Set<String> names() {
    return providers().keySet();
  }

  /**
   * Looks a provider up by name.
   *
   * @param name the name
   * @return the provider
   * @throws IllegalArgumentException naming the SPI, the requested and the available names
   */
  public S lookup(String name) {
    S s = providers().get(name);
    if (s == null) {
      throw new IllegalArgumentException("no " + spi.getSimpleName() + " provider named '" + name
          + "'; available: " + names() + ". Add the jar or module that provides it.");
    }
    return s;
  }

  /**
   * Selects a provider: the named one if {@code name} is given, else the SPI's default if present,
   * else the only provider present.
   *
   * @param name the requested name, or {@code null}
   * @return the provider
   * @throws IllegalArgumentException if the named provider is missing
   * @throws IllegalStateException if no name was given and no default can be chosen
   */
  public S select(String name) {
    if (name != null) {
      return lookup(name);
    }
    Map<String, S> p = providers();
    if (defaultName != null && p.containsKey(defaultName)) {
      return p.get(defaultName);
    }
    if (p.size() == 1) {
      return p.values().iterator().next();
    }
    throw new IllegalStateException("cannot choose a " + spi.getSimpleName() + " provider: "
        + (p.isEmpty()
            ? "none is installed"
            : "the default '" + defaultName + "' is missing and several are present " + names()
                + "; name one in Options")
        + (p.isEmpty() ? ". Add the jar or module that provides one (default '" + defaultName
            + "')." : ""));
  }

  @Override
  public String toString() {
    return "ProviderRegistry[" + spi.getSimpleName() + "]";
  }
}
