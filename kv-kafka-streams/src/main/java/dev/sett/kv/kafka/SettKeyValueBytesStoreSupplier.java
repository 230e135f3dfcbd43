package dev.sett.kv.kafka;

import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.HeadersBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Supplies Sett key-value stores: plain, timestamped or with headers (see {@link SettStores}).
 */
class SettKeyValueBytesStoreSupplier implements KeyValueBytesStoreSupplier {
  /** The metrics scope of Sett's key-value stores. */
  static final String METRICS_SCOPE = "sett"; // Kafka tags metrics "<scope>-state-id"

  /** What the values hold besides the value, in Kafka's formats. */
  enum Format { PLAIN, TIMESTAMPED, HEADERS }

  private final String name;
  private final Format format;

  SettKeyValueBytesStoreSupplier(String name, Format format) {
    this.name = Objects.requireNonNull(name, "name cannot be null");
    this.format = format;
  }

  /** Headers stores must also be found by Kafka's marker interface on the supplier. */
  static final class WithHeaders extends SettKeyValueBytesStoreSupplier
      implements HeadersBytesStoreSupplier {
    WithHeaders(String name) {
      super(name, Format.HEADERS);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public KeyValueStore<Bytes, byte[]> get() {
    return switch (format) {
      case PLAIN -> new SettKeyValueStore(name, METRICS_SCOPE);
      case TIMESTAMPED -> new SettTimestampedKeyValueStore(name, METRICS_SCOPE);
      case HEADERS -> new SettHeadersKeyValueStore(name, METRICS_SCOPE);
    };
  }

  @Override
  public String metricsScope() {
    return METRICS_SCOPE;
  }

  @Override
  public String toString() {
    return "SettKeyValueBytesStoreSupplier[" + name + ", " + format + "]";
  }
}
