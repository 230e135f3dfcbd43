package dev.sett.kv.levels.compaction;

import dev.sett.kv.spi.CompactionStrategy;
import dev.sett.kv.spi.CompactionStrategyProvider;

/**
 * Provider {@value #NAME}: Badger's leveled compaction with dynamic level sizes, the default.
 *
 * <p>L0 compacts into a base level chosen from the size of the last level, each deeper level one
 * table at a time into the next; unlike Badger, the base level never lies below a level that
 * holds data (Badger issue #2143).
 *
 * <p>Stateless and thread-safe; found by {@link java.util.ServiceLoader}.
 */
public final class LeveledStrategyProvider implements CompactionStrategyProvider {

  /** The provider name: {@value}. */
  public static final String NAME = "leveled";

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public LeveledStrategyProvider() {}

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
   * Creates a leveled strategy for one database.
   *
   * @param settings the level and table sizes from the database's options
   * @return the strategy, which is not thread-safe (the engine calls it under its levels lock)
   * @throws IllegalArgumentException if a setting is out of range
   */
  @Override
  public CompactionStrategy create(CompactionStrategy.Settings settings) {
    return new LeveledStrategy(settings);
  }

  @Override
  public String toString() {
    return "LeveledStrategyProvider[" + NAME + "]";
  }
}
