package dev.sett.kv.internal;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.spi.NamedProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ProviderRegistry}, the one registry behind every SPI. Proves that it loads providers
 * only on first use and only once (also under concurrent first use), rejects invalid and
 * duplicate names before anything is selected (naming both classes of a duplicate), selects by
 * the rule name given &gt; SPI default &gt; the only provider &gt; a clear error, names the SPI,
 * the requested name and the available names on a miss, and turns a provider constructor that
 * uses the registry into an {@link IllegalStateException} instead of endless recursion.
 */
class ProviderRegistryTest {

  /** A test SPI, so that no real provider on the class path takes part. */
  interface Codec extends NamedProvider {}

  /** A provider whose name is given at construction. */
  static class Plain implements Codec {
    private final String name;

    Plain(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String toString() {
      return getClass().getSimpleName() + "(" + name + ")";
    }
  }

  /** A second provider class, to make duplicates across classes. */
  static final class Other extends Plain {
    Other(String name) {
      super(name);
    }
  }

  private static final String DEFAULT = "gzip";

  /** A loader that counts its calls. */
  private static final class CountingLoader implements Supplier<Iterable<Codec>> {
    final AtomicInteger calls = new AtomicInteger();
    private final List<Codec> providers;

    CountingLoader(Codec... providers) {
      this.providers = List.of(providers);
    }

    @Override
    public Iterable<Codec> get() {
      calls.incrementAndGet();
      return providers;
    }
  }

  private static ProviderRegistry<Codec> registry(Codec... providers) {
    return new ProviderRegistry<>(Codec.class, DEFAULT, new CountingLoader(providers));
  }

  // ---- lazy loading ----------------------------------------------------------------------------

  @Test
  void constructing_doesNotCallTheLoader() {
    CountingLoader loader = new CountingLoader(new Plain("gzip"));
    ProviderRegistry<Codec> r = new ProviderRegistry<>(Codec.class, DEFAULT, loader);
    assertEquals(0, loader.calls.get(), "the loader ran before first use");
    assertEquals("ProviderRegistry[Codec]", r.toString());
    assertEquals(0, loader.calls.get(), "toString must not load providers");
  }

  @Test
  void firstUse_callsTheLoaderOnce_andLaterUsesReuseTheResult() {
    CountingLoader loader = new CountingLoader(new Plain("gzip"), new Plain("zstd"));
    ProviderRegistry<Codec> r = new ProviderRegistry<>(Codec.class, DEFAULT, loader);
    assertEquals(Set.of("gzip", "zstd"), r.names());
    assertEquals(1, loader.calls.get());
    r.select(null);
    r.select("zstd");
    r.lookup("gzip");
    r.names();
    assertEquals(1, loader.calls.get(), "providers must be loaded once, then cached");
  }

  @Test
  void everyEntryPoint_triggersTheLoad() {
    List<java.util.function.Consumer<ProviderRegistry<Codec>>> entryPoints = List.of(
        ProviderRegistry::names, r -> r.select(null), r -> r.select("gzip"),
        r -> r.lookup("gzip"));
    for (var use : entryPoints) {
      CountingLoader loader = new CountingLoader(new Plain("gzip"));
      use.accept(new ProviderRegistry<>(Codec.class, DEFAULT, loader));
      assertEquals(1, loader.calls.get());
    }
  }

  @Test
  void concurrentFirstUse_loadsExactlyOnce_andEveryCallerSeesTheSameProvider() throws Exception {
    Plain gzip = new Plain("gzip");
    CountingLoader loader = new CountingLoader(gzip, new Plain("zstd"));
    ProviderRegistry<Codec> r = new ProviderRegistry<>(Codec.class, DEFAULT, loader);
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Codec>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<Codec> task = () -> {
          start.await();
          return r.select(null);
        };
        results.add(pool.submit(task));
      }
      start.countDown();
      for (Future<Codec> f : results) {
        assertSame(gzip, f.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, loader.calls.get());
  }

