package dev.sett.kv.spi;

/**
 * Creates compaction strategies. Provided by {@code kv-levels}: {@code leveled} (dynamic level
 * sizes, as Badger; default) and {@code tiered} (size-tiered), with the LSM-tree issue.
 */
public interface CompactionStrategyProvider extends NamedProvider {

  /** The strategy used when none is named: {@value}. */
  String DEFAULT_NAME = "leveled";

  /**
   * Creates a strategy for one database.
   *
   * @param maxLevels the number of levels, L0 included
   * @return the strategy
   */
  CompactionStrategy create(int maxLevels);
}
