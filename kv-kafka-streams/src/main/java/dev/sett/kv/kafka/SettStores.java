package dev.sett.kv.kafka;

import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;

/**
 * Factories of Sett store suppliers for Kafka Streams, the counterpart of Kafka's {@code
 * Stores.persistent*} methods: pass them to {@code Stores.keyValueStoreBuilder}, {@code
 * Materialized.as}, and so on. To move every store the DSL creates, set {@code
 * dsl.store.suppliers.class} to {@link SettDslStoreSuppliers} instead.
 *
 * <pre>{@code
 * StoreBuilder<KeyValueStore<String, Long>> counts = Stores.keyValueStoreBuilder(
 *     SettStores.persistentKeyValueStore("counts"), Serdes.String(), Serdes.Long());
 * }</pre>
 *
 * <p>Each store keeps one Sett database under {@code <task state dir>/sett/<store name>}.
 */
public final class SettStores {
  private SettStores() {}

  /**
   * A persistent key-value store.
   *
   * @param name the store's name
   * @return the supplier
   */
  public static KeyValueBytesStoreSupplier persistentKeyValueStore(String name) {
    return new SettKeyValueBytesStoreSupplier(name, SettKeyValueBytesStoreSupplier.Format.PLAIN);
  }

  /**
   * A persistent key-value store that keeps each value's timestamp (it implements {@code
   * TimestampedBytesStore}); what the DSL's tables and aggregations use.
   *
   * @param name the store's name
   * @return the supplier
   */
  public static KeyValueBytesStoreSupplier persistentTimestampedKeyValueStore(String name) {
    return new SettKeyValueBytesStoreSupplier(name,
        SettKeyValueBytesStoreSupplier.Format.TIMESTAMPED);
  }

  /**
   * A persistent key-value store that keeps each value's timestamp and headers (it implements
   * {@code HeadersBytesStore}); what the DSL uses with {@code dsl.store.format=HEADERS}.
   *
   * @param name the store's name
   * @return the supplier
   */
  public static KeyValueBytesStoreSupplier persistentTimestampedKeyValueStoreWithHeaders(
      String name) {
    return new SettKeyValueBytesStoreSupplier.WithHeaders(name);
  }
}
