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

  /**
   * Window stores of windowed aggregations (tumbling, hopping, sliding) and of stream-stream joins
   * ({@code retainDuplicates}).
   *
   * <p>With emit strategy ON_WINDOW_CLOSE, Kafka's own supplier returns a time-ordered store with
   * a key index. What the DSL's processor asks of the store is the same as otherwise (point
   * fetches and key fetches for the aggregation, and {@code fetchAll(timeFrom, timeTo)} to emit
   * the windows that closed), and Sett's key-first store answers all of it correctly: the closed
   * windows come out grouped by key instead of by time, which the processor does not rely on.
   * What differs is the cost: {@code fetchAll} over a time range reads every entry of the
   * segments that range touches, where a time-ordered layout reads only the closed windows. With
   * Kafka's default segment interval (half the retention) that is up to about half the store per
   * emit; an application emitting on close with a large store may prefer Kafka's store for it.
   */
  @Override
  public WindowBytesStoreSupplier windowStore(DslWindowParams params) {
    DslStoreFormat format = params.dslStoreFormat();
    if (format == DslStoreFormat.HEADERS) {
      throw new IllegalArgumentException("window store " + params.name() + ": Sett has no store"
          + " for the HEADERS format yet; use the TIMESTAMPED (default) format");
    }
    return format == DslStoreFormat.PLAIN
        ? SettStores.persistentWindowStore(params.name(), params.retentionPeriod(),
            params.windowSize(), params.retainDuplicates())
        : SettStores.persistentTimestampedWindowStore(params.name(), params.retentionPeriod(),
            params.windowSize(), params.retainDuplicates());
  }

  /**
   * Session stores of session-windowed aggregations. With emit strategy ON_WINDOW_CLOSE the DSL's
   * processor asks for the sessions that end in a time range ({@code findSessions(long, long)});
   * Sett's session store answers it by reading the segments of that range (Kafka's plain session
   * store does not answer it; its time-ordered one reads only the sessions in the range).
   */
  @Override
  public SessionBytesStoreSupplier sessionStore(DslSessionParams params) {
    if (params.storeFormat() == DslStoreFormat.HEADERS) {
      throw new IllegalArgumentException("session store " + params.name() + ": Sett has no store"
          + " for the HEADERS format yet; use the default format");
    }
    return SettStores.persistentSessionStore(params.name(), params.retentionPeriod());
  }
}
