package dev.sett.kv.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;

/**
 * How a store's keys are laid out in its database. Every key starts with one namespace byte: data
 * keys with {@link #DATA}, the store's own bookkeeping (committed changelog offsets, the query
 * position, the undo log) with {@link #META}, so the two never meet in a range scan and an empty
 * Kafka key is still a non-empty Sett key.
 */
final class StoreKeys {
  /** First byte of every data key; bookkeeping sorts before it. */
  static final byte DATA = 1;
  /** First byte of every bookkeeping key. */
  static final byte META = 0;

  private static final byte OFFSET = 'o';
  private static final byte POSITION = 'p';
  private static final byte UNDO = 'u';
  private static final byte EPOCH = 'e';
  private static final byte STREAM_TIME = 's';

  /** The longest Kafka key a store takes: Sett's limit less the namespace byte. */
  static final int MAX_KEY = dev.sett.kv.Options.MAX_KEY_SIZE - 1;

  /** Prefix of the undo log's entries (see {@link UndoLog}). */
  static final byte[] UNDO_PREFIX = {META, UNDO};

  /** The key of the undo log's epoch (see {@link UndoLog}). */
  static final byte[] EPOCH_KEY = {META, EPOCH};

  /**
   * The key of a window or session store's observed stream time (what its retention is measured
   * from), committed with the data so a reopened store expires what it expired before.
   */
  static final byte[] STREAM_TIME_KEY = {META, STREAM_TIME};

  /** Prefix of every committed-offset key. */
  static final byte[] OFFSET_PREFIX = {META, OFFSET};

  /** Prefix of every position key. */
  static final byte[] POSITION_PREFIX = {META, POSITION};

  /** The prefix of all data keys. */
  static final byte[] DATA_PREFIX = {DATA};

  private StoreKeys() {}

  /** The data key of a Kafka key. */
  static byte[] data(Bytes key) {
    return data(key.get());
  }

  /** The data key of raw key bytes. */
  static byte[] data(byte[] key) {
    if (key.length > MAX_KEY) {
      throw new IllegalArgumentException("key of " + key.length + " bytes exceeds Sett's"
          + " limit of " + MAX_KEY + " bytes for a Kafka Streams store key");
    }
    byte[] k = new byte[key.length + 1];
    k[0] = DATA;
    System.arraycopy(key, 0, k, 1, key.length);
    return k;
  }

  /** The Kafka key of a data key. */
  static Bytes user(byte[] dataKey) {
    return Bytes.wrap(Arrays.copyOfRange(dataKey, 1, dataKey.length));
  }

  /** The key under which the committed offset of {@code tp} is kept. */
  static byte[] offset(TopicPartition tp) {
    return partitionKey(OFFSET_PREFIX, tp.topic(), tp.partition());
  }

  /** The key under which the position of one topic partition is kept. */
  static byte[] position(String topic, int partition) {
    return partitionKey(POSITION_PREFIX, topic, partition);
  }

  /** The topic of a position key (see {@link #position}). */
  static String topicOf(byte[] key) {
    return new String(key, 2, key.length - 2 - 5, StandardCharsets.UTF_8);
  }

  /** The partition of a position key. */
  static int partitionOf(byte[] key) {
    int p = key.length - 4;
    return (key[p] & 0xff) << 24 | (key[p + 1] & 0xff) << 16 | (key[p + 2] & 0xff) << 8
        | key[p + 3] & 0xff;
  }

  private static byte[] partitionKey(byte[] prefix, String topic, int partition) {
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    byte[] k = new byte[prefix.length + t.length + 5];
    System.arraycopy(prefix, 0, k, 0, prefix.length);
    System.arraycopy(t, 0, k, prefix.length, t.length);
    int p = prefix.length + t.length;
    k[p] = 0; // topics hold no NUL, so the topic's end is unambiguous
    k[p + 1] = (byte) (partition >>> 24);
    k[p + 2] = (byte) (partition >>> 16);
    k[p + 3] = (byte) (partition >>> 8);
    k[p + 4] = (byte) partition;
    return k;
  }

  /** A long as 8 big-endian bytes. */
  static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  /** The long of 8 big-endian bytes. */
  static long longOf(byte[] b) {
    if (b.length != 8) {
      throw new IllegalStateException("a stored offset holds " + b.length + " bytes, not 8");
    }
    long v = 0;
    for (byte x : b) {
      v = v << 8 | (x & 0xff);
    }
    return v;
  }

  /**
   * The smallest key greater than every key starting with {@code prefix}, or {@code null} when
   * there is none (the prefix is all 0xff).
   */
  static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    return null;
  }
}
