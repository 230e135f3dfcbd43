package dev.sett.kv.vlog.policy;

import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram of recent value sizes for {@link PercentilePolicy}: log-linear buckets (sizes 0 to
 * 15 exactly, then 16 buckets per power of two, so a bucket is at most 1/16 of its sizes wide) over
 * the whole {@code int} range, 448 buckets in all, each a {@link LongAdder} so that writers on
 * many threads rarely contend, and {@link #record} allocates nothing once a contended adder has
 * grown its cells.
 *
 * <p>Recent, not all-time: the counts are kept in two generations. Writers add to the current one;
 * {@link #rotate()} clears the older one and makes it current, so the two together hold the sizes
 * seen since the rotation before last. {@link PercentilePolicy} rotates when the current
 * generation holds a window's worth of sizes, so the percentile reflects between one and two
 * windows of the latest writes.
 *
 * <p>Concurrency: {@link #record} may run on any number of threads. {@link #rotate()} and {@link
 * #sumInto} are called by one thread at a time (the policy's recompute guard). A writer that read
 * the current generation just before a rotation adds to the generation that became the older one,
 * which is still counted; counts read while writers add are a moment's approximation, which is all
 * a percentile of recent sizes needs.
 */
final class SizeHistogram {
  /** log2 of the number of buckets per power of two. */
  private static final int SUB_BITS = 4;
  private static final int SUB = 1 << SUB_BITS;
  /** The number of buckets: sizes below 16, then 16 per power of two from 2^4 to 2^30. */
  static final int BUCKETS = SUB + (31 - SUB_BITS) * SUB;

  private final LongAdder[][] generations = new LongAdder[2][BUCKETS];
  private volatile int current;

  SizeHistogram() {
    for (LongAdder[] g : generations) {
      for (int i = 0; i < BUCKETS; i++) {
        g[i] = new LongAdder();
      }
    }
  }

  /**
   * The bucket of a size.
   *
   * @param size at least 0
   * @return the bucket index in [0, {@link #BUCKETS})
   */
  static int bucket(int size) {
    if (size < SUB) {
      return size;
    }
    int exponent = 31 - Integer.numberOfLeadingZeros(size); // >= SUB_BITS
    int shift = exponent - SUB_BITS;
    return SUB + shift * SUB + ((size >>> shift) - SUB);
  }

  /**
   * The smallest size in a bucket.
   *
   * @param bucket a bucket index
   * @return the size
   */
  static long lowerBound(int bucket) {
    if (bucket < SUB) {
      return bucket;
    }
    int shift = (bucket - SUB) / SUB;
    return (long) (SUB + (bucket - SUB) % SUB) << shift;
  }

  /**
   * The number of sizes in a bucket.
   *
   * @param bucket a bucket index
   * @return the width, a power of two
   */
  static long width(int bucket) {
    return bucket < SUB ? 1 : 1L << ((bucket - SUB) / SUB);
  }

  /**
   * Counts one value size in the current generation.
   *
   * @param size at least 0
   */
  void record(int size) {
    generations[current][bucket(size)].increment();
  }

  /**
   * Adds up both generations per bucket.
   *
   * @param counts receives the counts, {@link #BUCKETS} long
   * @return the total
   */
  long sumInto(long[] counts) {
    long total = 0;
    LongAdder[] a = generations[0];
    LongAdder[] b = generations[1];
    for (int i = 0; i < BUCKETS; i++) {
      long c = a[i].sum() + b[i].sum();
      counts[i] = c;
      total += c;
    }
    return total;
  }

  /**
   * The number of sizes in the current generation.
   *
   * @return the count
   */
  long currentCount() {
    long n = 0;
    for (LongAdder c : generations[current]) {
      n += c.sum();
    }
    return n;
  }

  /** Clears the older generation and makes it the current one. */
  void rotate() {
    int older = 1 - current;
    for (LongAdder c : generations[older]) {
      c.reset();
    }
    current = older;
  }

  /**
   * The size below which a fraction {@code p} of the counted sizes lie, interpolating linearly
   * within the bucket where the cumulative count reaches {@code p * total}.
   *
   * @param counts per-bucket counts
   * @param total their sum, above 0
   * @param p in (0, 1]
   * @return the size, in [0, 2^31]
   */
  static double percentile(long[] counts, long total, double p) {
    double target = p * total;
    long before = 0;
    for (int i = 0; i < BUCKETS; i++) {
      long c = counts[i];
      if (c > 0 && before + c >= target) {
        double fraction = Math.max(0, target - before) / c;
        return lowerBound(i) + width(i) * fraction;
      }
      before += c;
    }
    return lowerBound(BUCKETS - 1) + width(BUCKETS - 1); // only if counts and total disagree
  }
}
