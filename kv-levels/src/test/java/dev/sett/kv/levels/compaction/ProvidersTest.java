package dev.sett.kv.levels.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sett.kv.internal.Registries;
import dev.sett.kv.spi.CompactionStrategyProvider;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Both providers are found through {@code META-INF/services} on the class path. */
class ProvidersTest {

  @Test
  void serviceLoader_findsBothProviders() {
    Set<String> names = new TreeSet<>();
    ServiceLoader.load(CompactionStrategyProvider.class).forEach(p -> names.add(p.name()));
    assertEquals(Set.of("leveled", "tiered"), names);
  }

  @Test
  void registry_selectsLeveledByDefault() {
    assertEquals(LeveledStrategyProvider.class,
        Registries.compactionStrategies().select(null).getClass());
    assertEquals(TieredStrategyProvider.class,
        Registries.compactionStrategies().select("tiered").getClass());
  }
}
