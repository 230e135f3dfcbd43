package dev.sett.kv.skiplist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sett.kv.internal.Registries;
import dev.sett.kv.spi.MemTableFactory;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Both providers are found through {@code META-INF/services} on the class path. */
class ProvidersTest {

  @Test
  void serviceLoader_findsBothProviders() {
    Set<String> names = new TreeSet<>();
    ServiceLoader.load(MemTableFactory.class).forEach(f -> names.add(f.name()));
    assertEquals(Set.of("skiplist", "concurrent-skiplist"), names);
  }

  @Test
  void registry_selectsTheArenaByDefault() {
    assertEquals(ArenaSkipListFactory.class, Registries.memTables().select(null).getClass());
    assertEquals(ConcurrentSkipListFactory.class,
        Registries.memTables().select("concurrent-skiplist").getClass());
  }
}
