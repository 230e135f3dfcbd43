package dev.sett.kv.spi;

/**
 * Decides which values leave the LSM tree for the value log. Provided by {@code kv-vlog}: {@code
 * threshold} (a fixed size, Badger's ValueThreshold; default) and {@code percentile} (Badger's
 * VLogPercentile: a percentile of recent value sizes, within bounds).
 *
 * <p>The instance found by the registry is only a factory: {@link #newInstance} gives each
 * database its own policy, configured from {@code Options.valueThreshold()}, {@code
 * maxValueThreshold()} and {@code vlogPercentile()}. The instances it returns are used by many
 * writer threads at once and must be thread-safe; {@link #separate} must not block and should not
 * allocate.
 *
 * <p><b>A decision is recorded per entry.</b> The engine stores each entry either with its value
 * inline or with {@link EntryMeta#VALUE_POINTER} set and a pointer into the value log, so reads,
 * compaction and value-log GC follow that bit and never ask the policy again. A policy may
 * therefore change its threshold at any time (the {@code percentile} policy does), and a database
 * may be reopened with another policy or threshold: entries already written keep their placement.
 */
public interface ValueSeparationPolicy extends NamedProvider {

  /** The policy used when none is named: {@value}. */
  String DEFAULT_NAME = "threshold";

  /**
   * Creates this policy's per-database state. The arguments are already validated by {@code
   * Options}: {@code 0 <= valueThreshold <= maxValueThreshold <= Integer.MAX_VALUE} and {@code 0 <=
   * percentile <= 1}.
   *
   * @param valueThreshold the configured threshold in bytes: values at least this long are
   *     separated (the {@code threshold} policy), or the lower bound of a learned threshold
   * @param maxValueThreshold the upper bound of a learned threshold, in bytes
   * @param percentile the percentile of recent value sizes a learning policy aims its threshold
   *     at, in [0, 1]; 0 turns learning off (the threshold stays {@code valueThreshold})
   * @return the policy instance for one database
   * @throws IllegalArgumentException if the arguments break the rules above
   */
  ValueSeparationPolicy newInstance(long valueThreshold, long maxValueThreshold,
      double percentile);

  /**
   * Whether a value goes to the value log. Called once for every entry written (with a value, so
   * not for deletes); a learning policy counts the call as an observation of {@code valueLength},
   * as Badger updates its histogram from every write. Thread-safe; does not block.
   *
   * @param keyLength the key's length in bytes (the built-in policies ignore it)
   * @param valueLength the value's length in bytes, at least 0
   * @return {@code true} to store the value in the value log and a pointer in the tree
   * @throws IllegalArgumentException if a length is negative
   */
  boolean separate(int keyLength, int valueLength);

  /**
   * The threshold this policy currently applies: a value is separated iff its length is at least
   * this. Informational (metrics, tests); may change right after it is read.
   *
   * @return bytes
   */
  long currentThreshold();
}
