package dev.sett.kv.kafka;

import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

/** Supplies Sett key-value stores, plain or timestamped (see {@link SettStores}). */
final class SettKeyValueBytesStoreSupplier implements KeyValueBytesStoreSupplier {
  /** The metrics scope of Sett's key-value stores. */
  static final String METRICS_SCOPE = "sett"; // Kafka tags metrics "<scope>-state-id"

  private final String name;
  private final boolean timestamped;

  SettKeyValueBytesStoreSupplier(String name, boolean timestamped) {
    this.name = Objects.requireNonNull(name, "name cannot be null");
    this.timestamped = timestamped;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public KeyValueStore<Bytes, byte[]> get() {
    return timestamped ? new SettTimestampedKeyValueStore(name, METRICS_SCOPE)
        : new SettKeyValueStore(name, METRICS_SCOPE);
  }

  @Override
  public String metricsScope() {
    return METRICS_SCOPE;
  }

  @Override
  public String toString() {
    return "SettKeyValueBytesStoreSupplier[" + name + (timestamped ? ", timestamped]" : "]");
  }
}
