package dev.sett.kv.levels.compaction;

import static dev.sett.kv.levels.compaction.Views.MIB;
import static dev.sett.kv.levels.compaction.Views.badgerDefaults;
import static dev.sett.kv.levels.compaction.Views.compacting;
import static dev.sett.kv.levels.compaction.Views.levels;
import static dev.sett.kv.levels.compaction.Views.table;
import static dev.sett.kv.levels.compaction.Views.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sett.kv.spi.CompactionStrategy;
import dev.sett.kv.spi.CompactionStrategy.Input;
import dev.sett.kv.spi.CompactionStrategy.LevelTarget;
import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.Plan;
import dev.sett.kv.spi.CompactionStrategy.Settings;
import dev.sett.kv.spi.CompactionStrategy.TableView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scores and table selection of the leveled strategy on hand-built views (Badger's defaults). */
class LeveledStrategyTest {
  private static final Settings BADGER = badgerDefaults();
  private static final double EPS = 1e-9;

  private final CompactionStrategy strategy = new LeveledStrategyProvider().create(BADGER);

  // ---------------------------------------------------------------------------------------------
  // Scores

  /** L0 10 tables; L4 20 MiB; L5 150 MiB of which 50 are compacting; L6 1000 MiB. Base L4. */
  private static LevelsView scoredView(long l4Bytes) {
    List<TableView> l0 = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      l0.add(table(20 - i, 64 * MIB, "a", "z"));
    }
    return levels(7)
        .level(0, l0.toArray(TableView[]::new))
        .filled(4, 10, l4Bytes / 10, "d", 400)
        .level(5, compacting(table(500, 50 * MIB, "e0", "e4")), table(501, 100 * MIB, "e5", "e9"))
        .filled(6, 10, 100 * MIB, "f", 600)
        .build();
  }

  @Test
  void scores_rawAndAdjusted() {
    LevelsView view = scoredView(20 * MIB);
    LevelTargets targets = LevelTargets.compute(BADGER, view);
    assertEquals(4, targets.baseLevel());
    LevelScores scores = LevelScores.compute(BADGER, view, targets);
    assertEquals(2.0, scores.raw(0), EPS, "10 tables / 5");
    assertEquals(2.0, scores.raw(4), EPS, "20 MiB / 10 MiB");
    assertEquals(1.0, scores.raw(5), EPS, "(150 - 50 compacting) MiB / 100 MiB");
    assertEquals(1.0, scores.raw(6), EPS);
    // Each level on L0's path is divided by the raw score of the next one.
    assertEquals(1.0, scores.adjusted(0), EPS, "2 / L4's 2");
    assertEquals(2.0, scores.adjusted(4), EPS, "2 / L5's 1");
    assertEquals(1.0, scores.adjusted(5), EPS, "1 / L6's 1");
    assertEquals(List.of(4, 0, 5), scores.candidates(false));
    assertEquals(List.of(0, 4, 5), scores.candidates(true));
  }

  @Test
  void scores_almostEmptyNextLevel_dividesByTheFloor() {
    // Base L6 holds 1 KiB: its score is under 0.01, so L0's score is divided by 0.01.
    LevelsView view = levels(7)
        .filled(0, 5, 64 * MIB, "a", 10)
        .level(6, table(600, 1024, "a", "b"))
        .build();
    LevelScores scores = LevelScores.compute(BADGER, view, LevelTargets.compute(BADGER, view));
    assertEquals(1.0, scores.raw(0), EPS);
    assertEquals(100.0, scores.adjusted(0), EPS);
  }

  @Test
  void targets_reportRawScores() {
    List<LevelTarget> t = strategy.targets(scoredView(20 * MIB));
    assertEquals(7, t.size());
    assertEquals(new LevelTarget(5 * 64 * MIB, 2.0), t.get(0));
    assertEquals(new LevelTarget(10 * MIB, 0.0), t.get(1));
    assertEquals(new LevelTarget(10 * MIB, 2.0), t.get(4));
    assertEquals(new LevelTarget(100 * MIB, 1.0), t.get(5));
    assertEquals(new LevelTarget(1000 * MIB, 1.0), t.get(6));
  }

  // ---------------------------------------------------------------------------------------------
  // L0 to base

  /** Small bottom (base L6); L0 newest first, the oldest three chain by overlap. */
  private static Views.Builder levelZeroView() {
    return levels(7)
        .level(0,
            table(15, 60 * MIB, "a", "c"),
            table(14, 60 * MIB, "x", "z"),
            table(13, 60 * MIB, "d", "f"),
            table(12, 60 * MIB, "e", "m"),
            table(11, 60 * MIB, "k", "p"))
        .level(6,
            table(601, 2 * MIB, "a", "b"),
            table(602, 2 * MIB, "c", "g"),
            table(603, MIB, "h", "j"),
            table(604, MIB, "q", "w"));
  }

  @Test
  void levelZeroToBase_takesTheOldestOverlappingTablesAndTheirBottom() {
    for (int compactor = 0; compactor < 2; compactor++) {
      Plan plan = pick(levelZeroView().build(), compactor);
      assertEquals(List.of(new Input(0, List.of(13L, 12L, 11L)), new Input(6, List.of(602L, 603L))),
          plan.inputs());
      assertEquals(6, plan.outputLevel());
      assertEquals(2 * MIB, plan.targetTableSize());
      assertEquals("L0->L6", plan.reason());
      assertEquals(1 / 0.6, plan.score(), 1e-6, "adjusted: 5/5 over L6's 6/10");
    }
  }

  @Test
  void levelZeroToBase_withoutBottomTables_hasOneInput() {
    LevelsView view = levels(7)
        .level(0,
            table(14, 64 * MIB, "a", "m"),
            table(13, 64 * MIB, "b", "m"),
            table(12, 64 * MIB, "c", "m"),
            table(11, 64 * MIB, "d", "m"),
            table(10, 64 * MIB, "e", "m"))
        .level(6, table(600, MIB, "x", "y"))
        .build();
    Plan plan = pick(view, 1);
    assertEquals(List.of(new Input(0, List.of(14L, 13L, 12L, 11L, 10L))), plan.inputs());
    assertEquals(6, plan.outputLevel());
  }

  @Test
  void levelZeroCompacting_noSecondLevelZeroCompaction() {
    Views.Builder b = levelZeroView();
    LevelsView view = b.level(0,
            table(15, 60 * MIB, "a", "c"),
            compacting(table(14, 60 * MIB, "x", "z")),
            table(13, 60 * MIB, "d", "f"),
            table(12, 60 * MIB, "e", "m"),
            table(11, 60 * MIB, "k", "p"))
        .build();
    assertNull(pick(view, 0));
    assertNull(pick(view, 1));
  }

  @Test
  void bottomCompacting_compactorZeroFallsBackToLevelZeroToLevelZero() {
    LevelsView view = levelZeroView()
        .level(6,
            table(601, 2 * MIB, "a", "b"),
            compacting(table(602, 2 * MIB, "c", "g")),
            table(603, MIB, "h", "j"),
            table(604, MIB, "q", "w"))
        .build();
    assertNull(pick(view, 1), "only compactor 0 merges L0 into L0");
    Plan plan = pick(view, 0);
    assertEquals(List.of(new Input(0, List.of(15L, 14L, 13L, 12L, 11L))), plan.inputs());
    assertEquals(0, plan.outputLevel());
    assertEquals(Long.MAX_VALUE, plan.targetTableSize());
    assertEquals("L0->L0", plan.reason());
  }

  @Test
  void levelZeroToLevelZero_takesTheLongestRunOfSmallTables() {
    // 128 MiB is the largest small table; 129 MiB splits the runs.
    LevelsView view = levels(7)
        .level(0,
            table(27, 64 * MIB, "a", "z"),
            table(26, 64 * MIB, "a", "z"),
            table(25, 129 * MIB, "a", "z"),
            table(24, 128 * MIB, "a", "z"),
            table(23, 64 * MIB, "a", "z"),
            table(22, 64 * MIB, "a", "z"),
            table(21, 64 * MIB, "a", "z"))
        .level(6, compacting(table(600, MIB, "a", "z")))
        .build();
    Plan plan = pick(view, 0);
    assertEquals(List.of(new Input(0, List.of(24L, 23L, 22L, 21L))), plan.inputs());
    assertEquals(0, plan.outputLevel());
  }

  @Test
  void levelZeroToLevelZero_needsFourAdjacentSmallTables() {
    LevelsView view = levels(7)
        .level(0,
            table(27, 64 * MIB, "a", "z"),
            table(26, 64 * MIB, "a", "z"),
            table(25, 64 * MIB, "a", "z"),
            table(24, 200 * MIB, "a", "z"),
            table(23, 64 * MIB, "a", "z"),
            table(22, 64 * MIB, "a", "z"),
            table(21, 64 * MIB, "a", "z"))
        .level(6, compacting(table(600, MIB, "a", "z")))
        .build();
    assertNull(pick(view, 0));
  }

  @Test
  void overflowingBase_levelZeroWaits_compactorZeroMergesLevelZero() {
    // L4 at 30 MiB brings L0's adjusted score to 2/3: L0 to base waits for L4 to drain.
    LevelsView view = scoredView(30 * MIB);
    LevelScores scores = LevelScores.compute(BADGER, view, LevelTargets.compute(BADGER, view));
    assertEquals(2.0 / 3, scores.adjusted(0), EPS);
    Plan other = pick(view, 1);
    assertEquals("L4->L5", other.reason());
    Plan zero = pick(view, 0);
    assertEquals("L0->L0", zero.reason());
    assertEquals(10, zero.inputs().get(0).tableIds().size());
  }

  @Test
  void shrunkBottom_levelZeroGoesToTheFirstPopulatedLevel() {
    // Badger #2143: Badger would send L0 to L6, under the data of L2 and L3.
    LevelsView view = levels(7)
        .filled(0, 5, 64 * MIB, "a", 10)
        .filled(2, 3, MIB, "b", 200)
        .filled(3, 4, 2 * MIB, "c", 300)
        .filled(6, 1, MIB, "f", 600)
        .build();
    Plan plan = pick(view, 1);
    assertEquals(2, plan.outputLevel());
    assertEquals("L0->L2", plan.reason());
  }

  // ---------------------------------------------------------------------------------------------
  // Li to Li+1

  /** L5 150 MiB over a 100 MiB target, three tables of different ages; L6 1000 MiB. */
  private static LevelsView deepView(boolean t502, boolean t603) {
    TableView a = version(table(501, 50 * MIB, "b", "d"), 30);
    TableView b = version(table(502, 50 * MIB, "e", "g"), 10);
    TableView c = version(table(503, 50 * MIB, "h", "j"), 20);
    TableView l6c = table(603, 250 * MIB, "g", "i");
    return levels(7)
        .level(5, a, t502 ? compacting(b) : b, c)
        .level(6,
            table(601, 250 * MIB, "a", "c"),
            table(602, 250 * MIB, "d", "f"),
            t603 ? compacting(l6c) : l6c,
            table(604, 250 * MIB, "j", "z"))
        .build();
  }

  @Test
  void levelToNext_takesTheOldestTableFirst() {
    Plan plan = pick(deepView(false, false), 1);
    assertEquals(List.of(new Input(5, List.of(502L)), new Input(6, List.of(602L, 603L))),
        plan.inputs());
    assertEquals(6, plan.outputLevel());
    assertEquals(8 * MIB, plan.targetTableSize(), "L6 tables: 2 MiB at base L4, x2 x2");
    assertEquals("L5->L6", plan.reason());
  }

  @Test
  void levelToNext_skipsTablesWhoseBottomIsCompacting() {
    Plan plan = pick(deepView(false, true), 1);
    // 502 and 503 both overlap the compacting 603: the next oldest free one is 501.
    assertEquals(List.of(new Input(5, List.of(501L)), new Input(6, List.of(601L, 602L))),
        plan.inputs());
  }

  @Test
  void levelToNext_skipsCompactingTables() {
    Plan plan = pick(deepView(true, false), 1);
    assertEquals(List.of(new Input(5, List.of(503L)), new Input(6, List.of(603L, 604L))),
        plan.inputs());
  }

  @Test
  void levelToNext_withoutOverlap_hasOneInput() {
    LevelsView view = levels(7)
        .level(5, table(501, 150 * MIB, "a", "b"))
        .level(6, table(601, 1000 * MIB, "c", "d"))
        .build();
    Plan plan = pick(view, 1);
    assertEquals(List.of(new Input(5, List.of(501L))), plan.inputs());
    assertEquals(6, plan.outputLevel());
  }

  @Test
  void nothingToDo_noPlan() {
    assertNull(pick(levels(7).build(), 0));
    // The last level has nowhere to go, however large.
    assertNull(pick(levels(7).filled(6, 100, 100 * MIB, "a", 1).build(), 0));
    // Under the L0 trigger.
    assertNull(pick(levels(7).filled(0, 4, 64 * MIB, "a", 1).build(), 0));
  }

  @Test
  void everythingCompacting_noPlan() {
    LevelsView view = deepView(true, true);
    List<List<TableView>> all = new ArrayList<>();
    for (List<TableView> level : view.levels()) {
      all.add(level.stream().map(Views::compacting).toList());
    }
    LevelsView busy = new LevelsView(all);
    for (int compactor = 0; compactor < 3; compactor++) {
      assertNull(strategy.pick(busy, compactor));
    }
  }

  @Test
  void badArguments_fail() {
    assertThrows(IllegalArgumentException.class, () -> strategy.pick(levels(6).build(), 0));
    assertThrows(IllegalArgumentException.class, () -> strategy.pick(levels(7).build(), -1));
    assertThrows(IllegalArgumentException.class, () -> new LeveledStrategyProvider()
        .create(new Settings(1, 64 * MIB, 2 * MIB, 10 * MIB, 10, 2, 5)));
    assertThrows(IllegalArgumentException.class, () -> new LeveledStrategyProvider()
        .create(new Settings(7, 64 * MIB, 2 * MIB, 10 * MIB, 10, 2, 0)));
  }

  private Plan pick(LevelsView view, int compactorId) {
    Plan plan = strategy.pick(view, compactorId);
    if (plan != null) {
      PlanRules.check(view, plan, "compactor " + compactorId);
    }
    return plan;
  }
}
