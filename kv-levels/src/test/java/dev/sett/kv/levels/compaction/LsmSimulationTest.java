package dev.sett.kv.levels.compaction;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.spi.CompactionStrategy.Settings;
import dev.sett.kv.spi.CompactionStrategyProvider;
import dev.sett.kv.testkit.TestSeeds;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Long runs of {@link LsmSimulation}: Badger's default shape scaled down (7 levels, level
 * multiplier 10), three compactors, thousands of steps. The seed is printed; replay with {@code
 * -Dtests.seed=0x...}.
 */
class LsmSimulationTest {
  private static final Settings SCALED_BADGER =
      new Settings(7, 64L << 10, 16L << 10, 128L << 10, 10, 2, 5);

  @Test
  void leveled_longRun(TestInfo info) {
    run(new LeveledStrategyProvider(), TestSeeds.seed(info));
  }

  @Test
  void tiered_longRun(TestInfo info) {
    run(new TieredStrategyProvider(), TestSeeds.seed(info));
  }

  private static void run(CompactionStrategyProvider provider, long seed) {
    Random random = new Random(seed);
    LsmSimulation sim =
        new LsmSimulation(SCALED_BADGER, provider.create(SCALED_BADGER), random, 20_000);
    sim.run(4000, 3);
    assertTrue(sim.plansApplied() > 100,
        "only " + sim.plansApplied() + " plans, seed " + TestSeeds.format(seed));
  }
}
