package dev.sett.kv.bench.kafka;

import java.io.File;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.To;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.AbstractProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.internals.RecordCollector;
import org.apache.kafka.streams.processor.internals.StateManager;
import org.apache.kafka.streams.processor.internals.StateRestoreCallbackAdapter;
import org.apache.kafka.streams.processor.internals.StreamTask;
import org.apache.kafka.streams.processor.internals.Task.TaskType;
import org.apache.kafka.streams.processor.internals.metrics.StreamsMetricsImpl;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.internals.ThreadCache;
import org.apache.kafka.streams.state.internals.ThreadCache.DirtyEntryFlushListener;

/**
 * The context one task's stores are initialized with, outside a running Kafka Streams: what
 * Kafka's own store tests use ({@code InternalMockProcessorContext} in Kafka's test jar) cut to
 * what a store stack needs. Kafka's metered store casts its context to {@code
 * InternalProcessorContext}, so a plain {@code StateStoreContext} (such as the test-utils'
 * {@code MockProcessorContext.getStateStoreContext()}) cannot init the real stack.
 *
 * <p>{@link #register} keeps each store's restore callback, as {@code ProcessorStateManager}
 * does, and {@link #restoreCallback} hands it back adapted to a {@link
 * RecordBatchingStateRestoreCallback} as the restore path does ({@code StateRestoreCallbackAdapter}).
 * Changelog writes ({@link #logChange}) are counted and dropped: there is no broker.
 */
final class BenchStoreContext extends AbstractProcessorContext<Object, Object> {
  private final File stateDir;
  private final Map<String, StateRestoreCallback> callbacks = new LinkedHashMap<>();
  private long changelogRecords;

  /**
   * A context for one task.
   *
   * @param stateDir the task's state directory
   * @param config the application's configuration (Sett's options customizer goes here)
   * @param task the task's id
   * @param cacheBytes the record cache of the task's thread ({@code statestore.cache.max.bytes})
   */
  BenchStoreContext(File stateDir, StreamsConfig config, TaskId task, long cacheBytes) {
    this(stateDir, config, task, new StreamsMetricsImpl(new Metrics(), "bench", Time.SYSTEM),
        cacheBytes);
  }

  private BenchStoreContext(File stateDir, StreamsConfig config, TaskId task,
      StreamsMetricsImpl metrics, long cacheBytes) {
    super(task, config, metrics, new ThreadCache(new LogContext(), cacheBytes, metrics));
    this.stateDir = stateDir;
    setCurrentNode(new ProcessorNode<>("bench-node"));
    setRecordContext(new ProcessorRecordContext(0, 0, 0, "bench-input", new RecordHeaders()));
  }

  /** A configuration with the given extra entries (application id and bootstrap set). */
  static StreamsConfig config(Map<String, Object> extra) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
    p.putAll(extra);
    return new StreamsConfig(p);
  }

  /** The restore callback the store named {@code store} registered, as the restore path sees it. */
  RecordBatchingStateRestoreCallback restoreCallback(String store) {
    StateRestoreCallback cb = callbacks.get(store);
    if (cb == null) {
      throw new IllegalStateException("store " + store + " registered no restore callback");
    }
    return StateRestoreCallbackAdapter.adapt(cb);
  }

  /** How many changelog records the stores' logging layers produced (and were dropped). */
  long changelogRecords() {
    return changelogRecords;
  }

  @Override
  public void register(StateStore store, StateRestoreCallback callback, CommitCallback commit) {
    callbacks.put(store.name(), callback);
  }

  @Override
  protected StateManager stateManager() {
    throw new UnsupportedOperationException("no state manager in the bench context");
  }

  @Override
  public File stateDir() {
    return stateDir;
  }

  @Override
  public TaskType taskType() {
    return TaskType.ACTIVE;
  }

  @Override
  public String changelogFor(String storeName) {
    return applicationId() + "-" + storeName + "-changelog";
  }

  @Override
  public void logChange(String storeName, Bytes key, byte[] value, long timestamp,
      Headers headers, Position position) {
    changelogRecords++;
  }

  @Override
  public void transitionToActive(StreamTask streamTask, RecordCollector recordCollector,
      ThreadCache newCache) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void transitionToStandby(ThreadCache newCache) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void registerCacheFlushListener(String namespace, DirtyEntryFlushListener listener) {
    cache().addDirtyEntryFlushListener(namespace, listener);
  }

  @Override
  public <S extends StateStore> S getStateStore(String name) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <K, V> void forward(Record<K, V> record) {}

  @Override
  public <K, V> void forward(Record<K, V> record, String childName) {}

  @Override
  public <K, V> void forward(FixedKeyRecord<K, V> record) {}

  @Override
  public <K, V> void forward(FixedKeyRecord<K, V> record, String childName) {}

  @Override
  public <K, V> void forward(K key, V value) {}

  @Override
  public <K, V> void forward(K key, V value, To to) {}

  @Override
  public Cancellable schedule(java.time.Instant startTime, Duration interval,
      PunctuationType type, Punctuator callback) {
    throw new UnsupportedOperationException();
  }

  /** No broker, so no record collector: {@link #logChange} drops changelog records. */
  public RecordCollector recordCollector() {
    throw new UnsupportedOperationException("no record collector: logChange drops changelog"
        + " records");
  }

  @Override
  public void commit() {}

  @Override
  public long currentStreamTimeMs() {
    return 0;
  }
}
