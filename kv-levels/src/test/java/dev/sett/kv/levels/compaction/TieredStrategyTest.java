package dev.sett.kv.levels.compaction;

import static dev.sett.kv.levels.compaction.Views.MIB;
import static dev.sett.kv.levels.compaction.Views.compacting;
import static dev.sett.kv.levels.compaction.Views.levels;
import static dev.sett.kv.levels.compaction.Views.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

/** Run selection and output levels of the tiered strategy; compaction is due at 4 runs. */
class TieredStrategyTest {
  private static final Settings SETTINGS = new Settings(7, 64 * MIB, 2 * MIB, 10 * MIB, 10, 2, 4);

  private final CompactionStrategy strategy = new TieredStrategyProvider().create(SETTINGS);

  /** L0 tables of the given sizes, newest first, ids from 10 up, all over "a".."z". */
  private static TableView[] levelZero(long... sizes) {
    TableView[] out = new TableView[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      out[i] = table(10 + i, sizes[i], "a", "z");
    }
    return out;
  }

  private static List<Long> ids(long... ids) {
    List<Long> out = new ArrayList<>();
    for (long id : ids) {
      out.add(id);
    }
    return out;
  }

  @Test
  void underTheTrigger_noPlan() {
    assertNull(pick(levels(7).level(0, levelZero(MIB, MIB, MIB)).build()));
    assertNull(pick(levels(7)
        .level(0, levelZero(MIB, MIB))
        .filled(6, 3, 100 * MIB, "a", 600)
        .build()));
  }

  @Test
  void sizeAmplification_mergesEverythingIntoTheLastLevel() {
    Plan plan = pick(levels(7).level(0, levelZero(10 * MIB, 10 * MIB, 10 * MIB, 10 * MIB))
        .build());
    assertEquals(List.of(new Input(0, ids(10, 11, 12, 13))), plan.inputs());
    assertEquals(6, plan.outputLevel());
    assertEquals(64 * MIB, plan.targetTableSize(), "2 MiB x 2^5");
    assertEquals("L0->L6 size-amp 4 runs", plan.reason());
  }

  @Test
  void sizeAmplification_takesLevelsWhole() {
    LevelsView view = levels(7)
        .level(0, levelZero(10 * MIB, 10 * MIB, 10 * MIB))
        .filled(3, 5, MIB, "c", 300)
        .filled(6, 5, 2 * MIB, "f", 600)
        .build();
    Plan plan = pick(view);
    assertEquals(List.of(new Input(0, ids(10, 11, 12)), new Input(3, ids(300, 301, 302, 303, 304)),
        new Input(6, ids(600, 601, 602, 603, 604))), plan.inputs());
    assertEquals(6, plan.outputLevel());
  }

  @Test
  void sizeRatio_similarLevelZeroTables_goAboveTheData() {
    LevelsView view = levels(7)
        .level(0, levelZero(10 * MIB, 10 * MIB, 10 * MIB, 10 * MIB))
        .filled(6, 10, 10 * MIB, "f", 600)
        .build();
    Plan plan = pick(view);
    assertEquals(List.of(new Input(0, ids(10, 11, 12, 13))), plan.inputs());
    assertEquals(5, plan.outputLevel());
    assertEquals(32 * MIB, plan.targetTableSize());
    assertEquals("L0->L5 size-ratio 4 runs", plan.reason());
  }

  @Test
  void sizeRatio_levelOneHoldsData_outputStaysInLevelZero() {
    LevelsView view = levels(7)
        .level(0, levelZero(10 * MIB, 10 * MIB, 10 * MIB, 10 * MIB))
        .filled(1, 10, 10 * MIB, "b", 100)
        .filled(6, 100, 10 * MIB, "f", 600)
        .build();
    Plan plan = pick(view);
    assertEquals(List.of(new Input(0, ids(10, 11, 12, 13))), plan.inputs());
    assertEquals(0, plan.outputLevel());
    assertEquals(Long.MAX_VALUE, plan.targetTableSize());
  }

  @Test
  void sizeRatio_mergesALevelWithTheTablesAboveIt() {
    // 1 + 1 = 2 MiB takes L2's 2 MiB; 4 MiB does not take L4's 4.1 MiB (more than 1% over).
    LevelsView view = levels(7)
        .level(0, levelZero(MIB, MIB))
        .level(2, table(200, MIB, "a", "f"), table(201, MIB, "g", "z"))
        .level(4, table(400, 4 * MIB + 100 * 1024, "a", "z"))
        .filled(6, 10, 10 * MIB, "f", 600)
        .build();
    Plan plan = pick(view);
    assertEquals(List.of(new Input(0, ids(10, 11)), new Input(2, ids(200, 201))), plan.inputs());
    assertEquals(2, plan.outputLevel());
    assertEquals(4 * MIB, plan.targetTableSize());
    assertEquals("L0->L2 size-ratio 3 runs", plan.reason());
  }

