package dev.sett.kv.kafka;

import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.SessionWindow;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent Kafka Streams session store on a Sett database, the counterpart of Kafka's {@code
 * RocksDBSessionStore}: sessions are keyed by Kafka key, end and start, laid out by segment of the
 * end, then key, end, start ({@link SegmentKeys}), and kept for the retention period measured in
 * stream time (the largest session end seen; see {@link SettSegmentedStore}).
 *
 * <p>Results come in Kafka's order for its segmented session store: segment by segment, and in a
 * segment by key, then end, then start. Unlike Kafka's plain session store this one also answers
 * {@link #findSessions(long, long)} (sessions ending in a time range, what the DSL's
 * emit-on-window-close session aggregation asks for), by reading the segments of that range.
 *
 * <p>Used by the stream thread that owns the task; reads may also come from query threads (see
 * {@link StoreDb}'s notes).
 */
final class SettSessionStore extends SettSegmentedStore implements SessionStore<Bytes, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(SettSessionStore.class);
  /** Bytes after the key in a session's store key: the end and the start. */
  static final int SUFFIX = 16;

  SettSessionStore(String name, String metricsScope, long retentionPeriod,
      long segmentInterval) {
    super(name, metricsScope, retentionPeriod, segmentInterval);
  }

  @Override
  long segmentTimestamp(byte[] storeKey) {
    return SegmentKeys.longFromEnd(storeKey, SUFFIX); // the end
  }

  private static byte[] storeKey(byte[] key, long end, long start) {
    byte[] k = Arrays.copyOf(key, key.length + SUFFIX);
    System.arraycopy(SegmentKeys.sessionSuffix(end, start), 0, k, key.length, SUFFIX);
    return k;
  }

  private static byte[] storeKey(Windowed<Bytes> session) {
    Objects.requireNonNull(session, "sessionKey cannot be null");
    Objects.requireNonNull(session.key(), "key cannot be null");
    return storeKey(session.key().get(), session.window().end(), session.window().start());
  }

  @Override
  public void put(Windowed<Bytes> sessionKey, byte[] aggregate) {
    putEntry(storeKey(sessionKey), aggregate);
  }

  @Override
  public void remove(Windowed<Bytes> sessionKey) {
    putEntry(storeKey(sessionKey), null);
  }

  @Override
  public byte[] fetchSession(Bytes key, long sessionStartTime, long sessionEndTime) {
    Objects.requireNonNull(key, "key cannot be null");
    return getEntry(storeKey(key.get(), sessionEndTime, sessionStartTime));
  }

  // ---------------------------------------------------------------- one key

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(Bytes key,
      long earliestSessionEndTime, long latestSessionStartTime) {
    return findKey(key, earliestSessionEndTime, latestSessionStartTime, false);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFindSessions(Bytes key,
      long earliestSessionEndTime, long latestSessionStartTime) {
    return findKey(key, earliestSessionEndTime, latestSessionStartTime, true);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes key) {
    return findKey(key, 0, Long.MAX_VALUE, false);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(Bytes key) {
    return findKey(key, 0, Long.MAX_VALUE, true);
  }

  /** Sessions of {@code key} ending at or after {@code earliestEnd}, starting by latestStart. */
  private KeyValueIterator<Windowed<Bytes>, byte[]> findKey(Bytes key, long earliestEnd,
      long latestStart, boolean reverse) {
    Objects.requireNonNull(key, "key cannot be null");
    byte[] k = key.get();
    long from = actualFrom(earliestEnd);
    long lowest = Math.max(from, 0); // timestamps are not negative (see SegmentKeys)
    int length = SegmentKeys.HEADER + k.length + SUFFIX;
    Bytes user = Bytes.wrap(k);
    // In the key's own range only keys of the same length are the key's (a longer key starting
    // with it can sort inside the range); the range bounds the end, the decoder the start.
    StoreIterator.Decoder<Windowed<Bytes>> decoder = (dataKey, value) -> {
      if (dataKey.length != length) {
        return null;
      }
      long start = SegmentKeys.longFromEnd(dataKey, 8);
      return start > latestStart ? null : KeyValue.pair(
          new Windowed<>(user, new SessionWindow(start, SegmentKeys.longFromEnd(dataKey, SUFFIX))),
          value);
    };
    return segments(from, Long.MAX_VALUE, reverse, (s, segment) -> s.iterate(
        SegmentKeys.dataKey(segment, k, SegmentKeys.sessionSuffix(lowest, 0)),
        SegmentKeys.dataKey(segment, k, SegmentKeys.sessionSuffix(segmentEnd(segment), -1)),
        SegmentKeys.prefix(segment), reverse, decoder));
  }

  // ---------------------------------------------------------------- key ranges

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(Bytes keyFrom, Bytes keyTo,
      long earliestSessionEndTime, long latestSessionStartTime) {
    return findRange(keyFrom, keyTo, earliestSessionEndTime, Long.MAX_VALUE,
        latestSessionStartTime, false, true);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFindSessions(Bytes keyFrom,
      Bytes keyTo, long earliestSessionEndTime, long latestSessionStartTime) {
    return findRange(keyFrom, keyTo, earliestSessionEndTime, Long.MAX_VALUE,
        latestSessionStartTime, true, true);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes keyFrom, Bytes keyTo) {
    return findRange(keyFrom, keyTo, 0, Long.MAX_VALUE, Long.MAX_VALUE, false, true);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(Bytes keyFrom, Bytes keyTo) {
    return findRange(keyFrom, keyTo, 0, Long.MAX_VALUE, Long.MAX_VALUE, true, true);
  }

  /**
   * Sessions of every key ending in [earliestSessionEndTime, latestSessionEndTime], as Kafka's
   * time-ordered session store answers it: sessions in segments not yet dropped are returned even
   * when they are older than the retention. The DSL's emit-on-close aggregation relies on that:
   * it asks for the sessions that just closed, and with a retention of gap plus grace (its
   * default) those end exactly at the retention's edge.
   */
  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(long earliestSessionEndTime,
      long latestSessionEndTime) {
    return findRange(null, null, earliestSessionEndTime, latestSessionEndTime, Long.MAX_VALUE,
        false, false);
  }

  /**
   * Sessions of keys in [keyFrom, keyTo] (null: open) ending in [earliestEnd, latestEnd] and
   * starting at or before latestStart; {@code retained}: only those within the retention.
   */
  private KeyValueIterator<Windowed<Bytes>, byte[]> findRange(Bytes keyFrom, Bytes keyTo,
      long earliestEnd, long latestEnd, long latestStart, boolean reverse, boolean retained) {
    open();
    if (keyFrom != null && keyTo != null && keyFrom.compareTo(keyTo) > 0) {
      LOG.warn(SettKeyValueStore.INVALID_RANGE_WARNING);
      return EmptyIterator.instance();
    }
    long from = retained ? actualFrom(earliestEnd) : earliestEnd;
    byte[] lo = keyFrom == null ? null : keyFrom.get();
    byte[] hi = keyTo == null ? null : keyTo.get();
    StoreIterator.Decoder<Windowed<Bytes>> decoder = (dataKey, value) -> {
      long end = SegmentKeys.longFromEnd(dataKey, SUFFIX);
      long start = SegmentKeys.longFromEnd(dataKey, 8);
      if (end < from || end > latestEnd || start > latestStart) {
        return null;
      }
      byte[] key = SegmentKeys.userKey(dataKey, SUFFIX);
      if (lo != null && Arrays.compareUnsigned(key, lo) < 0
          || hi != null && Arrays.compareUnsigned(key, hi) > 0) {
        return null;
      }
      return KeyValue.pair(new Windowed<>(Bytes.wrap(key), new SessionWindow(start, end)), value);
    };
    return segments(from, latestEnd, reverse, (s, segment) -> s.iterate(
        lo == null ? null : SegmentKeys.dataKey(segment, lo, new byte[0]),
        hi == null ? null : SegmentKeys.upperBound(segment, hi,
            SegmentKeys.sessionSuffix(segmentEnd(segment), -1)),
        SegmentKeys.prefix(segment), reverse, decoder));
  }
}
