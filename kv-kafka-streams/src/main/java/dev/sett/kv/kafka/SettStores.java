package dev.sett.kv.kafka;

import static org.apache.kafka.streams.internals.ApiUtils.prepareMillisCheckFailMsgPrefix;
import static org.apache.kafka.streams.internals.ApiUtils.validateMillisecondDuration;

import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

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
 * <p>Each store keeps one Sett database under {@code <task state dir>/sett/<store name>}. Window
 * and session stores split their data into segments of {@code max(retention / 2, 1 minute)} of
 * stream time, as Kafka's do, and drop a segment once it is wholly past the retention period.
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

  /**
   * A persistent window store. Arguments are checked as {@code Stores.persistentWindowStore}
   * checks them.
   *
   * @param name the store's name
   * @param retentionPeriod how long windows are kept, in stream time (at least {@code
   *     windowSize})
   * @param windowSize the size of the windows (not negative)
   * @param retainDuplicates whether every put is kept (stream-stream joins), not just the last
   * @return the supplier
   * @throws IllegalArgumentException if a duration is negative, not representable in
   *     milliseconds, or the retention is smaller than the window size
   */
  public static WindowBytesStoreSupplier persistentWindowStore(String name,
      Duration retentionPeriod, Duration windowSize, boolean retainDuplicates) {
    return windowStore(name, retentionPeriod, windowSize, retainDuplicates, false);
  }

  /**
   * A persistent window store that keeps each value's timestamp (it implements {@code
   * TimestampedBytesStore}); what the DSL's windowed aggregations use. Arguments as {@link
   * #persistentWindowStore}.
   *
   * @param name the store's name
   * @param retentionPeriod how long windows are kept, in stream time
   * @param windowSize the size of the windows
   * @param retainDuplicates whether every put is kept, not just the last
   * @return the supplier
   * @throws IllegalArgumentException as {@link #persistentWindowStore}
   */
  public static WindowBytesStoreSupplier persistentTimestampedWindowStore(String name,
      Duration retentionPeriod, Duration windowSize, boolean retainDuplicates) {
    return windowStore(name, retentionPeriod, windowSize, retainDuplicates, true);
  }

  private static WindowBytesStoreSupplier windowStore(String name, Duration retentionPeriod,
      Duration windowSize, boolean retainDuplicates, boolean timestamped) {
    Objects.requireNonNull(name, "name cannot be null");
    long retentionMs = validateMillisecondDuration(retentionPeriod,
        prepareMillisCheckFailMsgPrefix(retentionPeriod, "retentionPeriod"));
    long windowSizeMs = validateMillisecondDuration(windowSize,
        prepareMillisCheckFailMsgPrefix(windowSize, "windowSize"));
    if (retentionMs < 0L) {
      throw new IllegalArgumentException("retentionPeriod cannot be negative");
    }
    if (windowSizeMs < 0L) {
      throw new IllegalArgumentException("windowSize cannot be negative");
    }
    if (windowSizeMs > retentionMs) {
      throw new IllegalArgumentException("The retention period of the window store " + name
          + " must be no smaller than its window size. Got size=[" + windowSize
          + "], retention=[" + retentionPeriod + "]");
    }
    return new SettWindowBytesStoreSupplier(name, retentionMs, segmentInterval(retentionMs),
        windowSizeMs, retainDuplicates, timestamped, false);
  }

  /**
   * A persistent session store. Arguments are checked as {@code Stores.persistentSessionStore}
   * checks them.
   *
   * @param name the store's name
   * @param retentionPeriod how long sessions are kept after they end, in stream time (at least
   *     the inactivity gap plus the grace period)
   * @return the supplier
   * @throws IllegalArgumentException if the retention is negative or not representable in
   *     milliseconds
   */
  public static SessionBytesStoreSupplier persistentSessionStore(String name,
      Duration retentionPeriod) {
    Objects.requireNonNull(name, "name cannot be null");
    long retentionMs = validateMillisecondDuration(retentionPeriod,
        prepareMillisCheckFailMsgPrefix(retentionPeriod, "retentionPeriod"));
    if (retentionMs < 0) {
      throw new IllegalArgumentException("retentionPeriod cannot be negative");
    }
    return new SettSessionBytesStoreSupplier(name, retentionMs, segmentInterval(retentionMs));
  }

  /** Kafka's default segment interval: half the retention, at least a minute. */
  static long segmentInterval(long retentionMs) {
    return Math.max(retentionMs / 2, 60_000L);
  }
}
