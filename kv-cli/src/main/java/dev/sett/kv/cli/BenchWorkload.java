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
 * value is a stream of random bytes, incompressible like the values of Badger's own benchmark.
 */
final class BenchWorkload {
  /** Length of every key in bytes. */
  static final int KEY_SIZE = 16;

  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private final long seed;
  private final long keyCount;
  private final int valueSize;
  private final long keyHigh;
  private final long keyLow;
  private final long valueSalt;

  /**
   * Creates a workload.
   *
   * @param seed the seed
   * @param keyCount how many keys, at most {@link Integer#MAX_VALUE} - 8 (the read order is an
   *     {@code int[]})
   * @param valueSize the length of every value in bytes
   */
  BenchWorkload(long seed, long keyCount, int valueSize) {
    if (keyCount < 1 || keyCount > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("keyCount out of range: " + keyCount);
    }
    this.seed = seed;
    this.keyCount = keyCount;
    this.valueSize = valueSize;
    this.keyHigh = mix(seed + GOLDEN_GAMMA);
    this.keyLow = mix(seed + 2 * GOLDEN_GAMMA);
    this.valueSalt = mix(seed + 3 * GOLDEN_GAMMA);
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
   * The length of each value.
   *
   * @return bytes
   */
  int valueSize() {
    return valueSize;
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
   * @param dst an array of {@link #valueSize()} bytes
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
