package dev.sett.kv.spi;

/**
 * Creates compaction strategies. Provided by {@code kv-levels}: {@code leveled} (dynamic level
 * sizes, as Badger; default) and {@code tiered} (size-tiered, as RocksDB's universal compaction).
 */
public interface CompactionStrategyProvider extends NamedProvider {

  /** The strategy used when none is named: {@value}. */
  String DEFAULT_NAME = "leveled";

  /**
   * Creates a strategy for one database.
   *
   * @param settings the level and table sizes from the database's options
   * @return the strategy
   */
  CompactionStrategy create(CompactionStrategy.Settings settings);
}
