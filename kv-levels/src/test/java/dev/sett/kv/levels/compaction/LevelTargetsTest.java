package dev.sett.kv.levels.compaction;

import static dev.sett.kv.levels.compaction.Views.MIB;
import static dev.sett.kv.levels.compaction.Views.badgerDefaults;
import static dev.sett.kv.levels.compaction.Views.levels;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.Settings;
import org.junit.jupiter.api.Test;

/** Level targets, table sizes and the base level of the leveled strategy on hand-built views. */
class LevelTargetsTest {
  private static final Settings BADGER = badgerDefaults();

  @Test
  void emptyDatabase_baseIsTheLastLevel() {
    LevelTargets t = LevelTargets.compute(BADGER, levels(7).build());
    assertEquals(6, t.baseLevel());
    for (int i = 1; i < 7; i++) {
      assertEquals(10 * MIB, t.targetBytes(i), "target of L" + i);
      assertEquals(2 * MIB, t.tableSize(i), "table size of L" + i);
    }
    assertEquals(64 * MIB, t.tableSize(0));
  }

  @Test
  void smallBottom_baseStaysAtTheBottom() {
    LevelTargets t = LevelTargets.compute(BADGER, levels(7).filled(6, 4, MIB, "k", 1).build());
    assertEquals(6, t.baseLevel());
    assertEquals(10 * MIB, t.targetBytes(6));
  }

  @Test
  void gigabyteBottom_withPopulatedLevels_baseIsL4() {
    // 1000 MiB at the bottom: L5 aims at 100 MiB and L4 at 10 MiB, the base level size.
    LevelsView view = levels(7)
        .filled(6, 10, 100 * MIB, "a", 100)
        .filled(5, 9, 10 * MIB, "b", 200)
        .filled(4, 2, 2 * MIB, "c", 300)
        .build();
    LevelTargets t = LevelTargets.compute(BADGER, view);
    assertEquals(4, t.baseLevel());
    assertEquals(1000 * MIB, t.targetBytes(6));
    assertEquals(100 * MIB, t.targetBytes(5));
    assertEquals(10 * MIB, t.targetBytes(4));
    assertEquals(10 * MIB, t.targetBytes(1), "targets never go below the base level size");
    assertEquals(2 * MIB, t.tableSize(4));
    assertEquals(4 * MIB, t.tableSize(5));
    assertEquals(8 * MIB, t.tableSize(6));
  }

  @Test
  void gigabyteBottom_emptyLevelsAbove_baseComesDownThroughThem() {
    // Size says L4, but L4 and L5 are empty: L0 goes to L5 and skips a needless hop.
    LevelsView view = levels(7).filled(6, 10, 100 * MIB, "a", 100).build();
    LevelTargets t = LevelTargets.compute(BADGER, view);
    assertEquals(5, t.baseLevel());
    // Table sizes still follow the size-derived base (L4), as Badger's do.
    assertEquals(4 * MIB, t.tableSize(5));
    assertEquals(8 * MIB, t.tableSize(6));
  }

  @Test
  void emptyBase_nextLevelUnderTarget_baseMovesToIt() {
    LevelsView under = levels(7)
        .filled(6, 10, 100 * MIB, "a", 100)
        .filled(5, 5, 10 * MIB, "b", 200)
        .build();
    assertEquals(5, LevelTargets.compute(BADGER, under).baseLevel());
    LevelsView full = levels(7)
        .filled(6, 10, 100 * MIB, "a", 100)
        .filled(5, 15, 10 * MIB, "b", 200)
        .build();
    assertEquals(4, LevelTargets.compute(BADGER, full).baseLevel());
  }

  @Test
  void shrunkBottom_populatedIntermediateLevels_clampTheBase() {
    // Badger #2143: deletes shrank the bottom to 1 MiB while L2 and L3 still hold data. Badger
    // picks L6 and compacts L0 under them; the base must be L2.
    LevelsView view = levels(7)
        .filled(2, 3, MIB, "b", 200)
        .filled(3, 4, 2 * MIB, "c", 300)
        .filled(6, 1, MIB, "f", 600)
        .build();
    assertEquals(2, LevelTargets.compute(BADGER, view).baseLevel());
  }

  @Test
  void hugeTree_baseIsNeverL0() {
    // 2 TiB at the bottom: even L1's target is over 10 MiB (Badger #2296).
    LevelsView view = levels(7)
        .filled(1, 2, 20 * MIB, "a", 100)
        .filled(2, 20, 20 * MIB, "b", 200)
        .filled(6, 2048, 1024 * MIB, "f", 600)
        .build();
    LevelTargets t = LevelTargets.compute(BADGER, view);
    assertEquals(1, t.baseLevel());
    // No level qualified by size, so every level's tables grow (as Badger's).
    assertEquals(4 * MIB, t.tableSize(1));
  }

  @Test
  void twoLevels_baseIsL1() {
    Settings two = new Settings(2, 64 * MIB, 2 * MIB, 10 * MIB, 10, 2, 5);
    assertEquals(1, LevelTargets.compute(two, levels(2).build()).baseLevel());
    assertEquals(1, LevelTargets.compute(two, levels(2).filled(1, 50, 10 * MIB, "a", 1).build())
        .baseLevel());
  }
}
