/**
 * Levels controller, MANIFEST and compaction of Sett: the tables of the LSM tree, their levels,
 * flushing and compaction execution, and the compaction strategy providers {@code leveled} and
 * {@code tiered}.
 */
module dev.sett.kv.levels {
  requires dev.sett.kv;

  exports dev.sett.kv.levels to
      dev.sett.kv.core;

  provides dev.sett.kv.spi.CompactionStrategyProvider with
      dev.sett.kv.levels.compaction.LeveledStrategyProvider,
      dev.sett.kv.levels.compaction.TieredStrategyProvider;
}
