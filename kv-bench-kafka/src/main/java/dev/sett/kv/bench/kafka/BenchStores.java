package dev.sett.kv.bench.kafka;

import dev.sett.kv.kafka.SettDslStoreSuppliers;
import dev.sett.kv.kafka.SettStoreConfig;
import dev.sett.kv.kafka.SettStores;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;

/**
 * The two store kinds measured: {@code sett} (this project's Kafka Streams store, at the module's
 * defaults) and {@code rocksdb} (Kafka Streams' built-in persistent store, at Kafka's defaults: no
 * {@code RocksDBConfigSetter}).
 */
final class BenchStores {
  static final List<String> NAMES = List.of("sett", "rocksdb");

  private BenchStores() {}

  static void check(String store) {
    if (!NAMES.contains(store)) {
      throw new IllegalArgumentException("unknown store '" + store + "': the stores are "
          + String.join(", ", NAMES));
    }
  }

  /** A persistent timestamped key-value store supplier of the given kind. */
  static KeyValueBytesStoreSupplier supplier(String store, String name) {
    check(store);
    return "sett".equals(store) ? SettStores.persistentTimestampedKeyValueStore(name)
        : Stores.persistentTimestampedKeyValueStore(name);
  }

  /**
   * Kafka's store stack over the supplier: metered, change-logging (on, as by default) and
   * caching when asked, as {@code Stores.timestampedKeyValueStoreBuilder} builds it.
   */
  static StoreBuilder<TimestampedKeyValueStore<Bytes, byte[]>> builder(String store, String name,
      boolean caching) {
    StoreBuilder<TimestampedKeyValueStore<Bytes, byte[]>> b = Stores
        .timestampedKeyValueStoreBuilder(supplier(store, name), Serdes.Bytes(),
            Serdes.ByteArray());
    return caching ? b.withCachingEnabled() : b.withCachingDisabled();
  }

  /** The DSL store suppliers class of the store kind (for {@code dsl.store.suppliers.class}). */
  static Class<?> dslSuppliers(String store) {
    check(store);
    return "sett".equals(store) ? SettDslStoreSuppliers.class
        : BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers.class;
  }

  /** Application configuration entries for the store kind: Sett's options customizer, if any. */
  static Map<String, Object> appConfigs(String store, String settCustomizer) {
    Map<String, Object> m = new HashMap<>();
    if ("sett".equals(store) && settCustomizer != null && !settCustomizer.isEmpty()) {
      m.put(SettStoreConfig.OPTIONS_CUSTOMIZER_CONFIG, settCustomizer);
    }
    return m;
  }
}
