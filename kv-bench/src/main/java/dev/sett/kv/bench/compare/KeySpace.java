package dev.sett.kv.bench.compare;

import java.util.Random;

/**
 * The keys and values of the side-by-side workloads, as functions of a record's index so that a
 * load phase and a later run phase in another JVM agree without storing anything.
 *
 * <p>Keys are 16 bytes: the index big-endian (so key order is index order and {@code fillseq}
 * writes in key order), then eight bytes mixed from the index. A missing key shares an existing
 * key's first eight bytes and differs in the last, so it falls between two stored keys and a
 * store must really search (or ask its filter) to find it absent; keys past the end would be
 * answered by a range check alone.
 *
 * <p>Values are slices of a 1 MiB pool in which every 16 random bytes are followed by a copy of
 * themselves: about half of each value compresses away, as with db_bench's default compression
 * ratio of 0.5, so stores that compress by default (RocksDB) are neither helped by all-zero values
 * nor hurt by random ones.
 */
final class KeySpace {
  /** Bytes per key. */
  static final int KEY_BYTES = 16;

  private static final int POOL_BYTES = 1 << 20;
  private final byte[] pool = new byte[POOL_BYTES];

  /**
   * Makes the value pool.
   *
   * @param seed the run's seed
   */
  KeySpace(long seed) {
    Random r = new Random(seed);
    byte[] chunk = new byte[16];
    for (int off = 0; off < POOL_BYTES; off += 32) {
      r.nextBytes(chunk);
      System.arraycopy(chunk, 0, pool, off, 16);
      System.arraycopy(chunk, 0, pool, off + 16, 16);
    }
  }

  /**
   * The key of record {@code index}.
   *
   * @param index the record, at least 0
   * @return a new 16-byte key
   */
  static byte[] key(long index) {
    byte[] k = new byte[KEY_BYTES];
    putLong(k, 0, index);
    putLong(k, 8, mix(index));
    return k;
  }

  /**
   * A key that no record has, between the keys of records {@code index} and {@code index + 1}.
   *
   * @param index the record it sits after
   * @return a new 16-byte key
   */
  static byte[] missingKey(long index) {
    byte[] k = new byte[KEY_BYTES];
    putLong(k, 0, index);
    putLong(k, 8, mix(index) ^ 1);
    return k;
  }

  /**
   * A value for record {@code index}; {@code round} makes overwrites differ from the first write.
   *
   * @param index the record
   * @param round the write's round, 0 for the first
   * @param size the value's size in bytes
   * @return a new array
   */
  byte[] value(long index, int round, int size) {
    byte[] v = new byte[size];
    long start = Long.remainderUnsigned(mix(index * 31 + round), POOL_BYTES);
    for (int done = 0; done < size; ) {
      int off = (int) ((start + done) % POOL_BYTES);
      int n = Math.min(size - done, POOL_BYTES - off);
      System.arraycopy(pool, off, v, done, n);
      done += n;
    }
    return v;
  }

  /**
   * A 64-bit mix of {@code x} (the finaliser of SplitMix64): a bijection, so distinct indexes
   * give distinct results.
   *
   * @param x any value
   * @return the mixed value
   */
  static long mix(long x) {
    x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
    x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
    return x ^ (x >>> 31);
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