  @Test
  void names_areSorted_andUnmodifiable() {
    ProviderRegistry<Codec> r = registry(new Plain("zstd"), new Plain("gzip"), new Plain("lz4"));
    assertEquals(List.of("gzip", "lz4", "zstd"), new ArrayList<>(r.names()));
    assertThrows(UnsupportedOperationException.class, () -> r.names().add("snappy"));
  }

  // ---- duplicate and invalid names ----------------------------------------------------------

  @Test
  void duplicateName_fromTwoClasses_failsOnFirstUse_namingBothClasses() {
    ProviderRegistry<Codec> r = registry(new Plain("gzip"), new Other("gzip"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.select("gzip"));
    String m = e.getMessage();
    assertAll(
        () -> assertTrue(m.contains("'gzip'"), m),
        () -> assertTrue(m.contains("Codec"), m),
        () -> assertTrue(m.contains(Plain.class.getName()), m),
        () -> assertTrue(m.contains(Other.class.getName()), m));
  }

  @Test
  void duplicateName_failsEvenWhenADifferentNameIsRequested() {
    ProviderRegistry<Codec> r =
        registry(new Plain("gzip"), new Plain("zstd"), new Other("zstd"));
    assertThrows(IllegalStateException.class, () -> r.select("gzip"));
    assertThrows(IllegalStateException.class, () -> r.select(null));
    assertThrows(IllegalStateException.class, r::names);
  }

  @Test
  void afterAFailedLoad_theNextUseFailsTheSameWay_notAsARecursion() {
    ProviderRegistry<Codec> r = registry(new Plain("gzip"), new Other("gzip"));
    IllegalStateException first = assertThrows(IllegalStateException.class, r::names);
    IllegalStateException second = assertThrows(IllegalStateException.class, r::names);
    assertEquals(first.getMessage(), second.getMessage());
    assertFalse(second.getMessage().contains("recursive"), second.getMessage());
  }

  @Test
  void sameClassListedTwice_isNotADuplicate() {
    // The same jar twice on the class path lists one provider class twice: one name, one class.
    Plain first = new Plain("gzip");
    ProviderRegistry<Codec> r = registry(first, new Plain("gzip"));
    assertEquals(Set.of("gzip"), r.names());
    assertSame(first, r.select("gzip"), "the first one found wins");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Gzip", "GZIP", "1gzip", "-gzip", "gz_ip", "gz ip", "gz.ip",
      "gzíp", "abcdefghijabcdefghijabcdefghijabc"})
  void invalidProviderName_failsOnFirstUse_namingClassAndName(String bad) {
    ProviderRegistry<Codec> r = registry(new Plain("gzip"), new Other(bad));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.select("gzip"));
    String m = e.getMessage();
    assertTrue(m.contains("'" + bad + "'"), m);
    assertTrue(m.contains(Other.class.getName()), m);
    assertTrue(m.contains("invalid name"), m);
  }

  @Test
  void nullProviderName_isInvalid() {
    ProviderRegistry<Codec> r = registry(new Plain(null));
    IllegalStateException e = assertThrows(IllegalStateException.class, r::names);
    assertTrue(e.getMessage().contains(Plain.class.getName()), e.getMessage());
  }

  @Test
  void isValidName_acceptsLowercaseDigitsAndDashes_oneTo32Chars_startingWithALetter() {
    for (String ok : List.of("a", "skiplist", "concurrent-skiplist", "sst-v1", "a1", "z-",
        "abcdefghijabcdefghijabcdefghijab")) {
      assertTrue(ProviderRegistry.isValidName(ok), ok);
    }
    for (String bad : List.of("", "A", "1", "-a", "a_b", "a b", "aB",
        "abcdefghijabcdefghijabcdefghijabc")) {
      assertFalse(ProviderRegistry.isValidName(bad), bad);
    }
    assertFalse(ProviderRegistry.isValidName(null));
  }

