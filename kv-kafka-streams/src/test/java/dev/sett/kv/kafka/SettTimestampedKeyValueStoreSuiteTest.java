package dev.sett.kv.kafka;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.AbstractKeyValueStoreTest;

/**
 * Kafka's key-value store suite against Sett's timestamped store, used through Kafka's plain
 * key-value builder (which adapts values, as it does for RocksDB's timestamped store).
 */
class SettTimestampedKeyValueStoreSuiteTest extends AbstractKeyValueStoreTest {

  @Override
  @SuppressWarnings("unchecked")
  protected <K, V> KeyValueStore<K, V> createKeyValueStore(StateStoreContext context) {
    StoreBuilder<KeyValueStore<K, V>> builder = Stores.keyValueStoreBuilder(
        SettStores.persistentTimestampedKeyValueStore("my-store"),
        (Serde<K>) context.keySerde(), (Serde<V>) context.valueSerde());
    KeyValueStore<K, V> store = builder.build();
    store.init(context, store);
    return store;
  }
}
