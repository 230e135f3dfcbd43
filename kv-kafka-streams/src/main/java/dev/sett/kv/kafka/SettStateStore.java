package dev.sett.kv.kafka;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.internals.StoreQueryUtils;

/**
 * The lifecycle every Sett store kind shares: {@link #init} opens the store's {@link StoreDb},
 * registers its metrics and the batching restore callback; commits, committed offsets, close,
 * interactive queries (through Kafka's {@link StoreQueryUtils}, which calls the store's own read
 * methods) and the position follow. Subclasses lay out their keys and restore their records.
 *
 * <p>Used as Kafka uses a store: by the stream thread that owns its task, queries also from other
 * threads (see {@link StoreDb}'s notes). {@link #store} is written by {@code init} on the owning
 * thread before Kafka publishes the store to query threads.
 */
abstract class SettStateStore implements StateStore {
  private final String name;
  private final String metricsScope;
  private StoreDb store;
  private StoreMetrics metrics;
  private StateStoreContext context;

  SettStateStore(String name, String metricsScope) {
    this.name = Objects.requireNonNull(name, "name cannot be null");
    this.metricsScope = Objects.requireNonNull(metricsScope, "metricsScope cannot be null");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    if (store != null && store.isOpen()) {
      throw new IllegalStateException("store " + name + " is already open");
    }
    this.context = context;
    Map<String, Object> configs = context.appConfigs();
    boolean consistency = StreamsConfig.InternalConfig.getBoolean(configs,
        StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, false);
    StoreDb s = new StoreDb(name, SettStoreConfig.open(context, name),
        SettStoreConfig.exactlyOnce(configs));
    store = s;
    opened(s, context);
    metrics = StoreMetrics.register(context, metricsScope, name, s.db());
    context.register(root, (RecordBatchingStateRestoreCallback) records -> restoreBatch(records,
        consistency));
  }

  /** Called by {@link #init} once the database is open, before the store is registered. */
  void opened(StoreDb s, StateStoreContext context) {}

  /** Writes one batch of changelog records (one Sett write batch). */
  abstract void restoreBatch(Collection<ConsumerRecord<byte[], byte[]>> records,
      boolean consistency);

  /** The open store's database, or {@link InvalidStateStoreException}. */
  StoreDb open() {
    StoreDb s = store;
    if (s == null || !s.isOpen()) {
      throw new InvalidStateStoreException("store " + name + " is not open");
    }
    return s;
  }

  /** The context the store was initialized with. */
  StateStoreContext context() {
    return context;
  }

  @Override
  public boolean persistent() {
    return true;
  }

  @Override
  public boolean isOpen() {
    StoreDb s = store;
    return s != null && s.isOpen();
  }

  @Override
  @SuppressWarnings("deprecation")
  public boolean managesOffsets() {
    return true;
  }

  @Override
  public void commit(Map<TopicPartition, Long> changelogOffsets) {
    open().commit(changelogOffsets);
  }

  @Override
  public Long committedOffset(TopicPartition partition) {
    return open().committedOffset(partition);
  }

  @Override
  public void close() {
    StoreDb s = store;
    if (s == null || !s.isOpen()) {
      return;
    }
    try {
      s.close();
    } finally {
      metrics.remove();
    }
  }

  @Override
  public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound,
      QueryConfig config) {
    StoreDb s = open();
    return StoreQueryUtils.handleBasicQueries(query, positionBound, config, this,
        s.positionForReader(), context);
  }

  @Override
  public Position getPosition() {
    StoreDb s = store;
    return s == null ? Position.emptyPosition() : s.positionForReader();
  }

  /** The store's database adapter (for tests in this package). */
  StoreDb storeDb() {
    return store;
  }
}
