package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static dev.sett.kv.core.Bytes.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.Item;
import dev.sett.kv.MemoryBudget;
import dev.sett.kv.Options;
import dev.sett.kv.testkit.TestSeeds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databases sharing one {@link MemoryBudget}: their memtables stay within its pool plus one small
 * memtable each, they share one block cache and one index cache without reading each other's
 * blocks, and everything they held goes back when they close.
 */
class SharedMemoryBudgetTest {
  private static final long MIB = 1L << 20;

  @TempDir Path dir;

  private static Options.Builder options(Path d, MemoryBudget budget, long memTableSize) {
    return Options.builder(d).memoryBudget(budget).memTableSize(memTableSize)
        .numCompactors(1).valueLogGcInterval(Duration.ZERO)
        .valueThreshold(Options.DEFAULT_MAX_VALUE_THRESHOLD); // values stay in the memtables
  }

  /** What the memtables of {@code n} databases may take on {@code budget}. */
  private static long bound(MemoryBudget budget, int n, long memTableSize) {
    return budget.memTablePoolBytes()
        + n * Math.min(MemoryBudget.ALLOWANCE_BYTES, MemTableSource.fullArena(memTableSize));
  }

  @Test
  void hundredDatabases_on64MiB_stayWithinTheBudget_andKeepTheirData(TestInfo info)
      throws Exception {
    long seed = TestSeeds.seed(info);
    String where = "seed " + TestSeeds.format(seed);
    MemoryBudget budget = MemoryBudget.of(64 * MIB);
    int n = 100;
    long memTableSize = 1 * MIB;
    Db[] dbs = new Db[n];
    for (int i = 0; i < n; i++) {
      dbs[i] = Db.open(options(dir.resolve("db" + i), budget, memTableSize).build());
    }
    assertEquals(n, budget.databases());
    long limit = bound(budget, n, memTableSize);
    long cacheLimit = budget.blockCacheBytes() + budget.indexCacheBytes();
    // Databases 0..89 are written; 90..99 stay idle.
    int writers = 4;
    int writes = 2500;
    AtomicLong maxMemTables = new AtomicLong();
    AtomicLong maxCaches = new AtomicLong();
    AtomicBoolean done = new AtomicBoolean();
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    Thread monitor = new Thread(() -> {
      while (!done.get()) {
        maxMemTables.accumulateAndGet(budget.memTableBytes(), Math::max);
        maxCaches.accumulateAndGet(budget.cacheBytes(), Math::max);
        Thread.onSpinWait();
      }
    }, "monitor");
    monitor.start();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < writers; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        Random random = new Random(seed + id);
        try {
          for (int i = 0; i < writes; i++) {
            int d = random.nextInt(90);
            String key = "w" + id + "/" + i;
            byte[] value = value(seed, key, 200 + random.nextInt(3000));
            dbs[d].update(txn -> txn.set(b(key), value));
            if (i % 50 == 0) { // reads fill the shared caches
              int other = random.nextInt(90);
              String read = "w" + id + "/" + random.nextInt(i + 1);
              dbs[other].view(txn -> txn.get(b(read)));
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }, "writer-" + t);
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join(TimeUnit.MINUTES.toMillis(2));
      assertTrue(!th.isAlive(), where + ": " + th.getName() + " hangs");
    }
    done.set(true);
    monitor.join();
    assertTrue(errors.isEmpty(), where + ": " + errors.peek());
    assertTrue(maxMemTables.get() <= limit, where + ": memtables took " + maxMemTables.get()
        + " bytes, more than the pool and one small memtable per database: " + limit);
    assertTrue(maxCaches.get() <= cacheLimit, where + ": caches took " + maxCaches.get());
    for (int i = 90; i < n; i++) {
      long held = dbs[i].stats().memTableBytes();
      assertTrue(held <= MemoryBudget.ALLOWANCE_BYTES, "an idle database holds " + held);
      assertEquals(64 * MIB, dbs[i].stats().memoryBudget());
    }
    for (Db db : dbs) {
      db.close();
    }
    assertEquals(0, budget.databases());
    assertEquals(0, budget.memTableBytes(), "every charge given back exactly once");
    assertEquals(0, budget.cacheBytes());
    // Reopen (on a budget of their own) and read every write back.
    Db[] reopened = new Db[n];
    for (int i = 0; i < n; i++) {
      reopened[i] = Db.open(Options.builder(dir.resolve("db" + i)).memoryBudget(16 * MIB)
          .memTableSize(memTableSize).numCompactors(1).valueLogGcInterval(Duration.ZERO).build());
    }
    try {
      for (int id = 0; id < writers; id++) {
        Random random = new Random(seed + id);
        for (int i = 0; i < writes; i++) {
          int d = random.nextInt(90);
          String key = "w" + id + "/" + i;
          byte[] want = value(seed, key, 200 + random.nextInt(3000));
          if (i % 50 == 0) {
            random.nextInt(90);
            random.nextInt(i + 1);
          }
          byte[] got = reopened[d].view(txn -> {
            Item it = txn.get(b(key));
            return it == null ? null : it.value();
          });
          assertNotNull(got, where + ": " + key + " lost in db" + d);
          assertArrayEquals(want, got, where + ": " + key + " in db" + d);
        }
      }
    } finally {
      for (Db db : reopened) {
        db.close();
      }
    }
  }

