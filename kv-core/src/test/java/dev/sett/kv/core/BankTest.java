package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.ConflictException;
import dev.sett.kv.Db;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.testkit.TestSeeds;
import java.nio.file.Path;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bank test of serializable snapshot isolation: accounts, transfers between two of them in
 * read-write transactions on several threads, and readers that sum every balance through an
 * iterator (and through point reads) in read-only transactions. Small memtables and a value log
 * with frequent garbage collection keep flushes, compactions and rewrites running underneath.
 * Every sum must equal the initial total; after the run every balance must equal the model's,
 * which applies exactly the transfers whose commits returned; the final state must survive a
 * reopen. Runs for {@code sett.bank.seconds} (5 by default, 600 under {@code -Pstress}); the
 * seed is printed.
 */
class BankTest {
  private static final int ACCOUNTS = 100;
  private static final long INITIAL = 1_000;
  @TempDir Path dir;

  private static byte[] account(int i) {
    return String.format("acct/%03d", i).getBytes();
  }

  /** A balance, padded to 100 bytes so that it goes to the value log (threshold 64). */
  private static byte[] balance(long amount) {
    byte[] v = new byte[100];
    BigEndian.putLong(v, 0, amount);
    return v;
  }

  private static long amount(byte[] v) {
    return BigEndian.getLong(v, 0);
  }

  @Test
  void transfersUnderFlushesCompactionsAndGc_neverChangeTheTotal(TestInfo info) throws Exception {
    long seed = TestSeeds.seed(info);
    Options o = LsmModelTest.frequentGc(LsmModelTest.separateValues(LsmModelTest.smallTree(dir),
        64)).valueLogMaxEntries(500).build();
    AtomicLongArray model = new AtomicLongArray(ACCOUNTS);
    long total = ACCOUNTS * INITIAL;
    AtomicLong transfers = new AtomicLong();
    AtomicLong conflicts = new AtomicLong();
    AtomicLong sums = new AtomicLong();
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    long deadline = System.nanoTime()
        + TimeUnit.SECONDS.toNanos(Long.getLong("sett.bank.seconds", 5));
    try (Db db = Db.open(o)) {
      for (int i = 0; i < ACCOUNTS; i++) { // one commit each: the memtables are small
        int id = i;
        db.update(t -> t.set(account(id), balance(INITIAL)));
        model.set(i, INITIAL);
      }
      Thread[] threads = new Thread[4];
      for (int n = 0; n < threads.length; n++) {
        Random r = new Random(seed + n);
        boolean writer = n < 2;
        threads[n] = new Thread(() -> {
          try {
            while (System.nanoTime() < deadline && errors.isEmpty()) {
              if (writer) {
                transfer(db, r, model, transfers, conflicts);
              } else {
                long sum = r.nextBoolean() ? sumByIterator(db) : sumByGets(db);
                if (sum != total) {
                  throw new AssertionError("a reader summed " + sum + ", not " + total
                      + " (seed " + TestSeeds.format(seed) + ")");
                }
                sums.incrementAndGet();
              }
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        }, (writer ? "bank-transfer-" : "bank-audit-") + n);
        threads[n].start();
      }
      for (Thread t : threads) {
        t.join();
      }
      assertTrue(errors.isEmpty(), "failed: " + errors.peek());
      checkAgainstModel(db, model, total);
      assertTrue(db.stats().flushes() > 0, "memtables flushed underneath");
    }
    try (Db db = Db.open(o)) {
      checkAgainstModel(db, model, total);
    }
    assertTrue(transfers.get() > 0 && sums.get() > 0, "work was done");
    System.out.println("BankTest seed " + TestSeeds.format(seed) + ": " + transfers.get()
        + " transfers, " + conflicts.get() + " conflicts retried, " + sums.get() + " audits");
  }

  /** Moves a random amount between two accounts; retried on conflicts. */
  private static void transfer(Db db, Random r, AtomicLongArray model, AtomicLong transfers,
      AtomicLong conflicts) {
    int from = r.nextInt(ACCOUNTS);
    int to = (from + 1 + r.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
    long want = 1 + r.nextInt(50);
    while (true) {
      long[] moved = {0};
      try {
        db.update(t -> {
          long a = amount(t.get(account(from)).value());
          long b = amount(t.get(account(to)).value());
          long m = Math.min(a, want);
          t.set(account(from), balance(a - m));
          t.set(account(to), balance(b + m));
          moved[0] = m;
        });
      } catch (ConflictException e) {
        conflicts.incrementAndGet();
        continue;
      }
      // Committed: the model follows. Each account's model only moves by committed transfers.
      model.addAndGet(from, -moved[0]);
      model.addAndGet(to, moved[0]);
      transfers.incrementAndGet();
      return;
    }
  }

  private static long sumByIterator(Db db) {
    return db.view(t -> {
      long sum = 0;
      int n = 0;
      try (KvIterator it = t.newIterator(
          IteratorOptions.builder().prefix("acct/".getBytes()).build())) {
        for (it.rewind(); it.valid(); it.next()) {
          sum += amount(it.item().value());
          n++;
        }
      }
      if (n != ACCOUNTS) {
        throw new AssertionError("the iterator saw " + n + " accounts");
      }
      return sum;
    });
  }

  private static long sumByGets(Db db) {
    return db.view(t -> {
      long sum = 0;
      for (int i = 0; i < ACCOUNTS; i++) {
        Item item = t.get(account(i));
        sum += amount(item.value());
      }
      return sum;
    });
  }

  private static void checkAgainstModel(Db db, AtomicLongArray model, long total) {
    assertEquals(total, sumByIterator(db));
    try (Txn t = db.newTransaction(false)) {
      for (int i = 0; i < ACCOUNTS; i++) {
        assertEquals(model.get(i), amount(t.get(account(i)).value()), "account " + i);
      }
    }
  }
}
