package dev.sett.kv.levels.compaction;

import dev.sett.kv.spi.CompactionStrategy;
import dev.sett.kv.spi.CompactionStrategy.Input;
import java.util.ArrayList;
import java.util.List;

/**
 * Size-tiered compaction in the manner of RocksDB's universal compaction, laid out on our
 * levels: every L0 table is a sorted run, and so is every non-empty level from L1 down (see
 * {@link SortedRun}). Newer runs sit in shallower levels, so merging adjacent runs and writing
 * the result where the oldest of them was keeps older data below newer data.
 *
 * <p>Nothing is compacted while there are fewer than {@code numLevelZeroTables} runs. From there
 * the first of these that finds free runs wins:
 *
 * <ol>
 *   <li>size amplification: when the runs other than the oldest add up to at least
 *       {@value #MAX_SIZE_AMPLIFICATION_PERCENT}% of the oldest, everything is merged into the
 *       last level (RocksDB's {@code max_size_amplification_percent}; it bounds the space that
 *       overwritten and deleted data can waste);
 *   <li>size ratio: from the newest free run, runs are added while the next one is at most
 *       (100 + {@value #SIZE_RATIO_PERCENT}) percent of the runs taken so far, and at least two
 *       are merged; when the newest free run finds no partner the next one is tried (RocksDB's
 *       {@code size_ratio} with the stop style "total size");
 *   <li>run count: the newest free runs are merged, as many as it takes to get back under the
 *       trigger ({@code #runs - numLevelZeroTables + 2}, so at least two).
 * </ol>
 *
 * <p>Where the result goes: the level of the oldest run merged when that is a level at or below
 * L1; when only L0 tables are merged and they include the oldest L0 table, the deepest empty
 * level above the shallowest non-empty level (L0 if L1 holds data, the last level if every level
 * is empty); otherwise L0, in place of the merged tables, which are adjacent. Merged levels are
 * always merged whole. A run with a table being compacted is never merged; the runs merged are
 * always adjacent in age, so no run between them is left behind.
 *
 * <p>Not thread-safe, as the SPI allows; it holds no state besides its settings.
 */
final class TieredStrategy implements CompactionStrategy {
  /** Size amplification limit in percent (RocksDB's default). */
  static final int MAX_SIZE_AMPLIFICATION_PERCENT = 200;
  /** Size ratio in percent (RocksDB's default). */
  static final int SIZE_RATIO_PERCENT = 1;
  /**
   * Cap of the output table size: whole levels are rewritten, and deep levels with a large
   * multiplier would otherwise ask for tables of many gigabytes (and overflow with 16 levels).
   * It equals the largest {@code baseTableSize} the options accept.
   */
  static final long MAX_TABLE_SIZE = 1L << 30;

  private final Settings settings;

  /**
   * Creates the strategy.
   *
   * @param settings checked settings
   */
  TieredStrategy(Settings settings) {
    this.settings = StrategyChecks.settings(settings);
  }

  /**
   * Picks a merge of sorted runs, as the class describes. Compactors are all alike here: runs
   * that a running compaction owns show as compacting in the view, so the next call picks among
   * the others.
   *
   * @param view the current levels
   * @param compactorId ignored
   * @return the plan, or {@code null}
   */
  @Override
  public Plan pick(LevelsView view, int compactorId) {
    StrategyChecks.view(settings, view, compactorId);
    List<SortedRun> runs = SortedRun.of(view);
    int trigger = settings.numLevelZeroTables();
    if (runs.size() < trigger) {
      return null;
    }
    double score = (double) runs.size() / trigger;
    Plan plan = sizeAmplification(runs, score);
    if (plan == null) {
      plan = reduce(view, runs, false, runs.size(), "size-ratio", score);
    }
    if (plan == null) {
      plan = reduce(view, runs, true, runs.size() - trigger + 2, "run-count", score);
    }
    return plan;
  }

  /**
   * Reports for every level its current size as its target (tiered has no size targets). The
   * score of L0 is the number of sorted runs over {@code numLevelZeroTables}, at or above 1 when
   * compaction is due; the score of the level that holds the oldest run (when that is not L0) is
   * the size amplification over its limit, {@code bytes of newer runs / (2 x bytes of the oldest
   * run)}, at or above 1 when a full merge is due once the run count allows; every other level
   * scores 0.
   *
   * @param view the current levels
   * @return one entry per level
   */
  @Override
  public List<LevelTarget> targets(LevelsView view) {
    StrategyChecks.view(settings, view);
    List<SortedRun> runs = SortedRun.of(view);
    int oldestLevel = -1;
    double amplification = 0;
    if (runs.size() >= 2) {
      SortedRun oldest = runs.get(runs.size() - 1);
      oldestLevel = oldest.level();
      long newer = 0;
      for (SortedRun r : runs.subList(0, runs.size() - 1)) {
        newer += r.bytes();
      }
      amplification = (double) newer * 100
          / (MAX_SIZE_AMPLIFICATION_PERCENT * (double) Math.max(1, oldest.bytes()));
    }
    List<LevelTarget> out = new ArrayList<>(settings.maxLevels());
    out.add(new LevelTarget(view.levelBytes(0),
        (double) runs.size() / settings.numLevelZeroTables()));
    for (int i = 1; i < settings.maxLevels(); i++) {
      out.add(new LevelTarget(view.levelBytes(i), i == oldestLevel ? amplification : 0));
    }
    return out;
  }

