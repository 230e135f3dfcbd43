package dev.sett.kv.kafka;

import dev.sett.kv.Options;
import java.util.Map;

/**
 * Adjusts the options of each Sett database a Kafka Streams store opens, as {@code
 * RocksDBConfigSetter} does for RocksDB. Named by class in the application's configuration under
 * {@link SettStoreConfig#OPTIONS_CUSTOMIZER_CONFIG}; needs a public no-argument constructor.
 *
 * <p>The builder arrives with the store's directory and Sett's store defaults set, including the
 * shared memory budget; a customizer that sets its own {@code memoryBudget} takes that store out
 * of the shared one.
 */
public interface SettOptionsCustomizer {

  /**
   * Changes the options of one store's database before it opens.
   *
   * @param storeName the store's name (a window or session store's name, too)
   * @param options the builder to change
   * @param appConfigs the application's configuration
   */
  void customize(String storeName, Options.Builder options, Map<String, Object> appConfigs);
}
