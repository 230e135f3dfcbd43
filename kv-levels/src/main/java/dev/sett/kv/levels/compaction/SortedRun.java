package dev.sett.kv.levels.compaction;

import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.TableView;
import java.util.ArrayList;
import java.util.List;

/**
 * A sorted run of the tiered strategy: one L0 table, or all the tables of one non-empty level
 * at or below L1. Each run holds distinct keys; a key may appear in every run, and a newer run
 * shadows an older one.
 *
 * @param level the level the run lives in
 * @param tables its tables: one for L0, the whole level otherwise
 * @param bytes their total size
 * @param compacting whether any of its tables is being compacted
 */
record SortedRun(int level, List<TableView> tables, long bytes, boolean compacting) {

  /**
   * The runs of a view, newest first: the L0 tables in L0's order (newest first), then every
   * non-empty deeper level from L1 down.
   *
   * @param view the levels
   * @return the runs
   */
  static List<SortedRun> of(LevelsView view) {
    List<SortedRun> runs = new ArrayList<>();
    for (TableView t : view.levels().get(0)) {
      runs.add(new SortedRun(0, List.of(t), t.sizeBytes(), t.compacting()));
    }
    for (int i = 1; i < view.levels().size(); i++) {
      List<TableView> tables = view.levels().get(i);
      if (tables.isEmpty()) {
        continue;
      }
      boolean compacting = false;
      for (TableView t : tables) {
        compacting |= t.compacting();
      }
      runs.add(new SortedRun(i, tables, view.levelBytes(i), compacting));
    }
    return runs;
  }
}