  private static byte[] value(long seed, String key, int length) {
    byte[] v = new byte[length];
    new Random(seed ^ key.hashCode()).nextBytes(v);
    return v;
  }

  @Test
  void aDatabaseClosing_whileOthersWrite_givesItsMemoryBack(TestInfo info) throws Exception {
    long seed = TestSeeds.seed(info);
    MemoryBudget budget = MemoryBudget.of(16 * MIB);
    int n = 6;
    Db[] dbs = new Db[n];
    for (int i = 0; i < n; i++) {
      dbs[i] = Db.open(options(dir.resolve("db" + i), budget, 512 << 10).build());
    }
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        Random random = new Random(seed + id);
        try {
          for (int i = 0; i < 3000; i++) {
            byte[] v = new byte[100 + random.nextInt(2000)];
            String key = "k" + i;
            dbs[id].update(txn -> txn.set(b(key), v));
          }
        } catch (DbClosedException e) {
          if (id != 0) {
            errors.add(e);
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }, "writer-" + t);
      threads.add(th);
      th.start();
    }
    dbs[0].close(); // while everyone writes, itself included
    assertEquals(n - 1, budget.databases());
    for (Thread th : threads) {
      th.join(TimeUnit.MINUTES.toMillis(1));
      assertTrue(!th.isAlive(), "seed " + TestSeeds.format(seed) + ": " + th.getName()
          + " hangs");
    }
    assertTrue(errors.isEmpty(), "seed " + TestSeeds.format(seed) + ": " + errors.peek());
    for (int i = 1; i < n; i++) {
      assertEquals(3000, (int) dbs[i].view(txn -> {
        int count = 0;
        for (int k = 0; k < 3000; k++) {
          count += txn.get(b("k" + k)) != null ? 1 : 0;
        }
        return count;
      }));
      dbs[i].close();
    }
    assertEquals(0, budget.memTableBytes());
    assertEquals(0, budget.databases());
  }

  @Test
  void sharedCaches_areCreatedOnce_andDroppedWithTheLastDatabase() throws Exception {
    MemoryBudget budget = MemoryBudget.of(32 * MIB);
    for (int i = 0; i < 2; i++) { // tables to read
      try (Db db = Db.open(options(dir.resolve("db" + i), budget, 256 << 10).build())) {
        for (int k = 0; k < 500; k++) {
          String key = "k" + k;
          db.update(txn -> txn.set(b(key), new byte[500]));
        }
      }
    }
    assertEquals(0, budget.cacheBytes());
    Db a = Db.open(options(dir.resolve("db0"), budget, 256 << 10).build());
    Db c = Db.open(options(dir.resolve("db1"), budget, 256 << 10).build());
    assertEquals(2, budget.databases());
    a.view(txn -> txn.get(b("k1")));
    long afterA = budget.cacheBytes();
    assertTrue(afterA > 0, "a read caches blocks");
    assertEquals(afterA, c.stats().blockCacheBytes() + c.stats().indexCacheBytes(),
        "one cache pair, seen by both");
    a.close();
    assertEquals(1, budget.databases());
    assertTrue(budget.cacheBytes() > 0, "the caches stay while a database is open");
    c.view(txn -> txn.get(b("k1")));
    c.close();
    assertEquals(0, budget.databases());
    assertEquals(0, budget.cacheBytes(), "the last close drops the caches");
  }

  /**
   * Two databases written alike have tables with the same ids: through one shared cache, each
   * must still read its own blocks. Fails if table ids are not kept apart per database.
   */
  @Test
  void databasesWhoseTableIdsCollide_readTheirOwnBlocks() throws Exception {
    MemoryBudget budget = MemoryBudget.of(32 * MIB);
    for (int i = 0; i < 2; i++) {
      try (Db db = Db.open(options(dir.resolve("db" + i), budget, 256 << 10).build())) {
        for (int k = 0; k < 200; k++) {
          String key = "k" + k;
          String value = "db" + i + "-" + k;
          db.update(txn -> txn.set(b(key), b(value)));
        }
      }
    }
    Db a = Db.open(options(dir.resolve("db0"), budget, 256 << 10).build());
    Db c = Db.open(options(dir.resolve("db1"), budget, 256 << 10).build());
    try {
      for (int k = 0; k < 200; k++) {
        String key = "k" + k;
        assertEquals("db0-" + k, s(a.view(txn -> txn.get(b(key)).value())));
      }
      for (int k = 0; k < 200; k++) {
        String key = "k" + k;
        assertEquals("db1-" + k, s(c.view(txn -> txn.get(b(key)).value())));
      }
    } finally {
      a.close();
      c.close();
    }
  }

  /** A commit bigger than a small memtable goes into a memtable made big enough for it. */
  @Test
  void aCommitLargerThanASmallMemtable_goesThrough() throws Exception {
    MemoryBudget budget = MemoryBudget.of(16 * MIB);
    long memTableSize = 4 * MIB;
    Options o = options(dir.resolve("big"), budget, memTableSize).build();
    try (Db db = Db.open(o)) {
      assertTrue(db.stats().memTableBytes() <= MemoryBudget.ALLOWANCE_BYTES, "starts small");
      byte[] big = new byte[(int) (o.maxBatchSize() - 1024)];
      db.update(txn -> txn.set(b("big"), big));
      db.update(txn -> txn.set(b("big2"), big));
      assertEquals(big.length, db.view(txn -> txn.get(b("big"))).valueSize());
      assertEquals(big.length, db.view(txn -> txn.get(b("big2"))).valueSize());
    }
    assertEquals(0, budget.memTableBytes());
  }

  /**
   * When the pool runs short, the database holding the largest mutable memtable is asked to
   * seal and flush it, even if it writes nothing more.
   */
  @Test
  void anIdleDatabase_holdingALargeMemtable_isAskedToFlushIt() throws Exception {
    MemoryBudget budget = MemoryBudget.of(16 * MIB); // an 8 MiB pool
    long memTableSize = 2 * MIB;
    try (Db idle = Db.open(options(dir.resolve("idle"), budget, memTableSize).build());
        Db busy = Db.open(options(dir.resolve("busy"), budget, memTableSize).build())) {
      // Past its first (small) memtable: the next one is large.
      SettDb idleDb = (SettDb) idle;
      for (int i = 0; idleDb.pipeline().memTables().mutable.allowance(); i++) {
        String key = "i" + i;
        idle.update(txn -> txn.set(b(key), new byte[1000]));
      }
      MemTableHandle big = idleDb.pipeline().memTables().mutable;
      assertTrue(big.table().capacityBytes() > MemoryBudget.ALLOWANCE_BYTES);
      idleDb.awaitFlushed(big.walId() - 1); // the small one, sealed by that rotation
      long flushesBefore = idle.stats().flushes();
      for (int i = 0; i < 100_000 && idleDb.pipeline().memTables().mutable == big; i++) {
        String key = "b" + i;
        busy.update(txn -> txn.set(b(key), new byte[1000]));
        assertTrue(budget.memTableBytes() <= bound(budget, 2, memTableSize));
      }
      assertTrue(idleDb.pipeline().memTables().mutable != big, "the idle database was never"
          + " asked to seal its memtable");
      idleDb.awaitFlushed(big.walId());
      assertEquals(flushesBefore + 1, idle.stats().flushes());
    }
    assertEquals(0, budget.memTableBytes());
  }

  @Test
  void options_withASharedBudget() {
    MemoryBudget budget = MemoryBudget.of(64 * MIB);
    Options o = Options.builder(dir).memoryBudget(budget).build();
    assertEquals(64 * MIB, o.memoryBudget());
    assertEquals(budget, o.sharedMemoryBudget());
    assertEquals(24 * MIB, o.blockCacheSize());
    assertEquals(8 * MIB, o.indexCacheSize());
    assertEquals(o, o.toBuilder().build());
    assertTrue(!o.equals(Options.builder(dir).memoryBudget(MemoryBudget.of(64 * MIB)).build()),
        "another budget object is another option");
    Options own = o.toBuilder().memoryBudget(512 * MIB).build();
    assertEquals(null, own.sharedMemoryBudget());
    assertThrows(IllegalArgumentException.class,
        () -> Options.builder(dir).memoryBudget(budget).blockCacheSize(MIB).build());
    assertThrows(IllegalArgumentException.class, () -> Options.builder(dir)
        .memoryBudget(MemoryBudget.of(16 * MIB)).memTableSize(64 * MIB).build());
    assertThrows(IllegalArgumentException.class, () -> MemoryBudget.of(MIB));
  }
}
