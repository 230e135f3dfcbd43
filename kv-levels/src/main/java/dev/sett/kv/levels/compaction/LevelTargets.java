package dev.sett.kv.levels.compaction;

import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.Settings;

/**
 * What the leveled strategy aims for at one moment: the size target of every level, the size at
 * which each level's tables are cut, and the base level, where L0 compacts into.
 *
 * <p>The targets follow Badger's dynamic level sizes: they are derived from the size of the last
 * level, so a small database keeps its data in the bottom levels and skips the empty ones above,
 * which keeps write amplification low while it grows. The base level then gets three
 * adjustments, the last of which Badger lacks (issue #2143): it is never deeper than the first
 * non-empty level, because compacting L0 past a level that holds data would put newer versions
 * below older ones, and a later bottom-level compaction would drop a tombstone and resurrect the
 * value it hid.
 */
final class LevelTargets {
  private final int baseLevel;
  private final long[] targetBytes;
  private final long[] tableSizes;

  private LevelTargets(int baseLevel, long[] targetBytes, long[] tableSizes) {
    this.baseLevel = baseLevel;
    this.targetBytes = targetBytes;
    this.tableSizes = tableSizes;
  }

  /**
   * Computes the targets of a view.
   *
   * @param s the settings
   * @param view the levels, with {@code s.maxLevels()} lists
   * @return the targets
   */
  static LevelTargets compute(Settings s, LevelsView view) {
    int levels = s.maxLevels();
    int last = levels - 1;
    long baseLevelSize = s.baseLevelSize();

    // From the bottom up: each level a multiplier smaller than the one below, never below the
    // base level size. The deepest level whose target is down to the base level size is the
    // base level; with a huge last level none is and the base stays unset (0) for now.
    long[] target = new long[levels];
    int base = 0;
    long dbSize = view.levelBytes(last);
    for (int i = last; i > 0; i--) {
      target[i] = Math.max(dbSize, baseLevelSize);
      if (base == 0 && target[i] <= baseLevelSize) {
        base = i;
      }
      dbSize /= s.levelSizeMultiplier();
    }

    // Table sizes from this size-derived base, before the adjustments below (as Badger does):
    // tables grow with the level's size target, not with where L0 happens to go for now.
    long[] tableSize = new long[levels];
    long size = s.baseTableSize();
    tableSize[0] = s.memTableSize();
    for (int i = 1; i < levels; i++) {
      if (i > base) {
        size = StrategyChecks.saturatedMultiply(size, s.tableSizeMultiplier());
      }
      tableSize[i] = size;
    }

    // Bring the base level down through empty levels, so that L0 goes as deep as it can.
    for (int i = base + 1; i < last; i++) {
      if (!view.levels().get(i).isEmpty()) {
        break;
      }
      base = i;
    }
    // An empty base level whose next level is still under its target: go straight there.
    if (base < last && view.levels().get(base).isEmpty()
        && view.levelBytes(base + 1) < target[base + 1]) {
      base++;
    }
    // Never L0 (Badger #2296: a tree of more than ~1 TB leaves no level under the base size).
    base = Math.max(base, 1);
    // Never below a level that holds data (Badger #2143): the clamp Badger lacks. It happens when
    // the bottom shrinks (deletes, TTL) while intermediate levels still hold data.
    base = Math.min(base, firstNonEmptyLevel(view, last));
    return new LevelTargets(base, target, tableSize);
  }

  /** The shallowest level at or below L1 that holds a table, or {@code last} if none does. */
  private static int firstNonEmptyLevel(LevelsView view, int last) {
    for (int i = 1; i < last; i++) {
      if (!view.levels().get(i).isEmpty()) {
        return i;
      }
    }
    return last;
  }

  /**
   * The level L0 compacts into: at least 1, and never deeper than a non-empty level.
   *
   * @return the base level
   */
  int baseLevel() {
    return baseLevel;
  }

  /**
   * The size target of a level at or below L1 (L0 is scored by table count instead).
   *
   * @param level the level, at least 1
   * @return its target in bytes, at least the base level size
   */
  long targetBytes(int level) {
    return targetBytes[level];
  }

  /**
   * The size at which compaction cuts the output tables of a level.
   *
   * @param level the level
   * @return the memtable size for L0; the base table size down to the size-derived base level,
   *     then multiplied by the table size multiplier per level
   */
  long tableSize(int level) {
    return tableSizes[level];
  }
}
