package dev.sett.kv.levels.compaction;

import static dev.sett.kv.levels.compaction.Views.MIB;
import static dev.sett.kv.levels.compaction.Views.compacting;
import static dev.sett.kv.levels.compaction.Views.levels;
import static dev.sett.kv.levels.compaction.Views.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.spi.CompactionStrategy.Input;
import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.Plan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker itself: it accepts good plans and names each broken rule of a bad one. */
class PlanRulesTest {

  /** L0 newest first 12, 11, 10 over "a".."m"; L3 one table "k".."p"; L6 three tables. */
  private static final LevelsView VIEW = levels(7)
      .level(0, table(12, MIB, "a", "m"), table(11, MIB, "a", "m"), compacting(
          table(10, MIB, "a", "c")))
      .level(3, table(300, MIB, "k", "p"))
      .level(6, table(600, MIB, "a", "d"), table(601, MIB, "e", "h"), table(602, MIB, "i", "z"))
      .build();

  private static Plan plan(int output, Input... inputs) {
    return new Plan(List.of(inputs), output, MIB, 1.0, "test");
  }

  private static void assertBreaks(Plan plan, String fragment) {
    List<String> broken = PlanRules.violations(VIEW, plan);
    assertTrue(broken.stream().anyMatch(s -> s.contains(fragment)),
        "expected a violation containing '" + fragment + "', got " + broken);
  }

  @Test
  void goodPlans_pass() {
    assertEquals(List.of(), PlanRules.violations(VIEW,
        plan(6, new Input(3, List.of(300L)), new Input(6, List.of(601L, 602L)))));
    assertEquals(List.of(), PlanRules.violations(VIEW, plan(0, new Input(0, List.of(12L, 11L)))));
  }

  @Test
  void compactingInput_breaksRuleOne() {
    assertBreaks(plan(0, new Input(0, List.of(11L, 10L))), "is being compacted");
  }

  @Test
  void overlappingOutputTableLeftOut_breaksRuleTwo() {
    // 300 and 601 span "e".."p", which 602 overlaps too.
    assertBreaks(plan(6, new Input(3, List.of(300L)), new Input(6, List.of(601L))),
        "L6 table 602 overlaps");
  }

  @Test
  void levelZeroOutputFromNonAdjacentTables_breaksRuleTwo() {
    LevelsView view = levels(3)
        .level(0, table(3, MIB, "a", "b"), table(2, MIB, "x", "y"), table(1, MIB, "a", "b"))
        .build();
    List<String> broken = PlanRules.violations(view, plan(0, new Input(0, List.of(3L, 1L))));
    assertTrue(broken.stream().anyMatch(s -> s.contains("not adjacent")), broken.toString());
  }

  @Test
  void dataBetweenInputsAndOutput_breaksRuleThree() {
    // Badger #2143: L0 into L6 under L3's data.
    assertBreaks(plan(6, new Input(0, List.of(12L, 11L)), new Input(6, List.of(600L, 601L, 602L))),
        "L3 table 300 lies between");
  }

  @Test
  void newerLevelZeroTablesGoingDown_breakRuleFour() {
    LevelsView view = levels(3)
        .level(0, table(3, MIB, "a", "b"), table(2, MIB, "a", "b"), table(1, MIB, "a", "b"))
        .build();
    List<String> broken = PlanRules.violations(view, plan(2, new Input(0, List.of(3L, 2L))));
    assertTrue(broken.stream().anyMatch(s -> s.contains("not the oldest")), broken.toString());
  }

  @Test
  void malformedPlans_fail() {
    assertBreaks(plan(6), "no inputs");
    assertBreaks(plan(6, new Input(6, List.of(999L))), "not in L6");
    assertBreaks(plan(3, new Input(6, List.of(600L))), "above the deepest input");
    assertBreaks(plan(6, new Input(6, List.of(600L)), new Input(3, List.of(300L))),
        "out of order");
    assertBreaks(plan(3, new Input(3, List.of())), "empty input");
  }
}
