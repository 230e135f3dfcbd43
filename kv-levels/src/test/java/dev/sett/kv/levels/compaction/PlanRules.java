package dev.sett.kv.levels.compaction;

import dev.sett.kv.spi.CompactionStrategy.Input;
import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.Plan;
import dev.sett.kv.spi.CompactionStrategy.TableView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a plan against the rules of {@link dev.sett.kv.spi.CompactionStrategy}, plus the shape
 * rules every plan needs to be executable at all. The plan's key range is the hull of all its
 * input tables.
 *
 * <p>Two readings of the SPI's rules that its Javadoc leaves open: "every table of the output
 * level that overlaps the range is an input" is checked for outputs at or below L1 only; for an
 * L0 output (L0 tables overlap by design) the L0 inputs must instead be adjacent in L0's order,
 * so that the output can take their place. "No level strictly between the shallowest input level
 * and the output level holds a table overlapping the range" counts only tables that are not
 * inputs: a size-tiered plan merges intermediate levels whole.
 */
final class PlanRules {
  private PlanRules() {}

  /**
   * Fails when a plan breaks a rule.
   *
   * @param view the view the plan was made from
   * @param plan the plan
   * @param where what to name in the failure
   * @throws AssertionError listing every broken rule, the plan and the view
   */
  static void check(LevelsView view, Plan plan, String where) {
    List<String> broken = violations(view, plan);
    if (!broken.isEmpty()) {
      throw new AssertionError(where + ": plan breaks " + broken + "\nplan: " + plan
          + "\nview:\n" + describe(view));
    }
  }

  /**
   * The rules a plan breaks.
   *
   * @param view the view the plan was made from
   * @param plan the plan
   * @return one line per broken rule; empty when the plan is fine
   */
  static List<String> violations(LevelsView view, Plan plan) {
    List<String> broken = new ArrayList<>();
    int levels = view.levels().size();
    if (plan.inputs().isEmpty()) {
      broken.add("no inputs");
      return broken;
    }
    if (plan.targetTableSize() <= 0) {
      broken.add("targetTableSize " + plan.targetTableSize() + " is not positive");
    }
    if (plan.reason().isBlank()) {
      broken.add("blank reason");
    }
    if (!Double.isFinite(plan.score()) || plan.score() < 0) {
      broken.add("score " + plan.score());
    }

    // Shape: levels ascending, each table once and present in its level.
    Map<Long, TableView> inputTables = new HashMap<>();
    Map<Integer, Set<Long>> idsByLevel = new HashMap<>();
    int previousLevel = -1;
    for (Input in : plan.inputs()) {
      if (in.level() <= previousLevel || in.level() >= levels) {
        broken.add("input level " + in.level() + " out of order or range");
        return broken;
      }
      previousLevel = in.level();
      if (in.tableIds().isEmpty()) {
        broken.add("empty input for L" + in.level());
      }
      Map<Long, TableView> present = new HashMap<>();
      for (TableView t : view.levels().get(in.level())) {
        present.put(t.id(), t);
      }
      Set<Long> ids = new HashSet<>();
      for (long id : in.tableIds()) {
        TableView t = present.get(id);
        if (t == null || !ids.add(id)) {
          broken.add("table " + id + " is not in L" + in.level() + " or listed twice");
          return broken;
        }
        inputTables.put(id, t);
      }
      idsByLevel.put(in.level(), ids);
    }
    if (inputTables.isEmpty()) {
      return broken;
    }
    int shallowest = plan.inputs().get(0).level();
    int deepest = previousLevel;
    int output = plan.outputLevel();
    if (output < deepest || output >= levels) {
      broken.add("output L" + output + " is above the deepest input L" + deepest
          + " or out of range");
      return broken;
    }

    // Rule 1: nothing already being compacted.
    for (TableView t : inputTables.values()) {
      if (t.compacting()) {
        broken.add("input table " + t.id() + " is being compacted");
      }
    }

    KeyRange range = KeyRange.covering(inputTables.values());
    // Rule 2: the output level keeps its shape.
    if (output > 0) {
      for (TableView t : view.levels().get(output)) {
        if (range.overlaps(t) && !inputTables.containsKey(t.id())) {
          broken.add("L" + output + " table " + t.id() + " overlaps the range but is no input");
        }
      }
    } else if (!adjacent(view.levels().get(0), idsByLevel.get(0))) {
      broken.add("L0 inputs of an L0 output are not adjacent in L0");
    }

    // Rule 3: no data left between the inputs and the output (#2143).
    for (int level = shallowest + 1; level < output; level++) {
      for (TableView t : view.levels().get(level)) {
        if (range.overlaps(t) && !inputTables.containsKey(t.id())) {
          broken.add("L" + level + " table " + t.id() + " lies between the inputs and the output"
              + " L" + output + " in the range");
        }
      }
    }

    // Rule 4: L0 leaves from its oldest end.
    Set<Long> fromL0 = idsByLevel.get(0);
    if (fromL0 != null && output > 0) {
      List<TableView> l0 = view.levels().get(0);
      for (int i = l0.size() - fromL0.size(); i < l0.size(); i++) {
        if (!fromL0.contains(l0.get(i).id())) {
          broken.add("L0 inputs are not the oldest " + fromL0.size() + " L0 tables");
          break;
        }
      }
    }
    return broken;
  }

  private static boolean adjacent(List<TableView> l0, Set<Long> ids) {
    int first = -1;
    int last = -1;
    for (int i = 0; i < l0.size(); i++) {
      if (ids.contains(l0.get(i).id())) {
        first = first < 0 ? i : first;
        last = i;
      }
    }
    return last - first + 1 == ids.size();
  }

  /**
   * A view as text, one line per level, for failure messages.
   *
   * @param view the view
   * @return the text
   */
  static String describe(LevelsView view) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < view.levels().size(); i++) {
      sb.append("  L").append(i).append(':');
      for (TableView t : view.levels().get(i)) {
        sb.append(' ').append(t.id()).append('[').append(key(t.smallestKey())).append("..")
            .append(key(t.largestKey())).append(" ").append(t.sizeBytes()).append("B v")
            .append(t.maxVersion()).append(t.compacting() ? " C" : "").append(']');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String key(byte[] key) {
    for (byte b : key) {
      if (b < 0x20 || b > 0x7e) {
        return HexFormat.of().formatHex(key);
      }
    }
    return new String(key, StandardCharsets.US_ASCII);
  }
}
