package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.kv.Db;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.Item;
import dev.sett.kv.Options;
import dev.sett.kv.WriteBatch;
import dev.sett.kv.testkit.TestSeeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every path that takes or releases the write path leaves no request stranded: commits,
 * {@code sync()}, write batch flushes and {@code close()} run at once, every thread makes progress
 * and ends, and every acknowledged write is there after a reopen. Runs rounds for
 * {@code sett.stress.seconds} (3 by default, minutes under {@code -Pstress}).
 *
 * <p>Catches fault 1 of issue 12: {@code sync()} took the leader lock and released it without
 * leading what was queued meanwhile, so a committer waited for good.
 */
class WritePathLivenessTest {
  /** A hang is anything longer than this; a healthy round takes milliseconds. */
  private static final long HANG_SECONDS = 30;

  @TempDir Path dir;

  @Test
  void commitsSyncsBatchesAndClose_atOnce_nobodyHangs(TestInfo info) throws Exception {
    long seed = TestSeeds.seed(info);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("sett.stress.seconds",
        3));
    int round = 0;
    do {
      runRound(new Random(seed + round), "seed " + TestSeeds.format(seed) + " round " + round);
      round++;
    } while (System.nanoTime() < until);
  }

  private void runRound(Random random, String where) throws Exception {
    Path d = Files.createTempDirectory(dir, "round");
    // Half the rounds keep values in the value log (its appends and syncs join the write path).
    // Background syncs every 4 KiB run beside the commits, sync() calls and close().
    Options options = Options.builder(d).memTableSize(64 << 10).numMemtables(2)
        .valueThreshold(random.nextBoolean() ? 64 : Options.DEFAULT_VALUE_THRESHOLD)
        .valueLogFileSize(1 << 20).syncWrites(random.nextBoolean()).bytesPerSync(4096).build();
    Db db = Db.open(options);
    AtomicBoolean closing = new AtomicBoolean();
    Queue<String> acked = new ConcurrentLinkedQueue<>();
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    int committers = 3;
    CountDownLatch progress = new CountDownLatch(committers + 2);
    List<Thread> threads = new ArrayList<>();
    int valueSize = 16 + random.nextInt(600);
    for (int t = 0; t < committers; t++) {
      int id = t;
      threads.add(worker("committer-" + t, closing, errors, () -> {
        for (int i = 0; ; i++) {
          String key = "c" + id + "/" + i;
          db.update(txn -> txn.set(b(key), new byte[valueSize]));
          acked.add(key);
          if (i == 200) {
            progress.countDown();
          }
        }
      }));
    }
    threads.add(worker("syncer", closing, errors, () -> {
      for (int i = 0; ; i++) {
        db.sync();
        if (i == 200) {
          progress.countDown();
        }
      }
    }));
    threads.add(worker("batcher", closing, errors, () -> {
      for (int i = 0; ; i++) {
        List<String> keys = new ArrayList<>();
        try (WriteBatch batch = db.newWriteBatch()) {
          for (int j = 0; j < 20; j++) {
            String key = "b" + i + "/" + j;
            batch.set(b(key), new byte[valueSize]);
            keys.add(key);
          }
          batch.flush();
        }
        acked.addAll(keys);
        if (i == 20) {
          progress.countDown();
        }
      }
    }));
    threads.forEach(Thread::start);
    boolean allProgressed = progress.await(HANG_SECONDS, TimeUnit.SECONDS);
    closing.set(true);
    Thread closer = worker("closer", new AtomicBoolean(true), errors, db::close);
    closer.start();
    threads.add(closer);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
    }
    StringBuilder hung = new StringBuilder();
    for (Thread t : threads) {
      if (t.isAlive()) {
        hung.append("\n").append(t.getName()).append(" hangs at:");
        for (StackTraceElement e : t.getStackTrace()) {
          hung.append("\n    ").append(e);
        }
      }
    }
    if (hung.length() > 0 || !allProgressed) {
      fail(where + ": a thread stopped making progress" + hung);
    }
    if (!errors.isEmpty()) {
      Throwable first = errors.peek();
      throw new AssertionError(where + ": unexpected failure " + first, first);
    }
    assertTrue(db.isClosed(), where);
    try (Db again = Db.open(options)) {
      for (String key : acked) {
        Item item = again.view(txn -> txn.get(b(key)));
        assertTrue(item != null, where + ": acknowledged " + key + " is missing");
        assertEquals(valueSize, item.valueSize(), where);
      }
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  /** A thread that runs {@code body} until the database closes under it. */
  private static Thread worker(String name, AtomicBoolean closing, Queue<Throwable> errors,
      Body body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (DbClosedException e) {
        if (!closing.get()) {
          errors.add(e);
        }
      } catch (Throwable e) {
        errors.add(new AssertionError(name + " failed: " + e + " " + Arrays.toString(
            e.getStackTrace()), e));
      }
    }, name);
    t.setDaemon(true);
    return t;
  }
}
