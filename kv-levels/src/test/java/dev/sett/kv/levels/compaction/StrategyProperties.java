package dev.sett.kv.levels.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.spi.CompactionStrategy;
import dev.sett.kv.spi.CompactionStrategy.LevelTarget;
import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.Plan;
import dev.sett.kv.spi.CompactionStrategy.Settings;
import dev.sett.kv.spi.CompactionStrategy.TableView;
import dev.sett.kv.spi.CompactionStrategyProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Both strategies on random views ({@link RandomViews}): every plan keeps the rules of the SPI
 * ({@link PlanRules}), the leveled base level never lies below data, and with nothing being
 * compacted a strategy that has work always finds a plan. Randomness comes from the {@link
 * Random} jqwik injects, so a failure replays from the seed jqwik prints.
 */
class StrategyProperties {
  private static final List<CompactionStrategyProvider> PROVIDERS =
      List.of(new LeveledStrategyProvider(), new TieredStrategyProvider());

  @Property
  void everyPlan_keepsTheRules(@ForAll Random random) {
    Settings s = RandomViews.settings(random);
    LevelsView view = RandomViews.view(random, s);
    for (CompactionStrategyProvider p : PROVIDERS) {
      CompactionStrategy strategy = p.create(s);
      for (int compactor = 0; compactor < 3; compactor++) {
        Plan plan = strategy.pick(view, compactor);
        if (plan != null) {
          PlanRules.check(view, plan, p.name() + " compactor " + compactor + " " + s);
        }
        Statistics.label(p.name()).collect(plan == null ? "none" : kind(plan));
      }
      List<LevelTarget> targets = strategy.targets(view);
      assertEquals(s.maxLevels(), targets.size(), p.name());
      for (LevelTarget t : targets) {
        assertTrue(t.targetBytes() >= 0 && Double.isFinite(t.score()) && t.score() >= 0,
            p.name() + ": " + t);
      }
    }
  }

  @Property
  void leveledBase_isNeverBelowData(@ForAll Random random) {
    Settings s = RandomViews.settings(random);
    LevelsView view = RandomViews.view(random, s);
    int base = LevelTargets.compute(s, view).baseLevel();
    assertTrue(base >= 1 && base < s.maxLevels(), "base " + base);
    for (int i = 1; i < base; i++) {
      assertTrue(view.levels().get(i).isEmpty(), "L" + i + " holds data above base L" + base
          + "\n" + PlanRules.describe(view));
    }
  }

  @Property
  void leveled_withNothingCompacting_findsAPlanWhenALevelIsDue(@ForAll Random random) {
    Settings s = RandomViews.settings(random);
    LevelsView view = idle(RandomViews.view(random, s));
    LevelScores scores = LevelScores.compute(s, view, LevelTargets.compute(s, view));
    boolean due = false;
    for (int level : scores.candidates(false)) {
      due |= scores.adjusted(level) >= 1;
    }
    Plan plan = new LeveledStrategyProvider().create(s).pick(view, 1);
    assertEquals(due, plan != null, "plan " + plan + "\n" + PlanRules.describe(view));
  }

  @Property
  void tiered_withNothingCompacting_findsAPlanOnceTheRunsAreDue(@ForAll Random random) {
    Settings s = RandomViews.settings(random);
    LevelsView view = idle(RandomViews.view(random, s));
    int runs = SortedRun.of(view).size();
    Plan plan = new TieredStrategyProvider().create(s).pick(view, 0);
    if (runs < Math.max(2, s.numLevelZeroTables())) {
      if (runs < s.numLevelZeroTables()) {
        assertNull(plan);
      }
    } else {
      assertNotNull(plan, PlanRules.describe(view));
    }
  }

  /** What a plan does, for the coverage statistics: "L0->Ln size-ratio" and so on. */
  private static String kind(Plan plan) {
    int from = plan.inputs().get(0).level();
    int to = plan.outputLevel();
    String target = to == 0 ? "L0" : to == from ? "Li" : to == from + 1 ? "Li+1" : "Ln";
    String[] words = plan.reason().split(" ");
    return (from == 0 ? "L0" : "Li") + "->" + target + (words.length > 1 ? " " + words[1] : "");
  }

  /** The view with no table being compacted. */
  private static LevelsView idle(LevelsView view) {
    List<List<TableView>> levels = new ArrayList<>();
    for (List<TableView> level : view.levels()) {
      levels.add(level.stream().map(t -> new TableView(t.id(), t.sizeBytes(), t.smallestKey(),
          t.largestKey(), t.maxVersion(), false)).toList());
    }
    return new LevelsView(levels);
  }
}
