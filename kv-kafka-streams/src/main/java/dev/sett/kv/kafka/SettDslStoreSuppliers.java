package dev.sett.kv.kafka;

import java.util.Map;
import org.apache.kafka.streams.DslStoreFormat;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.DslSessionParams;
import org.apache.kafka.streams.state.DslStoreSuppliers;
import org.apache.kafka.streams.state.DslWindowParams;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

/**
 * Moves every state store the Kafka Streams DSL creates to Sett:
 *
 * <pre>{@code
 * props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, SettDslStoreSuppliers.class);
 * }</pre>
 *
 * <p>Key-value stores (tables, aggregations, joins' tables) and window and session stores
 * (windowed aggregations, stream-stream joins) come from {@link SettStores}. What the DSL does not
 * take from this class stays on Kafka's own stores: {@code suppress()} buffers and the versioned
 * stores of stream-table joins with a grace period.
 */
public class SettDslStoreSuppliers implements DslStoreSuppliers {

  /** Public, for Kafka Streams to create it by class name. */
  public SettDslStoreSuppliers() {}

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public KeyValueBytesStoreSupplier keyValueStore(DslKeyValueParams params) {
    DslStoreFormat format = params.dslStoreFormat();
    return switch (format) {
      case HEADERS -> SettStores.persistentTimestampedKeyValueStoreWithHeaders(params.name());
      case TIMESTAMPED -> SettStores.persistentTimestampedKeyValueStore(params.name());
      case PLAIN -> SettStores.persistentKeyValueStore(params.name());
    };
  }

  @Override
  public WindowBytesStoreSupplier windowStore(DslWindowParams params) {
    throw new UnsupportedOperationException("window stores: not yet built");
  }

  @Override
  public SessionBytesStoreSupplier sessionStore(DslSessionParams params) {
    throw new UnsupportedOperationException("session stores: not yet built");
  }
}
