package dev.sett.kv.spi;

/**
 * Decides which values leave the LSM tree for the value log. Provided by {@code kv-vlog}: {@code
 * threshold} (a fixed size, Badger's ValueThreshold; default) and {@code percentile} (Badger's
 * VLogPercentile), with the value-log issue. Implementations that learn from the values they see
 * must be thread-safe; {@link #newInstance} gives each database its own state.
 */
public interface ValueSeparationPolicy extends NamedProvider {

  /** The policy used when none is named: {@value}. */
  String DEFAULT_NAME = "threshold";

  /**
   * Creates this policy's per-database state.
   *
   * @param valueThreshold the configured threshold in bytes
   * @return the policy instance for one database
   */
  ValueSeparationPolicy newInstance(long valueThreshold);

  /**
   * Whether a value goes to the value log.
   *
   * @param keyLength the key's length
   * @param valueLength the value's length
   * @return {@code true} to store it in the value log
   */
  boolean separate(int keyLength, int valueLength);
}
