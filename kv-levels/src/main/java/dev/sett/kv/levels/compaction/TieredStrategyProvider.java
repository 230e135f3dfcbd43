package dev.sett.kv.levels.compaction;

import dev.sett.kv.spi.CompactionStrategy;
import dev.sett.kv.spi.CompactionStrategyProvider;

/**
 * Provider {@value #NAME}: size-tiered compaction, as RocksDB's universal compaction.
 *
 * <p>Each L0 table and each non-empty deeper level is a sorted run; adjacent runs are merged by
 * size amplification, size ratio and run count, trading space and read cost for less write
 * amplification than {@code leveled}.
 *
 * <p>Stateless and thread-safe; found by {@link java.util.ServiceLoader}.
 */
public final class TieredStrategyProvider implements CompactionStrategyProvider {

  /** The provider name: {@value}. */
  public static final String NAME = "tiered";

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public TieredStrategyProvider() {}

  /**
   * The provider name.
   *
   * @return {@value #NAME}
   */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Creates a tiered strategy for one database.
   *
   * @param settings the level and table sizes from the database's options
   * @return the strategy, which is not thread-safe (the engine calls it under its levels lock)
   * @throws IllegalArgumentException if a setting is out of range
   */
  @Override
  public CompactionStrategy create(CompactionStrategy.Settings settings) {
    return new TieredStrategy(settings);
  }

  @Override
  public String toString() {
    return "TieredStrategyProvider[" + NAME + "]";
  }
}
