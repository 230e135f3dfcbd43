package dev.sett.kv.bench.compare;

import java.util.SplittableRandom;

/**
 * YCSB's Zipfian choice of an item in {@code [0, n)}, with YCSB's constant 0.99: item 0 is the
 * most popular, item 1 the next, and so on (Gray et al., "Quickly generating billion-record
 * synthetic databases", as YCSB's {@code ZipfianGenerator} implements it). {@code n} may grow
 * between calls (YCSB D's inserts); the zeta sum is extended by the new terms only.
 *
 * <p>Not thread-safe: each workload thread has its own.
 */
final class Zipfian {
  private static final double THETA = 0.99;
  private static final double ALPHA = 1 / (1 - THETA);
  private static final double ZETA2 = 1 + Math.pow(0.5, THETA);

  private final SplittableRandom random;
  private long n;
  private double zetaN;
  private double eta;

  /**
   * Starts a generator.
   *
   * @param n the number of items, at least 1
   * @param random the random source
   */
  Zipfian(long n, SplittableRandom random) {
    this.random = random;
    grow(n);
  }

  private void grow(long newN) {
    for (long i = n + 1; i <= newN; i++) {
      zetaN += 1 / Math.pow(i, THETA);
    }
    n = newN;
    eta = (1 - Math.pow(2.0 / n, 1 - THETA)) / (1 - ZETA2 / zetaN);
  }

  /**
   * Picks an item.
   *
   * @param items the number of items now, at least the number at construction
   * @return an item in {@code [0, items)}, small ones far more often
   */
  long next(long items) {
    if (items > n) {
      grow(items);
    }
    double u = random.nextDouble();
    double uz = u * zetaN;
    if (uz < 1) {
      return 0;
    }
    if (uz < ZETA2) {
      return 1;
    }
    return Math.min(n - 1, (long) (n * Math.pow(eta * u - eta + 1, ALPHA)));
  }
}