  /** Everything into the last level, when the newer runs are large next to the oldest. */
  private Plan sizeAmplification(List<SortedRun> runs, double score) {
    if (runs.size() < 2) {
      return null;
    }
    long newer = 0;
    for (SortedRun r : runs) {
      if (r.compacting()) {
        return null; // a full merge needs every run
      }
      newer += r.bytes();
    }
    long oldest = runs.get(runs.size() - 1).bytes();
    newer -= oldest;
    // newer * 100 >= limit * oldest, without overflow for any sizes.
    if ((double) newer * 100 < (double) MAX_SIZE_AMPLIFICATION_PERCENT * oldest) {
      return null;
    }
    return merge(runs, settings.maxLevels() - 1, "size-amp", score);
  }

  /**
   * RocksDB's PickCompactionToReduceSortedRuns: from each free run, newest first, take the
   * following free runs while the size rule allows and at most {@code maxRuns}; merge the first
   * group of at least two.
   *
   * @param anySize take runs regardless of size (the run-count rule)
   */
  private Plan reduce(LevelsView view, List<SortedRun> runs, boolean anySize, int maxRuns,
      String why, double score) {
    for (int start = 0; start < runs.size(); start++) {
      if (runs.get(start).compacting()) {
        continue;
      }
      double taken = runs.get(start).bytes();
      int end = start + 1;
      while (end < runs.size() && end - start < maxRuns) {
        SortedRun next = runs.get(end);
        if (next.compacting()) {
          break;
        }
        if (!anySize && next.bytes() > taken * (100 + SIZE_RATIO_PERCENT) / 100) {
          break;
        }
        taken += next.bytes();
        end++;
      }
      if (end - start >= 2) {
        List<SortedRun> group = runs.subList(start, end);
        return merge(group, outputLevel(view, group), why, score);
      }
    }
    return null;
  }

  /** Where a group of adjacent runs goes, as the class describes. */
  private int outputLevel(LevelsView view, List<SortedRun> group) {
    SortedRun oldest = group.get(group.size() - 1);
    if (oldest.level() > 0) {
      return oldest.level();
    }
    List<TableView> l0 = view.levels().get(0);
    if (oldest.tables().get(0).id() != l0.get(l0.size() - 1).id()) {
      return 0; // older L0 tables stay below: the output takes the merged tables' place
    }
    for (int i = 1; i < settings.maxLevels(); i++) {
      if (!view.levels().get(i).isEmpty()) {
        return i - 1; // L0 itself when L1 holds data
      }
    }
    return settings.maxLevels() - 1;
  }

  private Plan merge(List<SortedRun> group, int output, String why, double score) {
    List<Input> inputs = new ArrayList<>();
    List<Long> levelZero = new ArrayList<>();
    for (SortedRun r : group) {
      if (r.level() == 0) {
        levelZero.add(r.tables().get(0).id());
      }
    }
    if (!levelZero.isEmpty()) {
      inputs.add(new Input(0, levelZero));
    }
    for (SortedRun r : group) {
      if (r.level() > 0) {
        List<Long> ids = new ArrayList<>(r.tables().size());
        for (TableView t : r.tables()) {
          ids.add(t.id());
        }
        inputs.add(new Input(r.level(), ids));
      }
    }
    int shallowest = group.get(0).level();
    String reason = "L" + shallowest + "->L" + output + " " + why + " " + group.size() + " runs";
    return new Plan(inputs, output, tableSize(output), score, reason);
  }

  /** The cut size of output tables: one table for L0, growing with depth below, capped. */
  private long tableSize(int level) {
    if (level == 0) {
      return Long.MAX_VALUE;
    }
    long size = settings.baseTableSize();
    for (int i = 1; i < level && size < MAX_TABLE_SIZE; i++) {
      size = StrategyChecks.saturatedMultiply(size, settings.tableSizeMultiplier());
    }
    return Math.min(size, Math.max(MAX_TABLE_SIZE, settings.baseTableSize()));
  }

  @Override
  public String toString() {
    return "TieredStrategy" + settings;
  }
}
