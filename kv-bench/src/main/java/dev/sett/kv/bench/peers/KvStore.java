package dev.sett.kv.bench.peers;

/**
 * One store under measurement: the operations the side-by-side workloads need, with byte-array
 * keys and values. Implementations are used from one thread at a time unless they say otherwise,
 * and copy what they keep.
 */
public interface KvStore extends AutoCloseable {

  /**
   * The store's name in results ({@code sett}, {@code rocksdb}, {@code lmdb}).
   *
   * @return the name
   */
  String name();

  /**
   * Writes one key, durable as the store's default is (no fsync).
   *
   * @param key the key
   * @param value the value
   */
  void put(byte[] key, byte[] value);

  /**
   * Writes {@code n} keys atomically, in one batch or transaction.
   *
   * @param keys the keys, at least {@code n}
   * @param values the values, at least {@code n}
   * @param n how many to write
   */
  void putBatch(byte[][] keys, byte[][] values, int n);

  /**
   * Reads one key.
   *
   * @param key the key
   * @return a copy of the value, or {@code null} if absent
   */
  byte[] get(byte[] key);

  /**
   * Reads up to {@code limit} entries in key order from {@code from} (forward: the first key at
   * or after it; reverse: the last key at or before it), copying each key and value into byte
   * arrays as a Java caller of the store's API would get them.
   *
   * @param from where to start, or {@code null} for the first (forward) or last (reverse) key
   * @param limit the most entries to read
   * @param reverse {@code true} to read in descending key order
   * @return the bytes of the keys and values read (their lengths' sum)
   */
  long scan(byte[] from, long limit, boolean reverse);

  /** Closes the store; its files stay. */
  @Override
  void close();
}
