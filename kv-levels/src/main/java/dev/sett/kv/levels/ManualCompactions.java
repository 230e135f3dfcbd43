package dev.sett.kv.levels;

import dev.sett.kv.StorageException;
import dev.sett.kv.levels.CompactionAdmission.Admitted;
import dev.sett.kv.levels.compaction.KeyRange;
import dev.sett.kv.spi.CompactionStrategy.Input;
import dev.sett.kv.spi.CompactionStrategy.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Compactions a user asks for, run on the calling thread with the background compactors paused:
 * {@link #flatten} (everything into one level), {@link #compactRange} (a key range down into the
 * last level, for drops), {@link #compactNow} (one given plan, for tests and tools) and {@link
 * #compactLevelZero} (all of L0 once, for {@code compactL0OnClose}). Their
 * plans go through the same admission as the strategy's ({@link CompactionAdmission}).
 *
 * <p>Concurrency notes: each call pauses the compactors ({@link CompactionScheduler#pause()},
 * which waits for the running compactions to end) and resumes them when done; it plans and
 * admits under the levels lock in one step, from the current set, then executes outside the lock
 * ({@link CompactionScheduler#execute}). Closing cancels a running manual compaction, and
 * {@code close} waits for it to end. It writes no shared state of its own.
 */
final class ManualCompactions {
  private final LevelState state;
  private final CompactionAdmission admission;
  private final CompactionScheduler scheduler;

  ManualCompactions(LevelState state, CompactionAdmission admission,
      CompactionScheduler scheduler) {
    this.state = state;
    this.admission = admission;
    this.scheduler = scheduler;
  }

  /**
   * Compacts until every table is in one level: repeatedly merges the shallowest non-empty level
   * with the next non-empty one below it (or the last level) into that level.
   *
   * @param workers threads running the sub-compactions
   * @throws StorageException if a compaction fails
   */
  void flatten(int workers) throws InterruptedException {
    scheduler.pause();
    ExecutorService pool = workers > 1
        ? Executors.newFixedThreadPool(workers, CompactionScheduler.daemon("sett-flatten")) : null;
    try {
      while (!state.closing()) {
        Admitted job;
        state.lock.lock();
        try {
          TableSet s = state.current();
          int top = -1;
          int below = -1;
          for (int i = 0; i < s.levels.length; i++) {
            if (s.levels[i].length > 0) {
              if (top < 0) {
                top = i;
              } else {
                below = i;
                break;
              }
            }
          }
          if (top < 0 || (below < 0 && (top > 0 || s.levels.length == 1))) {
            return; // empty, or everything already in one level below L0
          }
          int out = below < 0 ? s.levels.length - 1 : below;
          Plan plan = wholeLevels(s, top, out, "flatten L" + top + "->L" + out);
          job = admission.admitLocked(s, plan);
          if (job == null) {
            throw new IllegalStateException("flatten could not plan L" + top + "->L" + out);
          }
        } finally {
          state.lock.unlock();
        }
        if (!scheduler.execute(job, pool, false)) {
          throw new StorageException(null, "flatten failed: a compaction failed (see the log)", null);
        }
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
      scheduler.resume();
    }
  }

  /**
   * Pushes the tables holding keys in {@code [lo, hi]} down level by level into the last one:
   * all of L0 (its tables may overlap each other, so a part of it cannot go down alone), then in
   * each deeper level the tables overlapping the range, merged with the overlapping tables of the
   * next level below that holds any table, until they reach the last level, where tombstones are
   * dropped with the versions they delete (a range found only in the last level is compacted
   * there by itself).
   *
   * @throws StorageException if a compaction fails
   */
  void compactRange(byte[] lo, byte[] hi) throws InterruptedException {
    scheduler.pause();
    try {
      int level = 0;
      while (!state.closing()) {
        Admitted job;
        int out;
        int last;
        state.lock.lock();
        try {
          TableSet s = state.current();
          last = s.levels.length - 1;
          int top = -1;
          for (int i = level; i <= last && top < 0; i++) {
            if (anyOverlaps(s.levels[i], lo, hi)) {
              top = i;
            }
          }
          if (top < 0) {
            return; // nothing of the range above the last level compacted
          }
          List<Long> topIds = new ArrayList<>();
          KeyRange hull = null;
          for (TableHandle t : s.levels[top]) {
            if (top == 0 || t.overlaps(lo, hi)) {
              topIds.add(t.id);
              hull = KeyRange.hull(hull, t.smallest, t.largest);
            }
          }
          // Into the next level that holds any table (as flatten does): with a level between
          // them left out, a table there could overlap what the output level's inputs add.
          out = last;
          for (int i = top + 1; i < last; i++) {
            if (s.levels[i].length > 0) {
              out = i;
              break;
            }
          }
          job = admission.admitLocked(s, plan(s, top, topIds, hull, out,
              "range L" + top + "->L" + out));
          if (job == null) {
            throw new IllegalStateException("could not plan a range compaction L" + top
                + "->L" + out);
          }
        } finally {
          state.lock.unlock();
        }
        if (!scheduler.execute(job, scheduler.subcompactions(), false)) {
          throw new StorageException(null, "range compaction failed (see the log)", null);
        }
        if (out == last) {
          return; // in the last level, where tombstones and what they delete are dropped
        }
        level = out;
      }
    } finally {
      scheduler.resume();
    }
  }

  private static boolean anyOverlaps(TableHandle[] level, byte[] lo, byte[] hi) {
    for (TableHandle t : level) {
      if (t.overlaps(lo, hi)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs one plan now: the same checks as a plan from the strategy, so a plan that breaks a rule
   * is refused.
   *
   * @return {@code false} if the plan was refused or failed (the reason is logged)
   */
  boolean compactNow(Plan plan) throws InterruptedException {
    scheduler.pause();
    try {
      Admitted job;
      state.lock.lock();
      try {
        job = admission.admitLocked(state.current(), plan);
      } finally {
        state.lock.unlock();
      }
      return job != null && scheduler.execute(job, null, false);
    } finally {
      scheduler.resume();
    }
  }

  /**
   * Compacts all of L0 once into the first non-empty level below it (or the last level), on the
   * background compactors' sub-compaction threads if there are any.
   */
  void compactLevelZero() throws InterruptedException {
    scheduler.pause();
    try {
      Admitted job;
      state.lock.lock();
      try {
        TableSet s = state.current();
        if (s.levels[0].length == 0) {
          return;
        }
        int out = s.levels.length - 1;
        for (int i = 1; i < s.levels.length; i++) {
          if (s.levels[i].length > 0) {
            out = i;
            break;
          }
        }
        job = admission.admitLocked(s, wholeLevels(s, 0, out, "close L0->L" + out));
      } finally {
        state.lock.unlock();
      }
      if (job != null) {
        scheduler.execute(job, scheduler.subcompactions(), false);
      }
    } finally {
      scheduler.resume();
    }
  }

  /**
   * A plan merging all of level {@code top} (not empty) with the overlapping tables of level
   * {@code out}.
   */
  private Plan wholeLevels(TableSet s, int top, int out, String reason) {
    List<Long> topIds = new ArrayList<>();
    KeyRange range = null;
    for (TableHandle t : s.levels[top]) {
      topIds.add(t.id);
      range = KeyRange.hull(range, t.smallest, t.largest);
    }
    return plan(s, top, topIds, range, out, reason);
  }

  /**
   * A plan merging tables {@code topIds} of level {@code top}, spanning {@code hull}, with the
   * tables of level {@code out} that overlap it.
   */
  private Plan plan(TableSet s, int top, List<Long> topIds, KeyRange hull, int out,
      String reason) {
    List<Input> inputs = new ArrayList<>();
    inputs.add(new Input(top, topIds));
    if (out != top) {
      List<Long> bottomIds = new ArrayList<>();
      for (TableHandle t : s.levels[out]) {
        if (t.overlaps(hull.smallest(), hull.largest())) {
          bottomIds.add(t.id);
        }
      }
      if (!bottomIds.isEmpty()) {
        inputs.add(new Input(out, bottomIds));
      }
    }
    long size = Math.max(state.config().memTableSize(), 2L << 20);
    return new Plan(inputs, out, size, 0, reason);
  }
}
