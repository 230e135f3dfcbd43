package dev.sett.kv.kafka;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The layout of a window or session store's data keys: the {@link StoreKeys#DATA} byte, the
 * segment id in 8 bytes, then Kafka's own store key of the entry, which ends in a fixed-size
 * suffix of timestamps:
 *
 * <pre>
 *   window:  DATA | segment(8) | key | windowStart(8) | seqnum(4)   segment of windowStart
 *   session: DATA | segment(8) | key | end(8) | start(8)            segment of end
 * </pre>
 *
 * <p>Why this layout. The segment id first puts each segment's entries in one contiguous key
 * range under one prefix, so an expired segment goes with one {@code dropPrefix}. Inside a segment
 * the key comes first (as in Kafka's {@code WindowKeySchema}), so fetching one key's windows is
 * one seek per segment. And the part after the segment is byte for byte what Kafka writes to the
 * changelog, so a restored record's data key is the segment prefix plus the record's key.
 *
 * <p>Segment ids are big-endian with the sign bit flipped, so they sort as signed numbers (a
 * negative timestamp lands in a negative segment, below the others). Timestamps inside the key
 * are plain big-endian, as Kafka writes them: like Kafka's stores, these expect timestamps that are
 * not negative.
 *
 * <p>Keys are variable-length and followed by the suffix, so a key that is a prefix of another
 * can sort between that other key's entries. Scans therefore take bounds that are safe (see
 * {@link #upperBound}) and the store's decoder checks each entry's key and times.
 */
final class SegmentKeys {
  /** Bytes before Kafka's key: the namespace byte and the segment id. */
  static final int HEADER = 9;

  private SegmentKeys() {}

  /** The segment of a timestamp. */
  static long segmentId(long timestamp, long segmentInterval) {
    return Math.floorDiv(timestamp, segmentInterval);
  }

  /** The prefix of every data key in a segment. */
  static byte[] prefix(long segment) {
    byte[] p = new byte[HEADER];
    p[0] = StoreKeys.DATA;
    ByteBuffer.wrap(p, 1, 8).putLong(segment ^ Long.MIN_VALUE);
    return p;
  }

  /** The segment of a data key. */
  static long segmentOf(byte[] dataKey) {
    return ByteBuffer.wrap(dataKey, 1, 8).getLong() ^ Long.MIN_VALUE;
  }

  /** The data key of Kafka's store key {@code storeKey} in {@code segment}. */
  static byte[] dataKey(long segment, byte[] storeKey) {
    if (storeKey.length + HEADER > dev.sett.kv.Options.MAX_KEY_SIZE) {
      throw new IllegalArgumentException("key of " + storeKey.length + " bytes (timestamps"
          + " included) exceeds Sett's limit of " + (dev.sett.kv.Options.MAX_KEY_SIZE - HEADER)
          + " bytes for a window or session store key");
    }
    byte[] k = Arrays.copyOf(prefix(segment), HEADER + storeKey.length);
    System.arraycopy(storeKey, 0, k, HEADER, storeKey.length);
    return k;
  }

  /** Kafka's key (without the suffix of {@code suffixLength} bytes) of a data key. */
  static byte[] userKey(byte[] dataKey, int suffixLength) {
    return Arrays.copyOfRange(dataKey, HEADER, dataKey.length - suffixLength);
  }

  /** The big-endian long at {@code offset} bytes before the end of {@code dataKey}. */
  static long longFromEnd(byte[] dataKey, int offset) {
    return ByteBuffer.wrap(dataKey, dataKey.length - offset, 8).getLong();
  }

  /** {@code key} followed by {@code suffix}, in {@code segment}. */
  static byte[] dataKey(long segment, byte[] key, byte[] suffix) {
    byte[] storeKey = Arrays.copyOf(key, key.length + suffix.length);
    System.arraycopy(suffix, 0, storeKey, key.length, suffix.length);
    return dataKey(segment, storeKey);
  }

  /**
   * An inclusive upper bound, in {@code segment}, of the entries of every key at or below {@code
   * keyTo} whose suffix is at most {@code maxSuffix}. Not just {@code keyTo + maxSuffix}: the
   * entries of a key that is a proper prefix of {@code keyTo} (say "a" for "ab") compare their
   * suffix against the rest of {@code keyTo}, and can sort above it. So the bound is the largest
   * of {@code p + maxSuffix} over every prefix {@code p} of {@code keyTo}, itself included. It
   * is tight in practice: a timestamp's first byte is 0, which rarely beats a key byte.
   */
  static byte[] upperBound(long segment, byte[] keyTo, byte[] maxSuffix) {
    byte[] best = null;
    for (int m = 0; m <= keyTo.length; m++) {
      byte[] c = dataKey(segment, Arrays.copyOf(keyTo, m), maxSuffix);
      if (best == null || Arrays.compareUnsigned(c, best) > 0) {
        best = c;
      }
    }
    return best;
  }

  /** A window entry's suffix: the window start, then the sequence number. */
  static byte[] windowSuffix(long windowStart, int seqnum) {
    return ByteBuffer.allocate(12).putLong(windowStart).putInt(seqnum).array();
  }

  /** A session entry's suffix: the end, then the start. */
  static byte[] sessionSuffix(long end, long start) {
    return ByteBuffer.allocate(16).putLong(end).putLong(start).array();
  }
}
