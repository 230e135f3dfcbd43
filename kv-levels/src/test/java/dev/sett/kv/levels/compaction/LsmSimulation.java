package dev.sett.kv.levels.compaction;

import dev.sett.kv.spi.CompactionStrategy;
import dev.sett.kv.spi.CompactionStrategy.Input;
import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.Plan;
import dev.sett.kv.spi.CompactionStrategy.Settings;
import dev.sett.kv.spi.CompactionStrategy.TableView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A toy LSM tree driven by a strategy, to check what the plan rules are for: that data never
 * lands under older data. Tables hold {@code key -> version} maps of {@value #ENTRY_BYTES}-byte
 * entries; memtables flush to the front of L0; compactions start (their tables marked as being
 * compacted) and finish later, several at once and in any order, while flushes go on; now and
 * then the last level sheds the keys that levels above it shadow, so that it shrinks.
 *
 * <p>A finished plan is applied as the engine would: the inputs merge (keeping the newest
 * version of each key, as if no snapshot needed older ones), are cut at the plan's table size
 * and replace the inputs; output tables of an L0 output take the place of its inputs in L0.
 * After every step: each level at or below L1 is sorted and disjoint, and every key's versions
 * strictly decrease in read order (L0 newest first, then L1, L2, ...), so the first version a
 * read meets is the newest that was written.
 */
final class LsmSimulation {
  /** The size of one entry. */
  static final long ENTRY_BYTES = 1024;

  private final Settings settings;
  private final CompactionStrategy strategy;
  private final Random random;
  private final int keySpace;
  private final List<List<SimTable>> levels = new ArrayList<>();
  private final Set<Long> compacting = new HashSet<>();
  private final List<Plan> running = new ArrayList<>();
  private final Map<Integer, Long> newest = new HashMap<>();
  private long nextId = 1;
  private long nextVersion = 1;
  private int plansApplied;

  /** A table: its entries, key to version. */
  private record SimTable(long id, TreeMap<Integer, Long> entries) {
    TableView view(boolean compacting) {
      long maxVersion = 0;
      for (long v : entries.values()) {
        maxVersion = Math.max(maxVersion, v);
      }
      return new TableView(id, entries.size() * ENTRY_BYTES, RandomViews.key(entries.firstKey()),
          RandomViews.key(entries.lastKey()), maxVersion, compacting);
    }
  }

  LsmSimulation(Settings settings, CompactionStrategy strategy, Random random, int keySpace) {
    this.settings = settings;
    this.strategy = strategy;
    this.random = random;
    this.keySpace = keySpace;
    for (int i = 0; i < settings.maxLevels(); i++) {
      levels.add(new ArrayList<>());
    }
  }

  /** Simulation settings: 64 KiB memtables (64 entries), small levels, random shape. */
  static Settings randomSettings(Random r) {
    return new Settings(3 + r.nextInt(5), 64L << 10, (16L << 10) << r.nextInt(3),
        (64L << 10) << r.nextInt(4), 2 + r.nextInt(5), 1 + r.nextInt(3), 2 + r.nextInt(5));
  }

  /**
   * Runs random steps, then finishes every compaction and compacts until the strategy is done.
   *
   * @param steps the number of random steps
   * @param compactors how many compactions may run at once
   */
  void run(int steps, int compactors) {
    for (int step = 0; step < steps; step++) {
      int dice = random.nextInt(100);
      if (dice < 5) {
        cleanBottom();
      } else if (dice < 35) {
        flush();
      } else if (dice < 75) {
        if (running.size() < compactors) {
          start(random.nextInt(compactors));
        }
      } else if (!running.isEmpty()) {
        finish(running.remove(random.nextInt(running.size())));
      }
    }
    while (!running.isEmpty()) {
      finish(running.remove(random.nextInt(running.size())));
    }
    for (int i = 0; ; i++) {
      if (i > 100_000) {
        throw new AssertionError("the strategy never settles\n" + PlanRules.describe(view()));
      }
      if (!start(i % 2) && !start(0)) {
        break;
      }
      finish(running.remove(0));
    }
    checkNewestFirst();
  }

  /** How many plans were applied. */
  int plansApplied() {
    return plansApplied;
  }

  /** The current levels as a strategy sees them. */
  LevelsView view() {
    List<List<TableView>> out = new ArrayList<>();
    for (List<SimTable> level : levels) {
      List<TableView> views = new ArrayList<>();
      for (SimTable t : level) {
        views.add(t.view(compacting.contains(t.id())));
      }
      out.add(views);
    }
    return new LevelsView(out);
  }

  private void flush() {
    TreeMap<Integer, Long> entries = new TreeMap<>();
    int count = 1 + random.nextInt((int) (settings.memTableSize() / ENTRY_BYTES));
    // Sometimes a narrow hot range, so that tables overlap little.
    int lo = random.nextBoolean() ? 0 : random.nextInt(keySpace);
    int width = random.nextBoolean() ? keySpace : 1 + random.nextInt(Math.max(1, keySpace / 8));
    for (int i = 0; i < count; i++) {
      int key = (lo + random.nextInt(width)) % keySpace;
      long version = nextVersion++;
      entries.put(key, version);
      newest.put(key, version);
    }
    levels.get(0).add(0, new SimTable(nextId++, entries));
  }

  /**
   * Drops from the free tables of the last level every key that a level above holds, as
   * Badger's Lmax to Lmax compaction of stale data does: the bottom shrinks while the levels
   * above keep their data, the shape in which Badger's base level went below them (#2143).
   */
  private void cleanBottom() {
    Set<Integer> above = new HashSet<>();
    for (List<SimTable> level : levels.subList(0, levels.size() - 1)) {
      for (SimTable t : level) {
        above.addAll(t.entries().keySet());
      }
    }
    List<SimTable> bottom = levels.get(levels.size() - 1);
    for (int i = bottom.size() - 1; i >= 0; i--) {
      SimTable t = bottom.get(i);
      if (compacting.contains(t.id())) {
        continue;
      }
      TreeMap<Integer, Long> kept = new TreeMap<>(t.entries());
      kept.keySet().removeAll(above);
      if (kept.isEmpty()) {
        bottom.remove(i);
      } else {
        bottom.set(i, new SimTable(t.id(), kept));
      }
    }
    checkNewestFirst();
  }

  private boolean start(int compactorId) {
    LevelsView view = view();
    Plan plan = strategy.pick(view, compactorId);
    if (plan == null) {
      return false;
    }
    PlanRules.check(view, plan, strategy + " compactor " + compactorId);
    for (Input in : plan.inputs()) {
      compacting.addAll(in.tableIds());
    }
    running.add(plan);
    return true;
  }

  private void finish(Plan plan) {
    TreeMap<Integer, Long> merged = new TreeMap<>();
    int l0Position = Integer.MAX_VALUE;
    for (Input in : plan.inputs()) {
      List<SimTable> level = levels.get(in.level());
      for (long id : in.tableIds()) {
        int index = indexOf(level, id);
        if (in.level() == 0) {
          l0Position = Math.min(l0Position, index);
        }
        for (Map.Entry<Integer, Long> e : level.get(index).entries().entrySet()) {
          merged.merge(e.getKey(), e.getValue(), Math::max);
        }
      }
    }
    for (Input in : plan.inputs()) {
      levels.get(in.level()).removeIf(t -> in.tableIds().contains(t.id()));
      compacting.removeAll(in.tableIds());
    }
    List<SimTable> outputs = cut(merged, plan.targetTableSize());
    int output = plan.outputLevel();
    if (output == 0) {
      levels.get(0).addAll(l0Position, outputs);
    } else {
      List<SimTable> level = levels.get(output);
      level.addAll(outputs);
      level.sort((a, b) -> Integer.compare(a.entries().firstKey(), b.entries().firstKey()));
    }
    plansApplied++;
    checkLevels(plan);
    checkNewestFirst();
  }

  private List<SimTable> cut(TreeMap<Integer, Long> merged, long targetSize) {
    List<SimTable> out = new ArrayList<>();
    TreeMap<Integer, Long> current = new TreeMap<>();
    for (Map.Entry<Integer, Long> e : merged.entrySet()) {
      current.put(e.getKey(), e.getValue());
      if (current.size() * ENTRY_BYTES >= targetSize) {
        out.add(new SimTable(nextId++, current));
        current = new TreeMap<>();
      }
    }
    if (!current.isEmpty()) {
      out.add(new SimTable(nextId++, current));
    }
    return out;
  }

  private static int indexOf(List<SimTable> level, long id) {
    for (int i = 0; i < level.size(); i++) {
      if (level.get(i).id() == id) {
        return i;
      }
    }
    throw new AssertionError("table " + id + " of a running plan is gone");
  }

  private void checkLevels(Plan applied) {
    for (int i = 1; i < levels.size(); i++) {
      List<SimTable> level = levels.get(i);
      for (int j = 1; j < level.size(); j++) {
        if (level.get(j - 1).entries().lastKey() >= level.get(j).entries().firstKey()) {
          throw new AssertionError("L" + i + " overlaps after " + applied + "\n"
              + PlanRules.describe(view()));
        }
      }
    }
  }

  /** Every key's versions decrease in read order, and the first one is the newest written. */
  private void checkNewestFirst() {
    Map<Integer, Long> seen = new HashMap<>();
    for (int i = 0; i < levels.size(); i++) {
      for (SimTable t : levels.get(i)) {
        for (Map.Entry<Integer, Long> e : t.entries().entrySet()) {
          Long above = seen.put(e.getKey(), e.getValue());
          if (above == null ? e.getValue() != (long) newest.get(e.getKey())
              : above <= e.getValue()) {
            throw new AssertionError("key " + e.getKey() + " version " + e.getValue() + " in L"
                + i + " table " + t.id() + " is under version " + above + " (newest written "
                + newest.get(e.getKey()) + ")\n" + PlanRules.describe(view()));
          }
        }
      }
    }
    if (seen.size() != newest.size()) {
      throw new AssertionError(newest.size() - seen.size() + " keys lost");
    }
  }
}
