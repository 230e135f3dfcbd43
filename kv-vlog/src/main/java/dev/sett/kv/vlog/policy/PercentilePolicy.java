package dev.sett.kv.vlog.policy;

import dev.sett.kv.spi.ValueSeparationPolicy;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code percentile} policy, Badger's VLogPercentile: the threshold follows a percentile of
 * the sizes of recently written values, clamped to [valueThreshold, maxValueThreshold], and a value
 * is separated iff its length is at least the current threshold. With percentile 0 the threshold
 * stays at valueThreshold (Badger's "off").
 *
 * <p>Every {@link #separate} call counts the value's size in a {@link SizeHistogram} (as Badger
 * updates its histogram from every write; Badger's counts never decay, ours cover the last one to
 * two windows of {@value #DEFAULT_WINDOW} writes). About every {@value #DEFAULT_RECOMPUTE_EVERY}
 * calls (chosen at random per call, so no counter is shared between writers) one caller recomputes
 * the threshold from the histogram; callers that find a recompute under way skip it. The
 * threshold starts at valueThreshold, as Badger's.
 *
 * <p>Thread-safe and non-blocking: {@link #separate} reads one volatile threshold and adds to a
 * {@code LongAdder}; it allocates nothing (a recompute uses a buffer owned by the policy). Since
 * each entry records where its value went, a threshold that moves between two writes of the same
 * key affects nothing but where those values are stored.
 */
public final class PercentilePolicy implements ValueSeparationPolicy {
  /** The provider name: {@value}. */
  public static final String NAME = "percentile";
  /** How often, on average, the threshold is recomputed: every {@value} observations. */
  static final int DEFAULT_RECOMPUTE_EVERY = 1024;
  /** The number of observations after which the older histogram generation is dropped. */
  static final int DEFAULT_WINDOW = 1 << 16;

  private final long minThreshold;
  private final long maxThreshold;
  private final double percentile;
  private final int window;
  private final int recomputeMask;
  private final SizeHistogram histogram; // null when the percentile is 0
  private final long[] counts; // recompute buffer, used under the guard
  private final AtomicBoolean recomputing = new AtomicBoolean();
  private volatile long threshold;

  /** The provider instance (for {@code ServiceLoader}): learning off, threshold 1 MiB. */
  public PercentilePolicy() {
    this(ThresholdPolicy.DEFAULT_THRESHOLD, ThresholdPolicy.DEFAULT_THRESHOLD, 0,
        DEFAULT_RECOMPUTE_EVERY, DEFAULT_WINDOW);
  }

  /**
   * A policy with explicit tuning (tests).
   *
   * @param recomputeEvery the mean number of observations between recomputes, a power of two (1
   *     recomputes on every call)
   * @param window observations per histogram generation, at least 1
   */
  PercentilePolicy(long minThreshold, long maxThreshold, double percentile, int recomputeEvery,
      int window) {
    Policies.checkSettings(minThreshold, maxThreshold, percentile);
    if (recomputeEvery < 1 || Integer.bitCount(recomputeEvery) != 1 || window < 1) {
      throw new IllegalArgumentException("recomputeEvery must be a power of two and window at"
          + " least 1, got " + recomputeEvery + " and " + window);
    }
    this.minThreshold = minThreshold;
    this.maxThreshold = maxThreshold;
    this.percentile = percentile;
    this.window = window;
    this.recomputeMask = recomputeEvery - 1;
    boolean learns = percentile > 0 && minThreshold < maxThreshold;
    this.histogram = learns ? new SizeHistogram() : null;
    this.counts = learns ? new long[SizeHistogram.BUCKETS] : null;
    this.threshold = minThreshold;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ValueSeparationPolicy newInstance(long valueThreshold, long maxValueThreshold,
      double percentile) {
    return new PercentilePolicy(valueThreshold, maxValueThreshold, percentile,
        DEFAULT_RECOMPUTE_EVERY, DEFAULT_WINDOW);
  }

  @Override
  public boolean separate(int keyLength, int valueLength) {
    Policies.checkLengths(keyLength, valueLength);
    SizeHistogram h = histogram;
    if (h != null) {
      h.record(valueLength);
      if ((ThreadLocalRandom.current().nextInt() & recomputeMask) == 0) {
        recompute();
      }
    }
    return valueLength >= threshold;
  }

  @Override
  public long currentThreshold() {
    return threshold;
  }

  /**
   * Recomputes the threshold from the histogram now, unless another thread is doing so; then
   * drops the older generation if the current one holds a window's worth of observations.
   */
  void recompute() {
    if (histogram == null || !recomputing.compareAndSet(false, true)) {
      return;
    }
    try {
      long total = histogram.sumInto(counts);
      if (total > 0) {
        long t = Math.round(SizeHistogram.percentile(counts, total, percentile));
        threshold = Math.max(minThreshold, Math.min(maxThreshold, t));
      }
      if (histogram.currentCount() >= window) {
        histogram.rotate();
      }
    } finally {
      recomputing.set(false);
    }
  }

  /**
   * The observations the histogram holds now (both generations).
   *
   * @return the count
   */
  long observations() {
    return histogram == null ? 0 : histogram.sumInto(new long[SizeHistogram.BUCKETS]);
  }

  @Override
  public String toString() {
    return "PercentilePolicy[p=" + percentile + ", threshold=" + threshold + " in ["
        + minThreshold + ", " + maxThreshold + "]]";
  }
}
