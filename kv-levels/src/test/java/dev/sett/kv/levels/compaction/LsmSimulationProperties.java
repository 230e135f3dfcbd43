package dev.sett.kv.levels.compaction;

import dev.sett.kv.spi.CompactionStrategy.Settings;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Both strategies drive a toy LSM tree ({@link LsmSimulation}) through random flushes and
 * overlapping compactions: every plan keeps the rules, and no key ever has a newer version
 * below an older one. jqwik prints the seed of a failing run.
 */
class LsmSimulationProperties {

  @Property(tries = 100)
  void leveled_keepsNewerDataAbove(@ForAll Random random) {
    run(new LeveledStrategyProvider(), random);
  }

  @Property(tries = 100)
  void tiered_keepsNewerDataAbove(@ForAll Random random) {
    run(new TieredStrategyProvider(), random);
  }

  private static void run(dev.sett.kv.spi.CompactionStrategyProvider provider, Random random) {
    Settings s = LsmSimulation.randomSettings(random);
    int keySpace = new int[] {50, 500, 5000}[random.nextInt(3)];
    LsmSimulation sim = new LsmSimulation(s, provider.create(s), random, keySpace);
    sim.run(150, 1 + random.nextInt(3));
    Statistics.collect(sim.plansApplied() / 10 * 10);
  }
}