  @Test
  void sizeRatio_startsAtALaterRunWhenTheNewestFindsNoPartner() {
    LevelsView view = levels(7)
        .level(0, levelZero(MIB, 10 * MIB, 10 * MIB))
        .filled(6, 100, 10 * MIB, "f", 600)
        .build();
    Plan plan = pick(view);
    assertEquals(List.of(new Input(0, ids(11, 12))), plan.inputs());
    assertEquals(5, plan.outputLevel());
  }

  @Test
  void runCount_mergesTheNewestRunsToGetUnderTheTrigger() {
    // Each run is more than 1% larger than all newer ones together: no size-ratio merge.
    LevelsView view = levels(7)
        .level(0, levelZero(MIB, 3 * MIB, 9 * MIB, 27 * MIB))
        .filled(6, 100, 10 * MIB, "f", 600)
        .build();
    Plan plan = pick(view);
    assertEquals(List.of(new Input(0, ids(10, 11, 12))), plan.inputs(), "5 runs - 4 + 2");
    assertEquals(0, plan.outputLevel(), "the oldest L0 table stays below");
    assertEquals("L0->L0 run-count 3 runs", plan.reason());
  }

  @Test
  void runCount_skipsACompactingNewestRun() {
    TableView[] l0 = levelZero(MIB, 3 * MIB, 9 * MIB, 27 * MIB);
    l0[0] = compacting(l0[0]);
    LevelsView view = levels(7).level(0, l0).filled(6, 100, 10 * MIB, "f", 600).build();
    Plan plan = pick(view);
    assertEquals(List.of(new Input(0, ids(11, 12, 13))), plan.inputs());
    assertEquals(5, plan.outputLevel(), "with the oldest L0 table, above the data");
  }

  @Test
  void compactingRun_isNeverMergedOrSkippedOver() {
    // Size amplification would merge everything, but an L6 table is busy.
    LevelsView view = levels(7)
        .level(0, levelZero(10 * MIB, 10 * MIB, 10 * MIB, 10 * MIB))
        .level(6, compacting(table(600, 5 * MIB, "a", "m")), table(601, 5 * MIB, "n", "z"))
        .build();
    Plan plan = pick(view);
    assertEquals(List.of(new Input(0, ids(10, 11, 12, 13))), plan.inputs());
    assertEquals(5, plan.outputLevel());
    // All L0 tables busy but one in the middle: the groups around it are too small.
    TableView[] l0 = levelZero(MIB, MIB, MIB, MIB);
    l0[0] = compacting(l0[0]);
    l0[2] = compacting(l0[2]);
    assertNull(pick(levels(7).level(0, l0).build()));
  }

  @Test
  void deepOutput_tableSizeIsCapped() {
    Settings deep = new Settings(16, 64 * MIB, 2 * MIB, 10 * MIB, 10, 10, 4);
    CompactionStrategy s = new TieredStrategyProvider().create(deep);
    LevelsView view = levels(16).level(0, levelZero(MIB, MIB, MIB, MIB)).build();
    Plan plan = s.pick(view, 0);
    PlanRules.check(view, plan, "deep");
    assertEquals(15, plan.outputLevel());
    assertEquals(1L << 30, plan.targetTableSize());
  }

  @Test
  void targets_reportSizesRunsAndAmplification() {
    LevelsView view = levels(7)
        .level(0, levelZero(10 * MIB, 10 * MIB, 10 * MIB, 10 * MIB))
        .filled(3, 5, MIB, "c", 300)
        .filled(6, 5, 2 * MIB, "f", 600)
        .build();
    List<LevelTarget> t = strategy.targets(view);
    assertEquals(7, t.size());
    assertEquals(new LevelTarget(40 * MIB, 6 / 4.0), t.get(0));
    assertEquals(new LevelTarget(0, 0), t.get(1));
    assertEquals(new LevelTarget(5 * MIB, 0), t.get(3));
    assertEquals(new LevelTarget(10 * MIB, 45 / 20.0), t.get(6));
  }

  private Plan pick(LevelsView view) {
    Plan plan = null;
    for (int compactor = 0; compactor < 2; compactor++) {
      Plan p = strategy.pick(view, compactor);
      if (p != null) {
        PlanRules.check(view, p, "compactor " + compactor);
      }
      if (compactor > 0) {
        assertEquals(plan, p, "every compactor gets the same plan");
      }
      plan = p;
    }
    return plan;
  }
}
