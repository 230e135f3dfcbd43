package dev.sett.kv.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sett.kv.internal.Registries;
import dev.sett.kv.spi.BlockCacheFactory;
import dev.sett.kv.spi.TableFormat;
import dev.sett.kv.table.cache.CaffeineBlockCacheFactory;
import dev.sett.kv.table.cache.NoBlockCacheFactory;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The providers are found through {@code META-INF/services} on the class path. */
class ProvidersTest {

  @Test
  void serviceLoader_findsTheFormatAndBothCaches() {
    Set<String> formats = new TreeSet<>();
    ServiceLoader.load(TableFormat.class).forEach(f -> formats.add(f.name()));
    assertEquals(Set.of("sst-v1"), formats);
    Set<String> caches = new TreeSet<>();
    ServiceLoader.load(BlockCacheFactory.class).forEach(f -> caches.add(f.name()));
    assertEquals(Set.of("caffeine", "none"), caches);
  }

  @Test
  void registries_selectTheDefaults() {
    assertEquals(SstV1Format.class, Registries.tableFormats().select(null).getClass());
    assertEquals(CaffeineBlockCacheFactory.class,
        Registries.blockCaches().select(null).getClass());
    assertEquals(NoBlockCacheFactory.class, Registries.blockCaches().select("none").getClass());
  }
}
