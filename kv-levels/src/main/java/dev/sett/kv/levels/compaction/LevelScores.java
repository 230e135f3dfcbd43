package dev.sett.kv.levels.compaction;

import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.Settings;
import dev.sett.kv.spi.CompactionStrategy.TableView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The compaction priorities of the leveled strategy, as Badger computes them.
 *
 * <p>The raw score of L0 is its table count over {@code numLevelZeroTables} (L0 tables overlap,
 * so reads pay per table, not per byte); the raw score of a deeper level is its size, less the
 * tables already being compacted out of it, over its target. The adjusted score (from Pebble)
 * divides the score of each level that wants compacting by the score of the next level on L0's
 * path (L0, base, base + 1, ...): an overflowing lower level makes the level above it wait, and
 * an under-full one makes it go first, which keeps the tree in shape from the bottom.
 */
final class LevelScores {
  /**
   * The floor of the divisor in the adjustment, so that an almost empty level does not blow a
   * score up without bound (Badger's value).
   */
  static final double MIN_DIVISOR = 0.01;

  private final double[] raw;
  private final double[] adjusted;

  private LevelScores(double[] raw, double[] adjusted) {
    this.raw = raw;
    this.adjusted = adjusted;
  }

  /**
   * Scores every level of a view.
   *
   * @param s the settings
   * @param view the levels
   * @param targets their targets
   * @return the scores
   */
  static LevelScores compute(Settings s, LevelsView view, LevelTargets targets) {
    int levels = s.maxLevels();
    double[] raw = new double[levels];
    raw[0] = (double) view.levels().get(0).size() / s.numLevelZeroTables();
    for (int i = 1; i < levels; i++) {
      long compacting = 0;
      for (TableView t : view.levels().get(i)) {
        if (t.compacting()) {
          compacting += t.sizeBytes();
        }
      }
      raw[i] = (double) (view.levelBytes(i) - compacting) / targets.targetBytes(i);
    }

    double[] adjusted = raw.clone();
    int prev = 0;
    for (int level = targets.baseLevel(); level < levels; level++) {
      if (adjusted[prev] >= 1) {
        // adjusted[level] is still its raw score here: it is adjusted when it becomes prev.
        adjusted[prev] /= raw[level] >= MIN_DIVISOR ? adjusted[level] : MIN_DIVISOR;
      }
      prev = level;
    }
    return new LevelScores(raw, adjusted);
  }

  /**
   * The raw score of a level.
   *
   * @param level the level
   * @return at or above 1 the level wants compacting
   */
  double raw(int level) {
    return raw[level];
  }

  /**
   * The adjusted score of a level.
   *
   * @param level the level
   * @return its raw score divided by the next level's on L0's path, when the raw one is at least 1
   */
  double adjusted(int level) {
    return adjusted[level];
  }

  /**
   * The levels that may be compacted, most urgent first: every level but the last whose raw
   * score is at least 1, by adjusted score descending (ties: shallower first). The last level is
   * left out because it has nowhere to go.
   *
   * @param l0First move L0 to the front, as Badger's compactor 0 does
   * @return the candidate levels
   */
  List<Integer> candidates(boolean l0First) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < raw.length - 1; i++) {
      if (raw[i] >= 1) {
        out.add(i);
      }
    }
    out.sort(Comparator.comparingDouble((Integer i) -> -adjusted[i])
        .thenComparingInt(i -> i));
    if (l0First && out.remove(Integer.valueOf(0))) {
      out.add(0, 0);
    }
    return out;
  }
}
