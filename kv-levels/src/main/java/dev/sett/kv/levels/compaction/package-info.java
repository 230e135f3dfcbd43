/**
 * The compaction strategies of Sett, found through {@link
 * dev.sett.kv.spi.CompactionStrategyProvider}: {@code leveled} ({@link
 * dev.sett.kv.levels.compaction.LeveledStrategyProvider}), Badger's leveled compaction with
 * dynamic level sizes and the default, and {@code tiered} ({@link
 * dev.sett.kv.levels.compaction.TieredStrategyProvider}), size-tiered compaction as RocksDB's
 * universal compaction.
 *
 * <p>A strategy only plans: it reads a {@link dev.sett.kv.spi.CompactionStrategy.LevelsView}
 * and returns a {@link dev.sett.kv.spi.CompactionStrategy.Plan}; the engine runs it. Every plan
 * keeps the rules of {@link dev.sett.kv.spi.CompactionStrategy}, above all that older data never
 * lands above newer data. An output to L0 always replaces L0 tables that are adjacent in L0's
 * order, so the engine can put it in their place.
 *
 * <p>The package is not exported: only the two providers are public, for {@link
 * java.util.ServiceLoader}, and {@link dev.sett.kv.levels.compaction.KeyRange}, which the levels
 * controller shares. Strategies are not thread-safe; the engine calls them under its levels lock.
 */
package dev.sett.kv.levels.compaction;
