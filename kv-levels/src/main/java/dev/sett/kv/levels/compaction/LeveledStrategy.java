package dev.sett.kv.levels.compaction;

import dev.sett.kv.spi.CompactionStrategy;
import dev.sett.kv.spi.CompactionStrategy.Input;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Badger's leveled compaction with dynamic level sizes: L0 compacts into the base level (see
 * {@link LevelTargets}), each deeper level one table at a time into the next.
 *
 * <p>{@link #pick} walks the candidate levels of {@link LevelScores} and returns the first plan
 * it can make. For L0 it takes tables from the oldest end while each overlaps the key range taken
 * so far, plus every base-level table in their range (L0 to base); when that is not possible,
 * compactor 0 merges at least {@value #MIN_L0_TO_L0_TABLES} small L0 tables into one (L0 to L0)
 * so that reads and write stalls do not pile up behind a busy base level. For a deeper level it
 * takes the table with the oldest data (smallest max version, RocksDB's
 * kOldestLargestSeqFirst) whose overlapping tables in the next level are free. Only one
 * compaction out of L0 runs at a time: a plan never takes L0 tables while any L0 table is being
 * compacted, which keeps the L0 inputs the oldest tables and the L0 output in its place.
 *
 * <p>Not thread-safe, as the SPI allows; it holds no state besides its settings.
 */
final class LeveledStrategy implements CompactionStrategy {
  /** The fewest tables an L0 to L0 compaction merges (Badger's value). */
  static final int MIN_L0_TO_L0_TABLES = 4;

  private final Settings settings;

  /**
   * Creates the strategy.
   *
   * @param settings checked settings
   */
  LeveledStrategy(Settings settings) {
    this.settings = StrategyChecks.settings(settings);
  }

  /**
   * Picks the most urgent compaction that can run now, as the class describes.
   *
   * @param view the current levels
   * @param compactorId compactor 0 looks at L0 first and alone may merge L0 into L0
   * @return the plan, or {@code null}
   */
  @Override
  public Plan pick(LevelsView view, int compactorId) {
    StrategyChecks.view(settings, view, compactorId);
    LevelTargets targets = LevelTargets.compute(settings, view);
    LevelScores scores = LevelScores.compute(settings, view, targets);
    for (int level : scores.candidates(compactorId == 0)) {
      double adjusted = scores.adjusted(level);
      // Compactor 0 runs L0 on its raw score alone: then only L0 to L0 may follow (below).
      if (adjusted < 1 && !(compactorId == 0 && level == 0)) {
        break;
      }
      Plan plan = level == 0
          ? pickLevelZero(view, targets, adjusted, compactorId)
          : pickLevel(view, targets, level, adjusted);
      if (plan != null) {
        return plan;
      }
    }
    return null;
  }

  /**
   * The size target and raw score of every level. L0's target is {@code numLevelZeroTables}
   * memtables; deeper levels have the dynamic targets of {@link LevelTargets}, also above the
   * base level, where they matter only for statistics.
   *
   * @param view the current levels
   * @return one entry per level
   */
  @Override
  public List<LevelTarget> targets(LevelsView view) {
    StrategyChecks.view(settings, view);
    LevelTargets targets = LevelTargets.compute(settings, view);
    LevelScores scores = LevelScores.compute(settings, view, targets);
    List<LevelTarget> out = new ArrayList<>(settings.maxLevels());
    // L0 is scored by table count; its byte target is what that many full memtables make.
    out.add(new LevelTarget(
        StrategyChecks.saturatedMultiply(settings.numLevelZeroTables(), settings.memTableSize()),
        scores.raw(0)));
    for (int i = 1; i < settings.maxLevels(); i++) {
      out.add(new LevelTarget(targets.targetBytes(i), scores.raw(i)));
    }
    return out;
  }

  /** L0 to the base level, or, for compactor 0, L0 to L0 when that cannot run. */
  private Plan pickLevelZero(LevelsView view, LevelTargets targets, double score,
      int compactorId) {
    List<TableView> l0 = view.levels().get(0);
    for (TableView t : l0) {
      if (t.compacting()) {
        return null; // one L0 compaction at a time
      }
    }
    // An adjusted score under 1 means the base level itself overflows: let it drain first.
    if (score >= 1) {
      Plan plan = levelZeroToBase(view, targets, score);
      if (plan != null) {
        return plan;
      }
    }
    return compactorId == 0 ? levelZeroToLevelZero(l0, score) : null;
  }

  private Plan levelZeroToBase(LevelsView view, LevelTargets targets, double score) {
    List<TableView> l0 = view.levels().get(0);
    // From the oldest table (the end of the list), while each one overlaps the range so far:
    // the inputs stay the oldest tables, and a disjoint newer table waits for its own turn
    // instead of widening the range of base-level tables to rewrite.
    List<TableView> top = new ArrayList<>();
    KeyRange range = null;
    for (int i = l0.size() - 1; i >= 0; i--) {
      TableView t = l0.get(i);
      if (range != null && !range.overlaps(t)) {
        break;
      }
      top.add(t);
      range = range == null ? KeyRange.of(t) : range.extend(t);
    }
    if (top.isEmpty()) {
      return null;
    }
    Collections.reverse(top); // back to L0's order, newest first
    int base = targets.baseLevel();
    List<TableView> bottom = range.overlapping(view.levels().get(base));
    if (anyCompacting(bottom)) {
      return null;
    }
    return plan(0, top, base, bottom, targets.tableSize(base), score);
  }

  /**
   * The longest run of adjacent small L0 tables (the oldest such run on a tie), merged into one
   * table. Adjacent, unlike Badger (which skips big tables in between), so that the output can
   * take the inputs' place in L0 without moving older data above a newer table in between.
   */
  private Plan levelZeroToLevelZero(List<TableView> l0, double score) {
    long maxSize = StrategyChecks.saturatedMultiply(2, settings.memTableSize());
    int bestStart = 0;
    int bestLength = 0;
    int start = 0;
    for (int i = 0; i <= l0.size(); i++) {
      if (i == l0.size() || l0.get(i).sizeBytes() > maxSize) {
        if (i - start >= bestLength) {
          bestStart = start;
          bestLength = i - start;
        }
        start = i + 1;
      }
    }
    if (bestLength < MIN_L0_TO_L0_TABLES) {
      return null;
    }
    List<TableView> run = l0.subList(bestStart, bestStart + bestLength);
    // One output table: the point is to cut the number of L0 tables.
    return new Plan(List.of(new Input(0, ids(run))), 0, Long.MAX_VALUE, score, "L0->L0");
  }

  /** Li to Li+1 for i at least 1: the oldest free table and what it overlaps below. */
  private Plan pickLevel(LevelsView view, LevelTargets targets, int level, double score) {
    List<TableView> tables = new ArrayList<>(view.levels().get(level));
    // Stable sort: tables with equal max versions keep key order.
    tables.sort(Comparator.comparingLong(TableView::maxVersion));
    int next = level + 1;
    List<TableView> nextTables = view.levels().get(next);
    for (TableView t : tables) {
      if (t.compacting()) {
        continue;
      }
      List<TableView> bottom = KeyRange.of(t).overlapping(nextTables);
      if (anyCompacting(bottom)) {
        continue;
      }
      return plan(level, List.of(t), next, bottom, targets.tableSize(next), score);
    }
    return null;
  }

  private static Plan plan(int level, List<TableView> top, int next, List<TableView> bottom,
      long tableSize, double score) {
    List<Input> inputs = new ArrayList<>(2);
    inputs.add(new Input(level, ids(top)));
    if (!bottom.isEmpty()) {
      inputs.add(new Input(next, ids(bottom)));
    }
    return new Plan(inputs, next, tableSize, score, "L" + level + "->L" + next);
  }

  private static boolean anyCompacting(List<TableView> tables) {
    for (TableView t : tables) {
      if (t.compacting()) {
        return true;
      }
    }
    return false;
  }

  private static List<Long> ids(List<TableView> tables) {
    List<Long> ids = new ArrayList<>(tables.size());
    for (TableView t : tables) {
      ids.add(t.id());
    }
    return ids;
  }

  @Override
  public String toString() {
    return "LeveledStrategy" + settings;
  }
}
