package dev.sett.kv.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.metrics.StreamsMetricsImpl;
import org.apache.kafka.streams.processor.internals.metrics.TaskMetrics;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Sett's window and session stores share: one {@link StoreDb} whose data keys are laid out
 * in time segments ({@link SegmentKeys}), retention measured in stream time, and the store
 * lifecycle (init, restore, commit with the changelog offsets, close, interactive queries).
 *
 * <p><b>Retention.</b> The observed stream time is the largest timestamp the store was given
 * (a window's start, a session's end). An entry whose timestamp is below {@code streamTime -
 * retention + 1} is never returned, and a write to a segment wholly below {@code streamTime -
 * retention} is dropped (counted in the task's dropped-records sensor), as Kafka's segmented
 * stores do. The stream time is committed with the data, so a reopened store keeps measuring from
 * it.
 *
 * <p><b>Expiry.</b> When a write moves the stream time past a segment's end plus the retention,
 * the segments wholly expired are deleted with one {@link StoreDb#dropPrefixes} call (a batch of
 * tombstones; compactions reclaim the space). That happens once per segment interval of stream
 * time (half the retention by default), whether or not Kafka commits the store meanwhile (under
 * exactly-once, Kafka Streams 4.3 commits a running store only at a rebalance or shutdown). A
 * crash before the next commit cannot bring expired data back into view: the rolled-back store
 * restores the changelog after its offsets, and the restore skips records its stream time has
 * expired.
 *
 * <p>Concurrency notes. Writes, restore, commit and expiry run on the stream thread that owns the
 * task; {@link #observedStreamTime} and {@link #maxSegment} are volatile because interactive
 * queries on other threads read them to bound their scans. What the queries read is {@link
 * StoreDb}'s business (see its notes). A query that races a segment's expiry may still see the
 * segment's entries (its snapshot predates the drop) or miss them; either way they are expired.
 */
abstract class SettSegmentedStore extends SettStateStore {
  private static final Logger LOG = LoggerFactory.getLogger(SettSegmentedStore.class);

  /** How long entries are kept, in stream time. */
  final long retentionPeriod;
  /** The span of stream time one segment holds. */
  final long segmentInterval;

  private Sensor expiredRecords; // null without Kafka's metrics (a mock context)

  private volatile long observedStreamTime = ConsumerRecord.NO_TIMESTAMP;
  private boolean streamTimeChanged;
  /** The highest segment that may hold data; Long.MIN_VALUE when there is none. */
  private volatile long maxSegment = Long.MIN_VALUE;
  /** Every segment below this one was dropped (or never held data). */
  private long droppedBelow = Long.MIN_VALUE;

  SettSegmentedStore(String name, String metricsScope, long retentionPeriod,
      long segmentInterval) {
    super(name, metricsScope);
    if (retentionPeriod < 0) {
      throw new IllegalArgumentException("retentionPeriod cannot be negative");
    }
    if (segmentInterval <= 0) {
      throw new IllegalArgumentException("segmentInterval must be positive");
    }
    this.retentionPeriod = retentionPeriod;
    this.segmentInterval = segmentInterval;
  }

  /** The timestamp an entry is segmented and expired by, read from Kafka's store key. */
  abstract long segmentTimestamp(byte[] storeKey);

  @Override
  void opened(StoreDb s, StateStoreContext context) {
    loadStreamTime(s);
    if (context.metrics() instanceof StreamsMetricsImpl impl && context.taskId() != null) {
      expiredRecords = TaskMetrics.droppedRecordsSensor(Thread.currentThread().getName(),
          context.taskId().toString(), impl);
    }
  }

  /**
   * Reads the committed stream time and the highest segment on disk. Data may be ahead of the
   * committed stream time (a write buffer spilled before a crash under at-least-once): then the
   * start of the highest segment is taken, which is below the true stream time, so nothing
   * expires early.
   */
  private void loadStreamTime(StoreDb s) {
    byte[] t = s.get(StoreKeys.STREAM_TIME_KEY);
    long streamTime = t == null ? ConsumerRecord.NO_TIMESTAMP : StoreKeys.longOf(t);
    Long last = firstSegment(s, null, true);
    if (last != null) {
      maxSegment = last;
      streamTime = Math.max(streamTime, last * segmentInterval);
    }
    observedStreamTime = streamTime;
  }

  /**
   * The first segment holding data at or after {@code from} (at or before it when {@code
   * reverse}; null: from the end), or null when there is none. One seek.
   */
  private static Long firstSegment(StoreDb s, Long from, boolean reverse) {
    byte[] bound = from == null ? null : SegmentKeys.prefix(from);
    try (StoreIterator<Long> it = s.iterate(reverse ? null : bound, reverse ? bound : null, null,
        reverse, (key, value) -> KeyValue.pair(SegmentKeys.segmentOf(key), null))) {
      return it.hasNext() ? it.next().key : null;
    }
  }

  @Override
  void restoreBatch(Collection<ConsumerRecord<byte[], byte[]>> records, boolean consistency) {
    StoreDb s = open();
    // As Kafka's segmented stores: stream time moves to the batch's largest timestamp first, so
    // records the batch itself expires are not written.
    for (ConsumerRecord<byte[], byte[]> r : records) {
      observe(segmentTimestamp(r.key()));
    }
    long minLive = minLiveSegment();
    s.restore(records, storeKey -> {
      long segment = segmentId(segmentTimestamp(storeKey));
      if (segment < minLive) {
        return null;
      }
      if (segment > maxSegment) {
        maxSegment = segment;
      }
      return SegmentKeys.dataKey(segment, storeKey);
    }, consistency);
  }

  /** Commits the write buffer with the offsets and the stream time. */
  @Override
  public void commit(Map<TopicPartition, Long> changelogOffsets) {
    StoreDb s = open();
    if (streamTimeChanged) {
      s.put(StoreKeys.STREAM_TIME_KEY, StoreKeys.longBytes(observedStreamTime));
      streamTimeChanged = false;
    }
    s.commit(changelogOffsets);
  }

  /** Drops the segments wholly below the retention (see the class notes); one seek if none. */
  private void dropExpired(StoreDb s) {
    long minLive = minLiveSegment();
    if (minLive <= droppedBelow) {
      return;
    }
    List<byte[]> prefixes = new ArrayList<>();
    Long segment = firstSegment(s, droppedBelow, false);
    while (segment != null && segment < minLive) {
      prefixes.add(SegmentKeys.prefix(segment));
      segment = firstSegment(s, segment + 1, false);
    }
    if (!prefixes.isEmpty()) {
      long start = System.nanoTime();
      long keys = s.dropPrefixes(prefixes);
      LOG.debug("store {}: dropped {} expired segments ({} keys) in {} ms", name(),
          prefixes.size(), keys, (System.nanoTime() - start) / 1_000_000);
    }
    droppedBelow = minLive;
  }

  // ---------------------------------------------------------------- retention

  private void observe(long timestamp) {
    if (timestamp > observedStreamTime) {
      observedStreamTime = timestamp;
      streamTimeChanged = true;
    }
  }

  long segmentId(long timestamp) {
    return SegmentKeys.segmentId(timestamp, segmentInterval);
  }

  /** The oldest timestamp still readable (a store kind may move it; see SettWindowStore). */
  long minLiveTime() {
    return observedStreamTime - retentionPeriod + 1;
  }

  /** Segments below this one are wholly expired (as Kafka's {@code AbstractSegments}). */
  private long minLiveSegment() {
    return segmentId(observedStreamTime - retentionPeriod);
  }

  /** {@code from} raised to the oldest timestamp still readable. */
  long actualFrom(long from) {
    return Math.max(from, minLiveTime());
  }

  /** The largest timestamp an entry of {@code segment} can hold. */
  long segmentEnd(long segment) {
    long end = (segment + 1) * segmentInterval - 1;
    return end < segment ? Long.MAX_VALUE : end; // overflow in the last segment
  }

  // ---------------------------------------------------------------- data

  /**
   * Writes an entry under Kafka's store key ({@code value} null deletes), unless its segment has
   * expired. Moves the stream time and the position.
   */
  void putEntry(byte[] storeKey, byte[] value) {
    StoreDb s = open();
    long timestamp = segmentTimestamp(storeKey);
    observe(timestamp);
    if (minLiveSegment() > droppedBelow) {
      dropExpired(s);
    }
    long segment = segmentId(timestamp);
    if (segment < minLiveSegment()) {
      if (expiredRecords != null) {
        expiredRecords.record();
      }
      return;
    }
    s.put(SegmentKeys.dataKey(segment, storeKey), value);
    if (segment > maxSegment) {
      maxSegment = segment;
    }
    s.trackPosition(context());
  }

  /** The value under Kafka's store key, or null when absent or expired. */
  byte[] getEntry(byte[] storeKey) {
    StoreDb s = open();
    long timestamp = segmentTimestamp(storeKey);
    if (timestamp < minLiveTime()) {
      return null;
    }
    return s.get(SegmentKeys.dataKey(segmentId(timestamp), storeKey));
  }

  /** Scans one segment: the store's iterator over the segment's keys in [from, to]. */
  interface SegmentScan<T> {
    StoreIterator<T> open(StoreDb store, long segment);
  }

  /**
   * The entries of the segments holding timestamps in [{@code fromTime}, {@code toTime}], the
   * expired and the empty ones left out, each scanned by {@code scan}.
   */
  <T> KeyValueIterator<T, byte[]> segments(long fromTime, long toTime, boolean reverse,
      SegmentScan<T> scan) {
    StoreDb s = open();
    long lo = Math.max(segmentId(fromTime), minLiveSegment());
    long hi = Math.min(segmentId(toTime), maxSegment);
    if (lo > hi) {
      return EmptyIterator.instance();
    }
    return new SegmentedIterator<>(s, reverse ? hi : lo, reverse ? lo : hi, reverse,
        segment -> scan.open(s, segment));
  }

  /** The observed stream time (for tests in this package). */
  long observedStreamTime() {
    return observedStreamTime;
  }
}
