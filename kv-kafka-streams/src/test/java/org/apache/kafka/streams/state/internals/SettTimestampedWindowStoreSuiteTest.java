package org.apache.kafka.streams.state.internals;

import dev.sett.kv.kafka.SettStores;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Kafka's window store suite against Sett's timestamped window store, used through Kafka's plain
 * window builder (which adapts values, as it does for RocksDB's timestamped window store).
 */
class SettTimestampedWindowStoreSuiteTest extends AbstractWindowBytesStoreTest {

  @Override
  <K, V> WindowStore<K, V> buildWindowStore(long retentionPeriod, long windowSize,
      boolean retainDuplicates, Serde<K> keySerde, Serde<V> valueSerde) {
    return Stores.windowStoreBuilder(
        SettStores.persistentTimestampedWindowStore("sett-window-store",
            Duration.ofMillis(retentionPeriod), Duration.ofMillis(windowSize), retainDuplicates),
        keySerde, valueSerde).build();
  }

  // These two build a second store of the same name in the same state directory while the one
  // setUp opened is still open. Kafka's RocksDB window store opens its segment databases only
  // on the first write, so the untouched first store holds nothing open; a Sett store opens its
  // database at init, and the directory lock refuses the second. The cases run whole once the
  // first store is closed (after() closes it again, which is a no-op).

  @Test
  @Override
  public void shouldFetchAndIterateOverExactKeys() {
    windowStore.close();
    super.shouldFetchAndIterateOverExactKeys();
  }

  @Test
  @Override
  public void shouldFetchAndIterateOverExactBinaryKeys() {
    windowStore.close();
    super.shouldFetchAndIterateOverExactBinaryKeys();
  }
}