  // ---- selection -----------------------------------------------------------------------------

  @Test
  void selectNull_picksTheDefaultName_amongSeveral() {
    Plain gzip = new Plain("gzip");
    ProviderRegistry<Codec> r = registry(new Plain("brotli"), gzip, new Plain("zstd"));
    assertSame(gzip, r.select(null));
  }

  @Test
  void selectNull_withoutTheDefault_picksTheOnlyProvider() {
    Plain zstd = new Plain("zstd");
    assertSame(zstd, registry(zstd).select(null));
  }

  @Test
  void selectNull_withNoDefaultName_picksTheOnlyProvider() {
    Plain zstd = new Plain("zstd");
    ProviderRegistry<Codec> r =
        new ProviderRegistry<>(Codec.class, null, new CountingLoader(zstd));
    assertSame(zstd, r.select(null));
  }

  @Test
  void selectNull_withoutTheDefault_andSeveralProviders_failsListingThem() {
    ProviderRegistry<Codec> r = registry(new Plain("zstd"), new Plain("brotli"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.select(null));
    String m = e.getMessage();
    assertAll(
        () -> assertTrue(m.contains("Codec"), m),
        () -> assertTrue(m.contains("'" + DEFAULT + "'"), m),
        () -> assertTrue(m.contains("[brotli, zstd]"), m));
  }

  @Test
  void selectNull_withNoProviders_failsNamingTheSpiAndTheDefault() {
    ProviderRegistry<Codec> r = registry();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.select(null));
    String m = e.getMessage();
    assertTrue(m.contains("Codec"), m);
    assertTrue(m.contains("none is installed"), m);
    assertTrue(m.contains("'" + DEFAULT + "'"), m);
  }

  @Test
  void selectByName_winsOverTheDefault() {
    Plain zstd = new Plain("zstd");
    ProviderRegistry<Codec> r = registry(new Plain("gzip"), zstd);
    assertSame(zstd, r.select("zstd"));
    assertSame(zstd, r.lookup("zstd"));
  }

  @Test
  void miss_namesTheSpi_theRequestedName_andTheAvailableNames() {
    ProviderRegistry<Codec> r = registry(new Plain("gzip"), new Plain("zstd"));
    for (Runnable miss : List.<Runnable>of(() -> r.select("lz4"), () -> r.lookup("lz4"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, miss::run);
      String m = e.getMessage();
      assertAll(
          () -> assertTrue(m.contains("Codec"), m),
          () -> assertTrue(m.contains("'lz4'"), m),
          () -> assertTrue(m.contains("[gzip, zstd]"), m));
    }
  }

  @Test
  void miss_inAnEmptyRegistry_saysNothingIsAvailable() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> registry().select("gzip"));
    assertTrue(e.getMessage().contains("available: []"), e.getMessage());
  }

  // ---- recursion -----------------------------------------------------------------------------

  @Test
  void providerConstructorUsingTheRegistry_givesIllegalStateException() {
    // A ServiceLoader constructs providers while it is being iterated: model that with an
    // Iterable whose iterator constructs a provider that asks the registry for a provider.
    AtomicReference<ProviderRegistry<Codec>> self = new AtomicReference<>();
    AtomicInteger constructed = new AtomicInteger();
    Iterable<Codec> lazyProviders = () -> new Iterator<>() {
      private boolean done;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public Codec next() {
        done = true;
        constructed.incrementAndGet();
        self.get().select(null); // what a misbehaving constructor would do
        return new Plain("gzip");
      }
    };
    ProviderRegistry<Codec> r = new ProviderRegistry<>(Codec.class, DEFAULT, () -> lazyProviders);
    self.set(r);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.select(null));
    assertTrue(e.getMessage().contains("recursive"), e.getMessage());
    assertTrue(e.getMessage().contains("Codec"), e.getMessage());
    assertEquals(1, constructed.get(), "the recursion must stop at the first nested call");
  }
}
