package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.Arrays;
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
 *
 * <p>The {@code withValueLog} variant separates values of 64 bytes and more into a value log that
 * rotates every {@value PowerLossTest#VALUE_LOG_MAX_ENTRIES} records; value sizes vary from 40 to
 * 89 bytes with the commit and the key, so {@code sync()} must make both the tree's and the value
 * log's share of the commits durable.
 */
class SyncDurabilityTest {

  @Test
  void everyCommitAcknowledgedBeforeSync_survivesPowerLoss(TestInfo info) throws Exception {
    long base = TestSeeds.seed(info);
    int seeds = Integer.getInteger("sett.powerloss.seeds", 50);
    for (int i = 0; i < seeds; i++) {
      cycle(base + i, false);
    }
  }

  @Test
  void everyCommitAcknowledgedBeforeSync_withValueLog_survivesPowerLoss(TestInfo info)
      throws Exception {
    long base = TestSeeds.seed(info);
    int seeds = Integer.getInteger("sett.powerloss.seeds", 50);
    for (int i = 0; i < seeds; i++) {
      cycle(base + i, true);
    }
  }

  private static Options options(FaultyStorage storage, boolean separate) {
    Options.Builder b = LsmModelTest.smallTree(Path.of("unused")).storage(storage)
        .syncWrites(false);
    if (separate) {
      LsmModelTest.separateValues(b, 64).valueLogMaxEntries(PowerLossTest.VALUE_LOG_MAX_ENTRIES);
    }
    return b.build();
  }

  /**
   * The value of key {@code j} of commit {@code id}: zeros of the cycle's size, or with {@code
   * separate} 40 to 89 bytes (both sides of the threshold) filled with a byte of the commit.
   */
  private static byte[] value(int id, int j, int valueSize, boolean separate) {
    if (!separate) {
      return new byte[valueSize];
    }
    byte[] v = new byte[40 + (id * 7 + j * 17) % 50];
    Arrays.fill(v, (byte) (id * 31 + j));
    return v;
  }

  private static void cycle(long seed, boolean separate) throws Exception {
    String where = "seed " + TestSeeds.format(seed) + (separate ? " valueThreshold=64" : "");
    Random r = new Random(seed);
    FaultyStorage storage = new FaultyStorage(new MemoryStorage(), seed);
    int synced = 1 + r.nextInt(600);
    int after = r.nextInt(50);
    int valueSize = 10 + r.nextInt(200);
    Db db = Db.open(options(storage, separate));
    for (int i = 0; i < synced + after; i++) {
      int id = i;
      db.update(txn -> {
        txn.set(b("k" + id), value(id, 0, valueSize, separate));
        txn.set(b("k" + id + "/second"), value(id, 1, valueSize, separate));
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
    try (Db again = Db.open(options(storage, separate))) {
      for (int i = 0; i < synced; i++) {
        int id = i;
        for (int j = 0; j < 2; j++) {
          String k = "k" + id + (j == 0 ? "" : "/second");
          byte[] want = value(id, j, valueSize, separate);
          byte[] got = again.view(txn -> {
            Item item = txn.get(b(k));
            assertNotNull(item, where + ": commit " + id + " of " + synced + " was acknowledged"
                + " before sync() but " + k + " is lost");
            assertEquals(want.length, item.valueSize(), where + ": " + k);
            return item.value();
          });
          assertArrayEquals(want, got, where + ": " + k);
        }
      }
    }
  }
}
