package dev.sett.kv.spi;

import java.util.List;
import java.util.Objects;

/**
 * Chooses what to compact next from a snapshot of the levels. The engine executes the plans: it
 * merges the input tables, drops what no reader can see any more and writes the output level.
 *
 * <p>Rules every plan must keep (the engine checks them and refuses a plan that breaks one, with
 * an error naming the strategy). The plan's key range spans the smallest to the largest key of
 * all its inputs. No input table is already being compacted. For an output level of 1 or more,
 * every table of the output level that overlaps the range is an input, and no level strictly
 * between the shallowest input level and the output level holds a table overlapping the range
 * that is not an input (older data never moves above newer data: Badger's bug #2143). When L0
 * tables are inputs and the output is below L0, they are the oldest L0 tables, compacting ones
 * counted. For an L0 output, the L0 inputs are adjacent in L0 and the output takes their place.
 * Called by compactor threads under the engine's levels lock, so a strategy sees a consistent
 * view and need not be thread-safe.
 */
public interface CompactionStrategy {

  /**
   * The options a strategy works from.
   *
   * @param maxLevels the number of levels, L0 included (2 to 16)
   * @param memTableSize the memtable size: the size of an L0 table
   * @param baseTableSize the target table size at the base level
   * @param baseLevelSize the target size of the base level
   * @param levelSizeMultiplier the ratio between the targets of adjacent levels
   * @param tableSizeMultiplier the ratio between the table sizes of adjacent levels below the base
   * @param numLevelZeroTables the number of L0 tables (sorted runs for {@code tiered}) that calls
   *     for a compaction
   */
  record Settings(int maxLevels, long memTableSize, long baseTableSize, long baseLevelSize,
      int levelSizeMultiplier, int tableSizeMultiplier, int numLevelZeroTables) {}

  /**
   * A table as the strategy sees it.
   *
   * @param id the file id
   * @param sizeBytes the file size
   * @param smallestKey the smallest user key; must not be modified
   * @param largestKey the largest user key; must not be modified
   * @param maxVersion the newest version it holds (a proxy for age)
   * @param compacting whether a running compaction already owns it
   */
  record TableView(long id, long sizeBytes, byte[] smallestKey, byte[] largestKey,
      long maxVersion, boolean compacting) {}

  /**
   * The levels at one moment.
   *
   * @param levels the tables of each level, L0 first; L0 newest first, deeper levels by key
   */
  record LevelsView(List<List<TableView>> levels) {

    /** Copies the lists. */
    public LevelsView {
      levels = levels.stream().map(List::copyOf).toList();
    }

    /**
     * Bytes in a level.
     *
     * @param level the level
     * @return the sum of its table sizes
     */
    public long levelBytes(int level) {
      long sum = 0;
      for (TableView t : levels.get(level)) {
        sum += t.sizeBytes();
      }
      return sum;
    }
  }

  /**
   * The tables a plan takes from one level.
   *
   * @param level the level
   * @param tableIds the ids of its tables the plan merges
   */
  record Input(int level, List<Long> tableIds) {

    /** Copies the ids. */
    public Input {
      tableIds = List.copyOf(tableIds);
    }
  }

  /**
   * A compaction to run.
   *
   * @param inputs the tables merged, by level; shallower levels hold newer data
   * @param outputLevel where the merged tables go: at least the deepest input level
   * @param targetTableSize the size at which output tables are cut
   * @param score the priority that chose it, for logs
   * @param reason a short description for logs, such as {@code "L0->L6"}
   */
  record Plan(List<Input> inputs, int outputLevel, long targetTableSize, double score,
      String reason) {

    /** Copies the inputs. */
    public Plan {
      inputs = List.copyOf(inputs);
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The target and score of a level, for statistics.
   *
   * @param targetBytes the size the strategy aims for
   * @param score the level's priority; at or above 1 it wants compacting
   */
  record LevelTarget(long targetBytes, double score) {}

  /**
   * Picks the next compaction.
   *
   * @param view the current levels
   * @param compactorId which compactor thread asks (0 first); strategies may give compactor 0 a
   *     preference for L0, as Badger does
   * @return the plan, or {@code null} when nothing needs compacting now
   */
  Plan pick(LevelsView view, int compactorId);

  /**
   * The target and score of every level, L0 first.
   *
   * @param view the current levels
   * @return one entry per level
   */
  List<LevelTarget> targets(LevelsView view);
}
