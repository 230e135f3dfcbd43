package dev.sett.kv;

import java.util.Arrays;

/**
 * How a {@link KvIterator} iterates. Immutable; {@link #DEFAULT} iterates every live key forward.
 *
 * @see Txn#newIterator(IteratorOptions)
 */
public final class IteratorOptions {

  /** Forward over every live key, values prefetched in batches of 100. */
  public static final IteratorOptions DEFAULT = builder().build();

  private final byte[] prefix;
  private final boolean reverse;
  private final boolean allVersions;
  private final boolean prefetchValues;
  private final int prefetchSize;
  private final long sinceTs;
  private final boolean keysOnly;

  private IteratorOptions(Builder b) {
    this.prefix = b.prefix;
    this.reverse = b.reverse;
    this.allVersions = b.allVersions;
    this.prefetchValues = b.prefetchValues;
    this.prefetchSize = b.prefetchSize;
    this.sinceTs = b.sinceTs;
    this.keysOnly = b.keysOnly;
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Only keys starting with this prefix are visited.
   *
   * @return a copy of the prefix; empty for no restriction
   */
  public byte[] prefix() {
    return prefix.clone();
  }

  /**
   * Whether keys are visited in descending order.
   *
   * @return {@code true} for reverse order
   */
  public boolean reverse() {
    return reverse;
  }

  /**
   * Whether every version of each key is visited, tombstones and expired ones included.
   *
   * @return {@code true} to visit all versions
   */
  public boolean allVersions() {
    return allVersions;
  }

  /**
   * Whether values are read ahead of the cursor (they matter once values live in the value log).
   *
   * @return {@code true} to prefetch
   */
  public boolean prefetchValues() {
    return prefetchValues;
  }

  /**
   * How many values are read ahead when prefetching.
   *
   * @return at least 1
   */
  public int prefetchSize() {
    return prefetchSize;
  }

  /**
   * Versions at or below this timestamp are skipped (incremental scans and backups).
   *
   * @return 0 for none skipped
   */
  public long sinceTs() {
    return sinceTs;
  }

  /**
   * Whether only keys are wanted; values are then never read.
   *
   * @return {@code true} for a key-only iteration
   */
  public boolean keysOnly() {
    return keysOnly;
  }

  /**
   * Returns a builder holding these options.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.prefix = prefix;
    b.reverse = reverse;
    b.allVersions = allVersions;
    b.prefetchValues = prefetchValues;
    b.prefetchSize = prefetchSize;
    b.sinceTs = sinceTs;
    b.keysOnly = keysOnly;
    return b;
  }

  @Override
  public String toString() {
    return "IteratorOptions[prefix=" + prefix.length + " bytes, reverse=" + reverse
        + ", allVersions=" + allVersions + ", prefetchValues=" + prefetchValues
        + ", prefetchSize=" + prefetchSize + ", sinceTs=" + sinceTs + ", keysOnly=" + keysOnly
        + "]";
  }

  /** Builds {@link IteratorOptions}; each setter validates its argument at once. */
  public static final class Builder {
    private byte[] prefix = new byte[0];
    private boolean reverse;
    private boolean allVersions;
    private boolean prefetchValues = true;
    private int prefetchSize = 100;
    private long sinceTs;
    private boolean keysOnly;

    private Builder() {}

    /**
     * Restricts the iteration to keys starting with {@code prefix}.
     *
     * @param prefix the prefix; copied; empty for none
     * @return this builder
     */
    public Builder prefix(byte[] prefix) {
      this.prefix = Arrays.copyOf(prefix, prefix.length);
      return this;
    }

    /**
     * Iterates in descending key order.
     *
     * @param reverse {@code true} for reverse
     * @return this builder
     */
    public Builder reverse(boolean reverse) {
      this.reverse = reverse;
      return this;
    }

    /**
     * Visits every version, tombstones and expired versions included.
     *
     * @param allVersions {@code true} for all versions
     * @return this builder
     */
    public Builder allVersions(boolean allVersions) {
      this.allVersions = allVersions;
      return this;
    }

    /**
     * Reads values ahead of the cursor.
     *
     * @param prefetchValues {@code true} to prefetch
     * @return this builder
     */
    public Builder prefetchValues(boolean prefetchValues) {
      this.prefetchValues = prefetchValues;
      return this;
    }

    /**
     * Sets how many values are read ahead.
     *
     * @param prefetchSize 1 to 100,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder prefetchSize(int prefetchSize) {
      if (prefetchSize < 1 || prefetchSize > 100_000) {
        throw new IllegalArgumentException(
            "prefetchSize must be in [1, 100000], got " + prefetchSize);
      }
      this.prefetchSize = prefetchSize;
      return this;
    }

    /**
     * Skips versions at or below {@code sinceTs}.
     *
     * @param sinceTs a timestamp, 0 for none
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder sinceTs(long sinceTs) {
      if (sinceTs < 0) {
        throw new IllegalArgumentException("sinceTs must be >= 0, got " + sinceTs);
      }
      this.sinceTs = sinceTs;
      return this;
    }

    /**
     * Visits keys only.
     *
     * @param keysOnly {@code true} for keys only
     * @return this builder
     */
    public Builder keysOnly(boolean keysOnly) {
      this.keysOnly = keysOnly;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the immutable options
     */
    public IteratorOptions build() {
      return new IteratorOptions(this);
    }
  }
}
