package dev.sett.kv.cli;

import java.util.SplittableRandom;

/**
 * The keys, values and read order of one {@code bench} run, all derived from a seed, so that a run
 * is reproduced exactly by giving its printed seed back with {@code --seed}.
 *
 * <p>Nothing is stored: key {@code i} and its value are recomputed from {@code i} whenever they
 * are needed, so a billion-key run costs no memory for the workload except the read order. A key
 * is 16 bytes: the first 8 are {@code mix(i + k0)} and {@code mix} is a bijection on 64-bit
 * values, so no two indexes give the same key (random keys could collide and make the read-back
 * check report a "wrong" value that was merely overwritten); the last 8 are more random bytes. A
 * value is a stream of random bytes, incompressible like the values of Badger's own benchmark; its
 * length is fixed or drawn per key ({@link ValueSizes}).
 */
final class BenchWorkload {
  /** Length of every key in bytes. */
  static final int KEY_SIZE = 16;

  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private final long seed;
  private final long keyCount;
  private final ValueSizes valueSizes;
  private final long keyHigh;
  private final long keyLow;
  private final long valueSalt;
  private final long sizeSalt;
  private long totalValueBytes = -1; // computed on first use; one thread asks (the command's)

  /**
   * Creates a workload.
   *
   * @param seed the seed
   * @param keyCount how many keys, at most {@link Integer#MAX_VALUE} - 8 (the read order is an
   *     {@code int[]})
   * @param valueSizes the length of the values in bytes
   */
  BenchWorkload(long seed, long keyCount, ValueSizes valueSizes) {
    if (keyCount < 1 || keyCount > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("keyCount out of range: " + keyCount);
    }
    this.seed = seed;
    this.keyCount = keyCount;
    this.valueSizes = valueSizes;
    this.keyHigh = mix(seed + GOLDEN_GAMMA);
    this.keyLow = mix(seed + 2 * GOLDEN_GAMMA);
    this.valueSalt = mix(seed + 3 * GOLDEN_GAMMA);
    this.sizeSalt = mix(seed + 5 * GOLDEN_GAMMA); // 4 is the read order's
  }

  /**
   * A workload whose values all have one size.
   *
   * @param seed the seed
   * @param keyCount how many keys
   * @param valueSize the length of every value in bytes
   */
  BenchWorkload(long seed, long keyCount, int valueSize) {
    this(seed, keyCount, ValueSizes.fixed(valueSize));
  }

  /**
   * The number of keys.
   *
   * @return the key count
   */
  long keyCount() {
    return keyCount;
  }

  /**
   * The lengths of the values.
   *
   * @return the fixed size or the distribution
   */
  ValueSizes valueSizes() {
    return valueSizes;
  }

  /**
   * The length of value {@code i}.
   *
   * @param i the key's index
   * @return bytes
   */
  int valueSize(long i) {
    return valueSizes.pick(mix(i ^ sizeSalt));
  }

  /**
   * The sum of the lengths of all values, computed key by key when they vary (a few ns a key,
   * once): the MB/s and amplification figures divide by the bytes really written.
   *
   * @return bytes
   */
  long totalValueBytes() {
    if (totalValueBytes < 0) {
      long sum = 0;
      if (valueSizes.isFixed()) {
        sum = (long) valueSizes.min() * keyCount;
      } else {
        for (long i = 0; i < keyCount; i++) {
          sum += valueSize(i);
        }
      }
      totalValueBytes = sum;
    }
    return totalValueBytes;
  }

  /**
   * The bytes of keys and values the load phase writes.
   *
   * @return bytes
   */
  long userBytes() {
    return KEY_SIZE * keyCount + totalValueBytes();
  }

  /**
   * Writes key {@code i} into {@code dst}.
   *
   * @param i the key's index, in [0, keyCount)
   * @param dst an array of {@link #KEY_SIZE} bytes
   */
  void key(long i, byte[] dst) {
    putLong(dst, 0, mix(i + keyHigh));
    putLong(dst, 8, mix(i ^ keyLow));
  }

  /**
   * Writes the value of key {@code i} into {@code dst}.
   *
   * @param i the key's index
   * @param dst an array of {@link #valueSize(long) valueSize(i)} bytes; with another length, the
   *     bytes of a longer or shorter value of the same key
   */
  void value(long i, byte[] dst) {
    long state = mix(i ^ valueSalt);
    for (int off = 0; off < dst.length; off += 8) {
      state += GOLDEN_GAMMA;
      long z = mix(state);
      for (int b = 0; b < 8 && off + b < dst.length; b++) {
        dst[off + b] = (byte) (z >>> (56 - 8 * b));
      }
    }
  }

  /**
   * A random permutation of the key indexes, the order in which the read phase visits them.
   *
   * @return every index in [0, keyCount) once
   */
  int[] readOrder() {
    int n = (int) keyCount;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(mix(seed + 4 * GOLDEN_GAMMA));
    for (int i = n - 1; i > 0; i--) { // Fisher-Yates
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** The SplitMix64 finalizer: a bijection on longs that scatters nearby inputs. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static void putLong(byte[] dst, int off, long v) {
    for (int b = 0; b < 8; b++) {
      dst[off + b] = (byte) (v >>> (56 - 8 * b));
    }
  }
}
