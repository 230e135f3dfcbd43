package dev.sett.kv.kafka;

import java.util.Map;
import org.apache.kafka.streams.DslStoreFormat;
import org.apache.kafka.streams.kstream.EmitStrategy;
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
   * a key index. What the DSL's processor asks of it: point fetches, key fetches (sliding
   * windows) and {@code fetchAll(timeFrom, timeTo)} to emit the windows that closed, whose
   * starts lie exactly at the retention's edge ({@code streamTime - retention}) when the
   * retention is window size plus grace. Kafka's time-ordered store keeps that edge readable;
   * its key-first store does not (it reads from {@code streamTime - retention + 1}) and would
   * emit nothing. So the store served here is Sett's key-first window store set to read from
   * the same edge as the time-ordered one ({@link SettWindowStore#minLiveTime}). Its results are
   * the same windows, grouped by key instead of by time (the processor does not rely on the
   * order). The cost differs: {@code fetchAll} over a time range reads every entry of the
   * segments the range touches, where a time-ordered layout reads only the closed windows; with
   * the default segment interval (half the retention, at least a minute) an emit reads up to two
   * segments' worth of windows.
   */
  @Override
  public WindowBytesStoreSupplier windowStore(DslWindowParams params) {
    DslStoreFormat format = params.dslStoreFormat();
    if (format == DslStoreFormat.HEADERS) {
      throw new IllegalArgumentException("window store " + params.name() + ": Sett has no store"
          + " for the HEADERS format yet; use the TIMESTAMPED (default) format");
    }
    SettWindowBytesStoreSupplier supplier = (SettWindowBytesStoreSupplier)
        (format == DslStoreFormat.PLAIN
        ? SettStores.persistentWindowStore(params.name(), params.retentionPeriod(),
            params.windowSize(), params.retainDuplicates())
        : SettStores.persistentTimestampedWindowStore(params.name(), params.retentionPeriod(),
            params.windowSize(), params.retainDuplicates()));
    return params.emitStrategy().type() == EmitStrategy.StrategyType.ON_WINDOW_CLOSE
        ? supplier.emittingOnClose() : supplier;
  }

  /**
   * Session stores of session-windowed aggregations. With emit strategy ON_WINDOW_CLOSE the DSL's
   * processor asks for the sessions that end in a time range ({@code findSessions(long, long)});
   * Sett's session store answers it as Kafka's time-ordered one does (sessions at the retention's
   * edge included), by reading the segments of that range, where the time-ordered layout reads
   * only the sessions in the range. Kafka's plain session store does not answer it at all.
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
