package dev.sett.kv.kafka;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent Kafka Streams window store on a Sett database, the counterpart of Kafka's {@code
 * RocksDBWindowStore}: entries are keyed by Kafka key and window start, laid out by segment of
 * the window start, then key, then start ({@link SegmentKeys}), and kept for the retention period
 * measured in stream time ({@link SettSegmentedStore}).
 *
 * <p>Results come in Kafka's order for its key-first window stores: segment by segment, and in a
 * segment by key, then window start. Fetching one key is one seek per segment; fetching a time
 * range of all keys ({@link #fetchAll}) reads the whole of each segment it touches.
 *
 * <p>With {@code retainDuplicates} every put adds an entry (a sequence number tells them apart, as
 * in Kafka) and a null value is ignored; without, a put replaces the window's value and a null
 * deletes it.
 *
 * <p>Used by the stream thread that owns the task; reads may also come from query threads (see
 * {@link StoreDb}'s notes). {@link #seqnum} is the writer's alone.
 */
class SettWindowStore extends SettSegmentedStore implements WindowStore<Bytes, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(SettWindowStore.class);
  /** Bytes after the key in a window entry's store key: the start and the sequence number. */
  static final int SUFFIX = 12;

  private final long windowSize;
  private final boolean retainDuplicates;
  private final boolean emitOnClose;
  private int seqnum;

  /**
   * @param emitOnClose whether the store serves an emit-on-window-close aggregation: windows are
   *     then readable one millisecond longer (see {@link #minLiveTime})
   */
  SettWindowStore(String name, String metricsScope, long retentionPeriod, long segmentInterval,
      long windowSize, boolean retainDuplicates, boolean emitOnClose) {
    super(name, metricsScope, retentionPeriod, segmentInterval);
    this.windowSize = windowSize;
    this.retainDuplicates = retainDuplicates;
    this.emitOnClose = emitOnClose;
  }

  /**
   * Windows starting at {@code streamTime - retention + 1} or later, as Kafka's window stores;
   * for an emit-on-close aggregation from {@code streamTime - retention}, as Kafka's time-ordered
   * window store: with a retention of window size plus grace (the DSL's default) the windows that
   * just closed start exactly there, and the aggregation reads them to emit them.
   */
  @Override
  long minLiveTime() {
    return emitOnClose ? super.minLiveTime() - 1 : super.minLiveTime();
  }

  @Override
  long segmentTimestamp(byte[] storeKey) {
    return SegmentKeys.longFromEnd(storeKey, SUFFIX);
  }

  @Override
  public void put(Bytes key, byte[] value, long windowStartTimestamp) {
    Objects.requireNonNull(key, "key cannot be null");
    if (value == null && retainDuplicates) {
      return; // a delete of one duplicate among many means nothing: Kafka ignores it too
    }
    if (retainDuplicates) {
      seqnum = (seqnum + 1) & 0x7FFFFFFF;
    }
    putEntry(storeKey(key.get(), windowStartTimestamp, seqnum), value);
  }

  private static byte[] storeKey(byte[] key, long start, int seq) {
    byte[] k = Arrays.copyOf(key, key.length + SUFFIX);
    System.arraycopy(SegmentKeys.windowSuffix(start, seq), 0, k, key.length, SUFFIX);
    return k;
  }

  /** With duplicates, the latest one's value (the current sequence number), as in Kafka. */
  @Override
  public byte[] fetch(Bytes key, long time) {
    Objects.requireNonNull(key, "key cannot be null");
    return getEntry(storeKey(key.get(), time, seqnum));
  }

  @Override
  public WindowStoreIterator<byte[]> fetch(Bytes key, long timeFrom, long timeTo) {
    return fetchKey(key, timeFrom, timeTo, false);
  }

  @Override
  public WindowStoreIterator<byte[]> backwardFetch(Bytes key, long timeFrom, long timeTo) {
    return fetchKey(key, timeFrom, timeTo, true);
  }

  private WindowStoreIterator<byte[]> fetchKey(Bytes key, long timeFrom, long timeTo,
      boolean reverse) {
    Objects.requireNonNull(key, "key cannot be null");
    byte[] k = key.get();
    long from = actualFrom(timeFrom);
    if (timeTo < from) {
      return new StartIterator(EmptyIterator.instance());
    }
    long lowest = Math.max(from, 0); // timestamps are not negative (see SegmentKeys)
    int length = SegmentKeys.HEADER + k.length + SUFFIX;
    // In the key's own range only keys of the same length are the key's (a longer key starting
    // with it can sort inside the range), and only their times can be in [from, timeTo].
    StoreIterator.Decoder<Long> decoder = (dataKey, value) -> dataKey.length != length ? null
        : KeyValue.pair(SegmentKeys.longFromEnd(dataKey, SUFFIX), value);
    return new StartIterator(segments(from, timeTo, reverse, (s, segment) -> s.iterate(
        SegmentKeys.dataKey(segment, k, SegmentKeys.windowSuffix(lowest, 0)),
        SegmentKeys.dataKey(segment, k, SegmentKeys.windowSuffix(timeTo, -1)),
        SegmentKeys.prefix(segment), reverse, decoder)));
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes keyFrom, Bytes keyTo,
      long timeFrom, long timeTo) {
    return fetchRange(keyFrom, keyTo, timeFrom, timeTo, false);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(Bytes keyFrom, Bytes keyTo,
      long timeFrom, long timeTo) {
    return fetchRange(keyFrom, keyTo, timeFrom, timeTo, true);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetchAll(long timeFrom, long timeTo) {
    return fetchRange(null, null, timeFrom, timeTo, false);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetchAll(long timeFrom,
      long timeTo) {
    return fetchRange(null, null, timeFrom, timeTo, true);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> all() {
    return fetchRange(null, null, Long.MIN_VALUE, Long.MAX_VALUE, false);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardAll() {
    return fetchRange(null, null, Long.MIN_VALUE, Long.MAX_VALUE, true);
  }

  /** Windows of keys in [keyFrom, keyTo] (null: open) starting in [timeFrom, timeTo]. */
  private KeyValueIterator<Windowed<Bytes>, byte[]> fetchRange(Bytes keyFrom, Bytes keyTo,
      long timeFrom, long timeTo, boolean reverse) {
    open();
    if (keyFrom != null && keyTo != null && keyFrom.compareTo(keyTo) > 0) {
      LOG.warn(SettKeyValueStore.INVALID_RANGE_WARNING);
      return EmptyIterator.instance();
    }
    long from = actualFrom(timeFrom);
    if (timeTo < from) {
      return EmptyIterator.instance();
    }
    byte[] lo = keyFrom == null ? null : keyFrom.get();
    byte[] hi = keyTo == null ? null : keyTo.get();
    StoreIterator.Decoder<Windowed<Bytes>> decoder = (dataKey, value) -> {
      long start = SegmentKeys.longFromEnd(dataKey, SUFFIX);
      if (start < from || start > timeTo) {
        return null;
      }
      byte[] key = SegmentKeys.userKey(dataKey, SUFFIX);
      if (lo != null && Arrays.compareUnsigned(key, lo) < 0
          || hi != null && Arrays.compareUnsigned(key, hi) > 0) {
        return null;
      }
      return KeyValue.pair(new Windowed<>(Bytes.wrap(key), window(start)), value);
    };
    return segments(from, timeTo, reverse, (s, segment) -> s.iterate(
        lo == null ? null : SegmentKeys.dataKey(segment, lo, new byte[0]),
        hi == null ? null : SegmentKeys.upperBound(segment, hi,
            SegmentKeys.windowSuffix(Math.min(timeTo, segmentEnd(segment)), -1)),
        SegmentKeys.prefix(segment), reverse, decoder));
  }

  /** The window starting at {@code start}; its end saturates, as Kafka's does. */
  private TimeWindow window(long start) {
    long end = start + windowSize;
    return new TimeWindow(start, end < 0 ? Long.MAX_VALUE : end);
  }

  /** The window iterator of one key: window starts and values. */
  private static final class StartIterator implements WindowStoreIterator<byte[]> {
    private final KeyValueIterator<Long, byte[]> it;

    StartIterator(KeyValueIterator<Long, byte[]> it) {
      this.it = it;
    }

    @Override
    public boolean hasNext() {
      return it.hasNext();
    }

    @Override
    public KeyValue<Long, byte[]> next() {
      if (!it.hasNext()) {
        throw new NoSuchElementException();
      }
      return it.next();
    }

    @Override
    public Long peekNextKey() {
      return it.peekNextKey();
    }

    @Override
    public void close() {
      it.close();
    }
  }
}
