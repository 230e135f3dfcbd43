package dev.sett.kv.kafka;

import dev.sett.kv.Db;
import dev.sett.kv.DbStats;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.metrics.StreamsMetricsImpl;

/**
 * Sett's statistics of one store's database as Kafka Streams store-level metrics: gauges under
 * the supplier's metrics scope with the store's task and name as tags (as Kafka's RocksDB store
 * reports its own), removed when the store closes.
 *
 * <p>Gauges read {@link Db#stats()} when a reporter asks, so nothing is computed on the write
 * path. Without Kafka's metrics implementation (a test's mock context) nothing is registered.
 */
final class StoreMetrics {
  private final StreamsMetricsImpl metrics;
  private final String taskId;
  private final String storeName;

  private StoreMetrics(StreamsMetricsImpl metrics, String taskId, String storeName) {
    this.metrics = metrics;
    this.taskId = taskId;
    this.storeName = storeName;
  }

  /** Registers the gauges of {@code db}; returns what removes them. */
  static StoreMetrics register(StateStoreContext context, String scope, String storeName,
      Db db) {
    StreamsMetrics m = context.metrics();
    if (!(m instanceof StreamsMetricsImpl impl) || context.taskId() == null) {
      return new StoreMetrics(null, null, storeName);
    }
    StoreMetrics sm = new StoreMetrics(impl, context.taskId().toString(), storeName);
    sm.gauge(scope, db, "sett-memtable-bytes", "bytes the store's memtables hold",
        DbStats::memTableBytes);
    sm.gauge(scope, db, "sett-memtables", "memtables held, the mutable one included",
        s -> s.memTables());
    sm.gauge(scope, db, "sett-block-cache-bytes", "bytes of table blocks cached",
        DbStats::blockCacheBytes);
    sm.gauge(scope, db, "sett-index-cache-bytes", "bytes of table indexes and filters cached",
        DbStats::indexCacheBytes);
    sm.gauge(scope, db, "sett-memory-budget-bytes", "the memory budget the store draws from",
        DbStats::memoryBudget);
    sm.gauge(scope, db, "sett-table-bytes", "bytes of tables in the LSM tree",
        DbStats::tableBytes);
    sm.gauge(scope, db, "sett-level0-tables", "tables in level 0",
        s -> s.levels().isEmpty() ? 0 : s.levels().get(0).tables());
    sm.gauge(scope, db, "sett-value-log-bytes", "bytes of value log files",
        DbStats::valueLogBytes);
    sm.gauge(scope, db, "sett-wal-bytes-written-total", "bytes appended to write-ahead logs",
        DbStats::walBytesWritten);
    sm.gauge(scope, db, "sett-flushes-total", "memtable flushes", DbStats::flushes);
    sm.gauge(scope, db, "sett-compactions-total", "compactions", DbStats::compactions);
    sm.gauge(scope, db, "sett-compaction-bytes-written-total", "bytes compactions wrote",
        DbStats::compactionBytesWritten);
    sm.gauge(scope, db, "sett-write-stall-ms-total", "time writes waited for a flush",
        s -> s.writeStallNanos() / 1_000_000);
    return sm;
  }

  private void gauge(String scope, Db db, String name, String description,
      ToLongFunction<DbStats> read) {
    Gauge<Long> g = (config, now) -> db.isClosed() ? 0L : read.applyAsLong(db.stats());
    metrics.addStoreLevelMutableMetric(taskId, scope, storeName, name, description,
        Sensor.RecordingLevel.INFO, g);
  }

  /** Removes the gauges. */
  void remove() {
    if (metrics != null) {
      metrics.removeAllStoreLevelSensorsAndMetrics(taskId, storeName);
    }
  }
}
