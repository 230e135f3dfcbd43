package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.sett.kv.Db;
import dev.sett.kv.Item;
import dev.sett.kv.KvException;
import dev.sett.kv.Options;
import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.testkit.FaultyStorage;
import dev.sett.kv.testkit.TestSeeds;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@code db.sync()} makes every commit acknowledged before it durable: commits without
 * {@code syncWrites}, a {@code sync()}, more commits that are never synced, then a simulated power
 * loss ({@link FaultyStorage#crash}); after reopening, every commit acknowledged before
 * {@code sync()} returned is there. Tiny memtables put rotations and flushes among the commits.
 * Seeds: {@code -Dsett.powerloss.seeds} (50 by default).
 *
 * <p>Catches fault 9 of issue 12: a {@code sync()} that did nothing passed every earlier test.
 */
class SyncDurabilityTest {

  @Test
  void everyCommitAcknowledgedBeforeSync_survivesPowerLoss(TestInfo info) throws Exception {
    long base = TestSeeds.seed(info);
    int seeds = Integer.getInteger("sett.powerloss.seeds", 50);
    for (int i = 0; i < seeds; i++) {
      cycle(base + i);
    }
  }

  private static Options options(FaultyStorage storage) {
    return LsmModelTest.smallTree(Path.of("unused")).storage(storage).syncWrites(false).build();
  }

  private static void cycle(long seed) throws Exception {
    String where = "seed " + TestSeeds.format(seed);
    Random r = new Random(seed);
    FaultyStorage storage = new FaultyStorage(new MemoryStorage(), seed);
    int synced = 1 + r.nextInt(600);
    int after = r.nextInt(50);
    int valueSize = 10 + r.nextInt(200);
    Db db = Db.open(options(storage));
    for (int i = 0; i < synced + after; i++) {
      int id = i;
      db.update(txn -> {
        txn.set(b("k" + id), new byte[valueSize]);
        txn.set(b("k" + id + "/second"), new byte[valueSize]);
      });
      if (i == synced - 1) {
        db.sync();
      }
    }
    storage.crash(seed);
    try {
      db.close(); // stops the background threads; what it writes goes to dead handles
    } catch (KvException ignored) {
      // closing a crashed database may fail; what matters is the reopen
    }
    try (Db again = Db.open(options(storage))) {
      for (int i = 0; i < synced; i++) {
        int id = i;
        Item item = again.view(txn -> txn.get(b("k" + id)));
        assertNotNull(item, where + ": commit " + id + " of " + synced + " was acknowledged"
            + " before sync() but is lost");
        assertEquals(valueSize, item.valueSize(), where);
      }
    }
  }
}
