package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.kv.Db;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.StorageException;
import dev.sett.kv.Txn;
import dev.sett.kv.WriteBatch;
import dev.sett.kv.testkit.TestSeeds;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupt affects only the interrupted call, whatever the call does: threads commit, write
 * batches, get, iterate and sync on a live database (tiny memtables and two of them, so commits
 * rotate memtables and wait for the flusher; compactions run; no block cache, so reads go to the
 * files; part of the values live in the value log) while a chaos thread interrupts them at random. An interrupted call may throw only a
 * {@link StorageException} caused by the interruption; no call of a thread that was not
 * interrupted fails; the database never enters the failed state; every acknowledged write is there
 * after a reopen. Runs for {@code sett.stress.seconds} (3 by default, minutes under
 * {@code -Pstress}). The seed fixes each thread's operations and the chaos thread's choices; where
 * an interrupt lands inside a call is up to the scheduler.
 */
class InterruptChaosTest {
  private static final int WORKERS = 4;
  private static final long HANG_SECONDS = 60;

  @TempDir Path dir;

  private static byte[] value(int worker, int i) {
    byte[] v = new byte[100 + (i % 200)];
    for (int j = 0; j < v.length; j++) {
      v[j] = (byte) (worker * 7 + i * 31 + j);
    }
    return v;
  }

  @Test
  void randomInterrupts_failOnlyTheInterruptedCalls(TestInfo info) throws Exception {
    long seed = TestSeeds.seed(info);
    // Values from 100 bytes up: those of 200 bytes or more live in the value log, so gets,
    // iterations and their read-ahead read value log files too.
    Options options = LsmModelTest.smallTree(dir).numMemtables(2).blockCache("none")
        .indexCacheSize(0).valueThreshold(200).valueLogFileSize(1 << 20).build();
    long until = System.nanoTime()
        + TimeUnit.SECONDS.toNanos(Long.getLong("sett.stress.seconds", 3));
    Map<String, byte[]> acked = new ConcurrentHashMap<>();
    Queue<String> errors = new ConcurrentLinkedQueue<>();
    Semaphore progress = new Semaphore(0);
    AtomicBoolean stop = new AtomicBoolean();
    int[] interruptedCalls = new int[WORKERS];
    try (Db db = Db.open(options)) {
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        int id = w;
        Random r = new Random(seed + w);
        Thread t = new Thread(() -> {
          int next = 0;
          while (!stop.get()) {
            String op = "?";
            try {
              switch (r.nextInt(6)) {
                case 0, 1 -> {
                  op = "commit";
                  int i = next++;
                  db.update(txn -> txn.set(b("w" + id + "/" + i), value(id, i)));
                  acked.put("w" + id + "/" + i, value(id, i));
                }
                case 2 -> {
                  op = "batch";
                  List<Integer> ids = new ArrayList<>();
                  try (WriteBatch batch = db.newWriteBatch()) {
                    for (int j = 0; j < 10; j++) {
                      int i = next++;
                      batch.set(b("w" + id + "/" + i), value(id, i));
                      ids.add(i);
                    }
                    batch.flush();
                  }
                  for (int i : ids) {
                    acked.put("w" + id + "/" + i, value(id, i));
                  }
                }
                case 3 -> {
                  op = "get";
                  int i = next == 0 ? 0 : r.nextInt(next);
                  String k = "w" + id + "/" + i;
                  byte[] expected = acked.get(k);
                  Item item = db.view(txn -> txn.get(b(k)));
                  if (expected != null) {
                    assertNotNull(item, k + " was acknowledged");
                    assertArrayEquals(expected, item.value(), k);
                  }
                }
                case 4 -> {
                  op = "iterate";
                  try (Txn txn = db.newTransaction(false);
                      KvIterator it = txn.newIterator(IteratorOptions.builder()
                          .prefix(b("w" + r.nextInt(WORKERS) + "/")).build())) {
                    int n = 0;
                    for (it.rewind(); it.valid() && n < 300; it.next()) {
                      it.item().value();
                      n++;
                    }
                  }
                }
                default -> {
                  op = "sync";
                  db.sync();
                }
              }
            } catch (StorageException e) {
              if (!Thread.currentThread().isInterrupted() || !causedByInterrupt(e)) {
                errors.add("worker " + id + " " + op + " failed without an interrupt: " + e);
                stop.set(true);
              }
              interruptedCalls[id]++;
            } catch (Throwable e) {
              errors.add("worker " + id + " " + op + " failed (interrupted="
                  + Thread.currentThread().isInterrupted() + "): " + e);
              stop.set(true);
            }
            Thread.interrupted(); // the call is over: the next one starts clean
            progress.release();
          }
        }, "worker-" + w);
        workers.add(t);
        t.start();
      }
      Random chaos = new Random(seed ^ 0x5eedL);
      int interrupts = 0;
      while (System.nanoTime() < until && !stop.get()) {
        if (!progress.tryAcquire(1 + chaos.nextInt(8), HANG_SECONDS, TimeUnit.SECONDS)) {
          stop.set(true);
          fail("no progress for " + HANG_SECONDS + " s: a call hangs " + stacks(workers));
        }
        workers.get(chaos.nextInt(WORKERS)).interrupt();
        interrupts++;
      }
      stop.set(true);
      for (Thread t : workers) {
        t.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
        if (t.isAlive()) {
          fail(t.getName() + " hangs " + stacks(workers));
        }
      }
      if (!errors.isEmpty()) {
        fail(errors.size() + " calls failed that were not interrupted (seed "
            + TestSeeds.format(seed) + "); first: " + errors.peek());
      }
      // Not failed: a write still goes through after all those interrupts.
      db.update(txn -> txn.set(b("after"), b("chaos")));
      System.out.println("interrupts: " + interrupts + ", interrupted calls that threw: "
          + java.util.Arrays.toString(interruptedCalls) + ", acknowledged writes: "
          + acked.size());
    }
    try (Db db = Db.open(options)) {
      for (Map.Entry<String, byte[]> e : acked.entrySet()) {
        Item item = db.view(txn -> txn.get(b(e.getKey())));
        assertNotNull(item, e.getKey() + " was acknowledged but is lost");
        assertArrayEquals(e.getValue(), item.value(), e.getKey());
      }
    }
  }

  private static boolean causedByInterrupt(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof InterruptedIOException
          || c instanceof java.nio.channels.ClosedByInterruptException) {
        return true;
      }
    }
    return false;
  }

  private static String stacks(List<Thread> threads) {
    StringBuilder sb = new StringBuilder();
    for (Thread t : threads) {
      sb.append("\n").append(t.getName()).append(" ").append(t.getState());
      for (StackTraceElement e : t.getStackTrace()) {
        sb.append("\n    ").append(e);
      }
    }
    return sb.toString();
  }
}
