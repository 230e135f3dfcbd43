package dev.sett.kv.levels;

import dev.sett.kv.internal.Keys;
import dev.sett.kv.levels.compaction.KeyRange;
import dev.sett.kv.spi.CompactionStrategy;
import dev.sett.kv.spi.CompactionStrategy.Input;
import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.Plan;
import dev.sett.kv.spi.CompactionStrategy.TableView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Admission of compaction plans, from the strategy or from a user: checks a plan against the
 * rules of {@link CompactionStrategy} and the compactions running now, and marks what an admitted
 * compaction holds (its tables, its output key range) until it ends.
 *
 * <p>Concurrency notes.
 * <ul>
 *   <li>Every method runs under the levels lock ({@code LevelState.lock}; hence the
 *       {@code Locked} suffixes), which guards {@code compacting}, {@code inFlight} and
 *       {@code lastRejectedPlan}. Callers: the compactors and the manual compactions (admit), the
 *       end of every compaction (release), and level stats (view).
 *   <li>Invariants: a table is in at most one running compaction; two running compactions never
 *       write overlapping key ranges into the same level, and at most one writes into L0; older
 *       data never sits above newer data for the same key. {@link #admitLocked} refuses any plan
 *       that would break one ({@link #checkPlan}), and {@link #releaseLocked} undoes its marks.
 * </ul>
 */
final class CompactionAdmission {
  private static final System.Logger LOG = System.getLogger(CompactionAdmission.class.getName());

  private final LevelState state;
  private final Set<Long> compacting = new HashSet<>(); // guarded by lock
  private final List<InFlight> inFlight = new ArrayList<>(); // guarded by lock
  private String lastRejectedPlan; // guarded by lock: logged once

  /** The key range a running compaction writes into its output level. */
  record InFlight(int outputLevel, KeyRange range) {}

  /**
   * A compaction admitted by {@link #admitLocked}: its tables are marked compacting, its range is
   * in flight, it counts as running and holds a reference on {@code set} until
   * {@link #releaseLocked} (and the caller's {@code set.unref()}).
   */
  record Admitted(Plan plan, TableSet set, List<TableHandle[]> sources,
      List<TableHandle> bottom, Set<Long> inputIds, InFlight range, boolean hasOverlap) {}

  CompactionAdmission(LevelState state) {
    this.state = state;
  }

  /** The strategy's view of a set: the tables being compacted are marked. */
  LevelsView viewLocked(TableSet s) {
    List<List<TableView>> levels = new ArrayList<>();
    for (TableHandle[] level : s.levels) {
      List<TableView> l = new ArrayList<>(level.length);
      for (TableHandle t : level) {
        l.add(new TableView(t.id, t.sizeBytes, t.smallest, t.largest, t.maxVersion,
            compacting.contains(t.id)));
      }
      levels.add(l);
    }
    return new LevelsView(levels);
  }

  /**
   * Checks a plan and marks its tables; logs and returns null when it breaks a rule, and returns
   * null while the levels close.
   */
  Admitted admitLocked(TableSet s, Plan plan) {
    if (state.closing()) {
      return null;
    }
    String problem = checkPlan(s, plan);
    if (problem != null) {
      String msg = "compaction strategy '" + state.config().strategyName()
          + "' proposed an invalid plan (" + plan.reason() + "): " + problem + "; skipped";
      if (!msg.equals(lastRejectedPlan)) {
        lastRejectedPlan = msg;
        LOG.log(System.Logger.Level.ERROR, msg);
      }
      return null;
    }
    Map<Long, TableHandle> byId = new HashMap<>();
    for (TableHandle[] l : s.levels) {
      for (TableHandle t : l) {
        byId.put(t.id, t);
      }
    }
    List<TableHandle[]> sources = new ArrayList<>();
    List<TableHandle> bottom = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    KeyRange range = null;
    for (Input in : plan.inputs()) {
      List<TableHandle> tables = new ArrayList<>();
      for (long id : in.tableIds()) {
        TableHandle t = byId.get(id);
        tables.add(t);
        ids.add(id);
        range = KeyRange.hull(range, t.smallest, t.largest);
      }
      if (in.level() == 0) {
        tables.sort(TableSet.L0_ORDER);
        for (TableHandle t : tables) {
          sources.add(new TableHandle[] {t});
        }
      } else {
        tables.sort(TableSet.KEY_ORDER);
        sources.add(tables.toArray(new TableHandle[0]));
        if (in.level() == plan.outputLevel()) {
          bottom.addAll(tables);
        }
      }
    }
    bottom.sort(TableSet.KEY_ORDER); // split keys come from it in order
    boolean hasOverlap = plan.outputLevel() == 0;
    for (int i = plan.outputLevel() + 1; i < s.levels.length && !hasOverlap; i++) {
      for (TableHandle t : s.levels[i]) {
        if (t.overlaps(range.smallest(), range.largest())) {
          hasOverlap = true;
          break;
        }
      }
    }
    compacting.addAll(ids);
    InFlight f = new InFlight(plan.outputLevel(), range);
    inFlight.add(f);
    state.running++;
    s.tryRef(); // the job reads these tables; released when it ends
    return new Admitted(plan, s, sources, bottom, ids, f, hasOverlap);
  }

  /** Ends an admitted compaction's marks: its tables, its range, its count as running. */
  void releaseLocked(Admitted a) {
    compacting.removeAll(a.inputIds());
    inFlight.remove(a.range());
    state.running--;
  }

  /**
   * Why {@code plan} breaks a rule of {@link CompactionStrategy}, or {@code null} if it keeps
   * them all.
   */
  private String checkPlan(TableSet s, Plan plan) {
    if (plan.inputs().isEmpty()) {
      return "no inputs";
    }
    int out = plan.outputLevel();
    if (out < 0 || out >= s.levels.length) {
      return "output level " + out + " does not exist";
    }
    if (plan.targetTableSize() <= 0) {
      return "target table size " + plan.targetTableSize();
    }
    Set<Long> ids = new HashSet<>();
    int minLevel = Integer.MAX_VALUE;
    KeyRange range = null;
    Set<Integer> levelsSeen = new HashSet<>();
    for (Input in : plan.inputs()) {
      if (!levelsSeen.add(in.level())) {
        return "level " + in.level() + " is listed twice";
      }
      if (in.level() < 0 || in.level() > out) {
        return "input level " + in.level() + " is below the output level " + out;
      }
      minLevel = Math.min(minLevel, in.level());
      for (long id : in.tableIds()) {
        TableHandle t = null;
        for (TableHandle c : s.levels[in.level()]) {
          if (c.id == id) {
            t = c;
            break;
          }
        }
        if (t == null) {
          return "table " + id + " is not in level " + in.level();
        }
        if (compacting.contains(id) || !ids.add(id)) {
          return "table " + id + " is already being compacted or listed twice";
        }
        range = KeyRange.hull(range, t.smallest, t.largest);
      }
    }
    if (ids.isEmpty()) {
      return "no input tables";
    }
    byte[] lo = range.smallest();
    byte[] hi = range.largest();
    for (int i = Math.max(minLevel, 1); i <= out; i++) {
      for (TableHandle t : s.levels[i]) {
        if ((i > minLevel || i == out) && t.overlaps(lo, hi) && !ids.contains(t.id)) {
          return "table " + t + " in level " + i + " overlaps the range but is not an input";
        }
      }
    }
    if (minLevel == 0 && out > 0) {
      boolean seenInput = false;
      for (TableHandle t : s.levels[0]) { // newest first: inputs must be a suffix (the oldest)
        if (ids.contains(t.id)) {
          seenInput = true;
        } else if (seenInput) {
          return "L0 table " + t + " is older than an input but not an input";
        }
      }
    }
    if (out == 0) { // the output takes the inputs' place in L0, so they must be neighbours
      int first = -1;
      int last = -1;
      TableHandle[] l0 = s.levels[0];
      for (int i = 0; i < l0.length; i++) {
        if (ids.contains(l0[i].id)) {
          first = first < 0 ? i : first;
          last = i;
        }
      }
      if (last - first + 1 != ids.size()) {
        return "the L0 inputs are not adjacent in L0";
      }
    }
    if (minLevel == 0 && out == 0) {
      for (InFlight f : inFlight) {
        if (f.outputLevel() == 0) {
          return "another L0->L0 compaction is running";
        }
      }
    }
    for (InFlight f : inFlight) {
      if (f.outputLevel() == out && out > 0
          && Keys.compare(f.range().smallest(), hi) <= 0
          && Keys.compare(f.range().largest(), lo) >= 0) {
        return "its range overlaps a running compaction into level " + out;
      }
    }
    return null;
  }
}
