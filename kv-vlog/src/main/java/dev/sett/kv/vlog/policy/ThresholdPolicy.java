package dev.sett.kv.vlog.policy;

import dev.sett.kv.spi.ValueSeparationPolicy;

/**
 * The {@code threshold} policy (the default), Badger's ValueThreshold: a value is separated iff
 * its length is at least the configured {@code valueThreshold}. Stateless and immutable, hence
 * thread-safe; the key length plays no part (as in Badger).
 */
public final class ThresholdPolicy implements ValueSeparationPolicy {
  /** The provider name: {@value}. */
  public static final String NAME = ValueSeparationPolicy.DEFAULT_NAME;

  /** Badger's default threshold, used by the provider instance itself: 1 MiB. */
  static final long DEFAULT_THRESHOLD = 1L << 20;

  private final long threshold;

  /** The provider instance (for {@code ServiceLoader}); its own threshold is 1 MiB. */
  public ThresholdPolicy() {
    this(DEFAULT_THRESHOLD);
  }

  private ThresholdPolicy(long threshold) {
    this.threshold = threshold;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Uses {@code valueThreshold} only: a fixed threshold learns nothing, so {@code
   * maxValueThreshold} and {@code percentile} are checked and otherwise ignored ({@code Options}
   * rejects a percentile above 0 with this policy named).
   */
  @Override
  public ValueSeparationPolicy newInstance(long valueThreshold, long maxValueThreshold,
      double percentile) {
    Policies.checkSettings(valueThreshold, maxValueThreshold, percentile);
    return new ThresholdPolicy(valueThreshold);
  }

  @Override
  public boolean separate(int keyLength, int valueLength) {
    Policies.checkLengths(keyLength, valueLength);
    return valueLength >= threshold;
  }

  @Override
  public long currentThreshold() {
    return threshold;
  }

  @Override
  public String toString() {
    return "ThresholdPolicy[" + threshold + "]";
  }
}
