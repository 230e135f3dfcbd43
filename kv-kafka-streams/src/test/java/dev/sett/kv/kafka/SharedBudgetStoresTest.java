package dev.sett.kv.kafka;

import static dev.sett.kv.kafka.StoreCrashChild.CHANGELOG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.MemoryBudget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 300 stores, as an application instance with many partitions opens, share one memory budget:
 * their memtables stay within the pool plus one small memtable each, their caches within the
 * rest, while all of them are written to.
 */
class SharedBudgetStoresTest {
  private static final int STORES = 300;
  /** Its own size, so that no other test's stores share this budget. */
  private static final long BUDGET = (64L << 20) + 4096;

  @TempDir Path dir;

  @Test
  void threeHundredStores_stayWithinOneSharedBudget_whileAllAreWritten() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    MemoryBudget budget = SettStoreConfig.sharedBudget(BUDGET);
    long memtableBound = budget.memTablePoolBytes() + STORES * MemoryBudget.ALLOWANCE_BYTES;
    long cacheBound = budget.bytes() - budget.memTablePoolBytes();
    List<SettKeyValueStore> stores = new ArrayList<>();
    try {
      for (int i = 0; i < STORES; i++) {
        TestContext ctx = TestContext.atLeastOnce(dir.resolve("task-" + i))
            .with(SettStoreConfig.MEMORY_BUDGET_CONFIG, BUDGET);
        SettKeyValueStore s = new SettKeyValueStore("store", "sett");
        s.init(ctx, s);
        stores.add(s);
      }
      assertEquals(STORES, budget.databases());
      long idle = budget.memTableBytes();
      assertTrue(idle <= STORES * MemoryBudget.ALLOWANCE_BYTES,
          "300 idle stores hold " + idle + " bytes of memtables");
      long peak = 0;
      byte[] value = new byte[200];
      for (int round = 0; round < 40; round++) {
        for (int i = 0; i < STORES; i++) {
          SettKeyValueStore s = stores.get(i);
          for (int k = 0; k < 50; k++) {
            random.nextBytes(value);
            s.put(key(round * 50 + k), value.clone());
          }
          peak = Math.max(peak, budget.memTableBytes());
          assertTrue(budget.memTableBytes() <= memtableBound, "seed " + seed + ": memtables hold "
              + budget.memTableBytes() + " > " + memtableBound);
          assertTrue(budget.cacheBytes() <= cacheBound, "seed " + seed + ": caches hold "
              + budget.cacheBytes() + " > " + cacheBound);
        }
        if (round % 10 == 9) {
          for (SettKeyValueStore s : stores) {
            s.commit(Map.of(CHANGELOG, (long) round));
          }
        }
      }
      System.out.printf("seed %d: memtable peak %d bytes of a bound of %d%n", seed, peak,
          memtableBound);
      // Every store holds its 2,000 keys; reads go through the shared caches.
      Random check = new Random(seed);
      for (int round = 0; round < 40; round++) {
        for (int i = 0; i < STORES; i++) {
          for (int k = 0; k < 50; k++) {
            check.nextBytes(value);
            if (i % 37 == 0) {
              assertArrayEquals(value, stores.get(i).get(key(round * 50 + k)), "seed " + seed);
            }
          }
        }
      }
      assertEquals(2000, stores.get(299).approximateNumEntries());
    } finally {
      for (SettKeyValueStore s : stores) {
        s.close();
      }
    }
    assertEquals(0, budget.databases());
    assertEquals(0, budget.memTableBytes());
  }

  private static Bytes key(int i) {
    return Bytes.wrap(String.format("key-%06d", i).getBytes());
  }
}
