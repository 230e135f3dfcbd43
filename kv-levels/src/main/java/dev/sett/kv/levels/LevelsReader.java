package dev.sett.kv.levels;

import dev.sett.kv.LevelStats;
import dev.sett.kv.StorageException;
import dev.sett.kv.spi.CompactionStrategy.LevelTarget;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.StoredValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads across the levels: point reads, the iterators of a pinned snapshot
 * ({@link LevelsController.Snapshot}), and the shape of the levels (table ids, level stats).
 *
 * <p>Concurrency notes: called from any thread. Every read pins the current {@link TableSet}
 * ({@link LevelState#acquire()}) and reads it without a lock (the set and its tables are
 * immutable), releasing it when done; it never writes shared state. Only {@link #levelStats}
 * takes the levels lock, briefly, because the view of the levels it asks the strategy about
 * marks the tables being compacted ({@link CompactionAdmission}, guarded by that lock).
 */
final class LevelsReader {
  private final LevelState state;
  private final CompactionAdmission admission;

  LevelsReader(LevelState state, CompactionAdmission admission) {
    this.state = state;
    this.admission = admission;
  }

  /**
   * The newest version of {@code key} at or below {@code readTs} in the tables: every L0 table
   * whose range holds the key (bloom filter first), then one table per deeper level, stopping at
   * the first level that has a version (deeper levels hold only older ones) unless {@code
   * anyLevel}: then every level is read (in managed mode a commit at an old timestamp may reach
   * L0 after a newer version of its key went down), and only a version at exactly {@code readTs}
   * ends the search early.
   *
   * @throws StorageException if a table cannot be read
   */
  StoredValue get(byte[] key, long readTs, boolean anyLevel) {
    TableSet s = state.acquire();
    TableHandle t = null;
    try {
      StoredValue best = null;
      for (TableHandle h : s.levels[0]) { // newest first by max version
        if (best != null && h.maxVersion <= best.version()) {
          break; // this table and the older ones hold nothing newer than best
        }
        t = h;
        if (h.covers(key)) {
          StoredValue v = h.table.get(key, readTs);
          if (v != null && (best == null || v.version() > best.version())) {
            best = v;
          }
        }
      }
      if (best != null && (!anyLevel || best.version() == readTs)) {
        return best;
      }
      for (int i = 1; i < s.levels.length; i++) {
        t = TableSet.find(s.levels[i], key);
        if (t != null) {
          StoredValue v = t.table.get(key, readTs);
          if (v != null && (best == null || v.version() > best.version())) {
            best = v;
            if (!anyLevel || v.version() == readTs) {
              return v;
            }
          }
        }
      }
      return best;
    } catch (IOException e) {
      throw new StorageException(t == null ? null : t.fileName, "cannot read table: " + e, e);
    } finally {
      s.unref();
    }
  }

  /**
   * Iterators over a pinned set, newest data first: one per L0 table, then one per non-empty
   * deeper level.
   *
   * @param set the set, pinned by the caller for as long as the iterators are used
   * @return new unpositioned iterators; the caller closes them
   */
  static List<EntryIterator> iterators(TableSet set) {
    List<EntryIterator> its = new ArrayList<>();
    for (TableHandle t : set.levels[0]) {
      its.add(t.table.iterator(true));
    }
    for (int i = 1; i < set.levels.length; i++) {
      if (set.levels[i].length > 0) {
        its.add(new ConcatIterator(set.levels[i], true));
      }
    }
    return its;
  }

  /** The highest version in any table, 0 without tables (the current set's; no reference). */
  long maxVersion() {
    return state.current().maxVersion;
  }

  /** The ids of the tables in each level, L0 newest first. */
  List<List<Long>> tableIds() {
    TableSet s = state.acquire();
    try {
      List<List<Long>> out = new ArrayList<>();
      for (TableHandle[] level : s.levels) {
        List<Long> ids = new ArrayList<>();
        for (TableHandle t : level) {
          ids.add(t.id);
        }
        out.add(ids);
      }
      return out;
    } finally {
      s.unref();
    }
  }

  /** The shape of every level with the strategy's targets and scores, L0 first. */
  List<LevelStats> levelStats() {
    TableSet s = state.acquire();
    try {
      List<LevelTarget> targets;
      state.lock.lock();
      try {
        targets = state.config().strategy().targets(admission.viewLocked(s));
      } finally {
        state.lock.unlock();
      }
      List<LevelStats> out = new ArrayList<>();
      for (int i = 0; i < s.levels.length; i++) {
        LevelTarget t = i < targets.size() ? targets.get(i) : new LevelTarget(0, 0);
        out.add(new LevelStats(i, s.levels[i].length, s.levelBytes(i), t.targetBytes(),
            t.score()));
      }
      return out;
    } finally {
      s.unref();
    }
  }
}
