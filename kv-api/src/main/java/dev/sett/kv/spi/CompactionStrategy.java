package dev.sett.kv.spi;

import java.util.List;

/**
 * Chooses what to compact next from the shape of the levels. Called by compactor threads; must be
 * thread-safe.
 */
public interface CompactionStrategy {

  /**
   * The size of each level, L0 first, as the strategy sees it.
   *
   * @param levelBytes bytes per level
   * @param levelTables table count per level
   */
  record LevelsShape(List<Long> levelBytes, List<Integer> levelTables) {}

  /**
   * Picks the next compaction.
   *
   * @param shape the current shape of the levels
   * @return the level to compact from and the level to compact into, as {@code {from, to}}, or
   *     {@code null} when nothing needs compacting
   */
  int[] pick(LevelsShape shape);
}
