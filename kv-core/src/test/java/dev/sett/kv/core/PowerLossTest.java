package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static dev.sett.kv.core.Bytes.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.Item;
import dev.sett.kv.KvException;
import dev.sett.kv.Options;
import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.testkit.FaultyStorage;
import dev.sett.kv.testkit.TestSeeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Power loss with {@link FaultyStorage#crash(long)}: unsynced bytes are dropped, cut, zeroed or
 * bit-flipped, unsynced creations and renames forgotten. With {@code syncWrites} no acknowledged
 * transaction is lost; without it the survivors are a prefix of the commits. The database always
 * opens and no transaction is half present. Seeds: {@code -Dsett.powerloss.seeds} (50 by
 * default).
 *
 * <p>The {@code withValueLog} variants separate values of 64 bytes and more into a value log that
 * rotates every {@value #VALUE_LOG_MAX_ENTRIES} records; each transaction's values straddle the
 * threshold, so most transactions are part in the tree, part in the value log, and the power goes
 * during value log appends, syncs and rotations.
 */
class PowerLossTest {

  @Test
  void syncWrites_nothingAcknowledgedIsLost(TestInfo info) throws Exception {
    run(info, true, 2, false);
  }

  @Test
  void withoutSyncWrites_aPrefixOfTheCommitsSurvives(TestInfo info) throws Exception {
    run(info, false, 1, false);
  }

  @Test
  void syncWrites_withValueLog_nothingAcknowledgedIsLost(TestInfo info) throws Exception {
    run(info, true, 2, true);
  }

  @Test
  void withoutSyncWrites_withValueLog_aPrefixOfTheCommitsSurvives(TestInfo info)
      throws Exception {
    run(info, false, 1, true);
  }

  private void run(TestInfo info, boolean sync, int writers, boolean separate) throws Exception {
    long base = TestSeeds.seed(info);
    int seeds = Integer.getInteger("sett.powerloss.seeds", 50);
    int withTables = 0;
    int withRotations = 0;
    for (int i = 0; i < seeds; i++) {
      Crash c = cycle(base + i, sync, writers, separate);
      withTables += c.hadTables() ? 1 : 0;
      withRotations += c.valueLogFiles() >= 2 ? 1 : 0;
    }
    System.out.println("PowerLossTest sync=" + sync + " separate=" + separate + ": " + withTables
        + " crashes among tables, " + withRotations + " after value log rotations, of " + seeds);
    assertTrue(withTables >= seeds / 4, "crashes among tables: " + withTables + " of " + seeds);
    if (separate) {
      assertTrue(withRotations >= seeds / 4,
          "crashes after value log rotations: " + withRotations + " of " + seeds);
    }
  }

  /** What the database held when the power went. */
  private record Crash(boolean hadTables, int valueLogFiles) {}

  private static String sizes(FaultyStorage storage) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    for (String name : storage.list()) {
      sb.append(name).append('=').append(storage.syncedLength(name).orElse(-1)).append(' ');
    }
    return sb.toString();
  }

  /** The value log's rotation by record count in the {@code withValueLog} variants. */
  static final int VALUE_LOG_MAX_ENTRIES = 200;

  private static Options options(FaultyStorage storage, boolean sync, boolean separate) {
    // Tiny memtables and levels: the crash lands among flushes and compactions.
    Options.Builder b = LsmModelTest.smallTree(java.nio.file.Path.of("unused")).storage(storage)
        .syncWrites(sync);
    if (separate) {
      // Background value log GC every few milliseconds at a low ratio: the churn keys make
      // garbage, so the power loss lands inside rewrites and deletions of value log files.
      LsmModelTest.separateValues(b, 64).valueLogMaxEntries(VALUE_LOG_MAX_ENTRIES)
          .valueLogGcInterval(java.time.Duration.ofMillis(5)).valueLogGcDiscardRatio(0.2);
    }
    return b.build();
  }

  /** Makes values big enough that the crash finds flushes and compactions under way. */
  private static final String PADDING = "p".repeat(60);

  /**
   * The value of key {@code j} of transaction {@code id}: with {@code separate}, 44 to 96 bytes
   * that vary with the id and the key, so a transaction usually has values on both sides of 64.
   */
  private static String value(long id, int j, boolean separate) {
    return separate ? id + "/" + j + "/" + "p".repeat(40 + (int) ((id * 7 + j * 17) % 50))
        : id + "/" + PADDING;
  }

  /** The newest value log file's id (GC deletes old files, so the count says less). */
  private static int valueLogFiles(FaultyStorage storage) throws java.io.IOException {
    return (int) storage.list().stream().filter(n -> n.endsWith(".vlog"))
        .mapToLong(n -> Long.parseLong(n.substring(0, n.length() - ".vlog".length())))
        .max().orElse(0);
  }

  /** One crash and check. */
  private Crash cycle(long seed, boolean sync, int writers, boolean separate) throws Exception {
    String where = "seed " + TestSeeds.format(seed) + " sync=" + sync
        + (separate ? " valueThreshold=64" : "");
    Random r = new Random(seed);
    FaultyStorage storage = new FaultyStorage(new MemoryStorage(), seed);
    ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
    int crashAfter = 1 + r.nextInt(1200); // up to ~6 memtables of 64 KiB: flushes, compactions
    CountDownLatch enough = new CountDownLatch(crashAfter);
    Db db = Db.open(options(storage, sync, separate));
    List<Thread> threads = new ArrayList<>();
    long[] nextId = {0};
    java.util.concurrent.atomic.AtomicReference<Throwable> unexpected =
        new java.util.concurrent.atomic.AtomicReference<>();
    for (int w = 0; w < writers; w++) {
      Thread t = new Thread(() -> {
        while (true) {
          long id;
          synchronized (nextId) {
            id = nextId[0]++;
          }
          try {
            db.update(txn -> {
              for (int j = 0; j < 3; j++) {
                txn.set(b("t" + id + "/" + j), b(value(id, j, separate)));
              }
              if (separate) { // overwritten all the time: garbage for the value log GC
                txn.set(b("churn" + (id % 40)), b(value(id, 9, true) + "p".repeat(30)));
              }
            });
          } catch (KvException | IllegalStateException e) {
            return; // the storage crashed under us
          } catch (Throwable e) {
            unexpected.set(e);
            while (enough.getCount() > 0) {
              enough.countDown(); // do not leave the test waiting
            }
            return;
          }
          acked.add(id);
          enough.countDown();
        }
      });
      t.start();
      threads.add(t);
    }
    enough.await();
    if (unexpected.get() != null) {
      throw new AssertionError(where + ": a writer failed before the crash", unexpected.get());
    }
    boolean hadTables = storage.list().stream().anyMatch(n -> n.endsWith(".sst"));
    int valueLogFiles = valueLogFiles(storage);
    FaultyStorage.CrashReport report = storage.crash(seed);
    try {
      db.close(); // also wakes a writer waiting for memtable space
    } catch (KvException ignored) {
      // closing a crashed database may fail; what matters is the reopen
    }
    for (Thread t : threads) {
      t.join();
    }
    long issued;
    synchronized (nextId) {
      issued = nextId[0];
    }
    try (Db again = Db.open(options(storage, sync, separate))) {
      List<Long> present = new ArrayList<>();
      for (long id = 0; id < issued; id++) {
        long tid = id;
        int count = again.view(txn -> {
          int c = 0;
          for (int j = 0; j < 3; j++) {
            Item it = txn.get(b("t" + tid + "/" + j));
            if (it != null) {
              assertEquals(value(tid, j, separate), s(it.value()), where + ": key t" + tid
                  + "/" + j);
              c++;
            }
          }
          return c;
        });
        assertTrue(count == 0 || count == 3, where + ": transaction " + id + " half present, "
            + report);
        if (count == 3) {
          present.add(id);
        }
      }
      if (sync) {
        for (long id : acked) {
          assertTrue(present.contains(id), where + ": acknowledged transaction " + id
              + " lost, " + report + "; files after reopen " + sizes(storage) + "; present "
              + present.size() + " of " + issued + " issued, " + acked.size() + " acknowledged");
        }
      } else {
        // One writer: ids are committed in order, so the survivors must be 0..k-1.
        for (int i = 0; i < present.size(); i++) {
          assertEquals(i, present.get(i), where + ": survivors are not a prefix, " + report);
        }
      }
      // The reopened database takes writes again.
      again.update(txn -> txn.set(b("after"), b("crash")));
    }
    return new Crash(hadTables, valueLogFiles);
  }
}
