package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static dev.sett.kv.core.Bytes.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.ConflictException;
import dev.sett.kv.Db;
import dev.sett.kv.Entry;
import dev.sett.kv.Item;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import dev.sett.kv.TxnTooBigException;
import dev.sett.kv.WriteBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API of a database: reads, writes, snapshots, TTL, conflicts, batches, reopen. */
class DbApiTest {
  @TempDir Path dir;

  private static String get(Db db, String key) {
    return db.view(txn -> {
      Item item = txn.get(b(key));
      return item == null ? null : s(item.value());
    });
  }

  @Test
  void set_get_delete_roundTrip() {
    try (Db db = Db.open(Options.inMemory().build())) {
      db.update(txn -> txn.set(b("a"), b("1")));
      assertEquals("1", get(db, "a"));
      db.update(txn -> txn.set(b("a"), b("2")));
      assertEquals("2", get(db, "a"));
      db.update(txn -> txn.delete(b("a")));
      assertNull(get(db, "a"));
      assertNull(get(db, "never"));
    }
  }

  @Test
  void item_carriesVersionUserMetaAndSize() {
    try (Db db = Db.open(Options.inMemory().build())) {
      db.update(txn -> txn.setEntry(Entry.of(b("k"), b("value")).withUserMeta((byte) 7)));
      Item item = db.view(txn -> txn.get(b("k")));
      assertEquals(7, item.userMeta());
      assertEquals(5, item.valueSize());
      assertEquals(0, item.expiresAt());
      assertTrue(item.version() >= 1);
      assertFalse(item.isDeletedOrExpired());
      byte[] v = item.value();
      v[0] = 'X';
      assertEquals("value", s(item.value()), "value() must return a copy");
    }
  }

  @Test
  void view_seesSnapshotTakenAtStart() {
    try (Db db = Db.open(Options.inMemory().build())) {
      db.update(txn -> txn.set(b("k"), b("old")));
      try (Txn reader = db.newTransaction(false)) {
        db.update(txn -> txn.set(b("k"), b("new")));
        db.update(txn -> txn.set(b("other"), b("x")));
        assertEquals("old", s(reader.get(b("k")).value()));
        assertNull(reader.get(b("other")));
      }
      assertEquals("new", get(db, "k"));
    }
  }

  @Test
  void transaction_readsItsOwnWrites_andNothingIsVisibleBeforeCommit() {
    try (Db db = Db.open(Options.inMemory().build())) {
      try (Txn txn = db.newTransaction(true)) {
        txn.set(b("k"), b("mine"));
        assertEquals("mine", s(txn.get(b("k")).value()));
        assertNull(get(db, "k"));
        txn.delete(b("k"));
        assertNull(txn.get(b("k")));
        txn.set(b("k"), b("again"));
        txn.commit();
      }
      assertEquals("again", get(db, "k"));
    }
  }

  @Test
  void closeWithoutCommit_discards() {
    try (Db db = Db.open(Options.inMemory().build())) {
      try (Txn txn = db.newTransaction(true)) {
        txn.set(b("k"), b("v"));
      }
      assertNull(get(db, "k"));
      assertThrows(IllegalStateException.class,
          () -> db.update(txn -> {
            txn.set(b("x"), b("v"));
            throw new IllegalStateException("boom");
          }));
      assertNull(get(db, "x"), "update must discard when the function throws");
    }
  }

  @Test
  void ttl_expiresByTheInjectedClock() {
    AtomicLong now = new AtomicLong(1_000_000);
    InstantSource clock = () -> Instant.ofEpochSecond(now.get());
    try (Db db = Db.open(Options.inMemory().clock(clock).build())) {
      db.update(txn -> txn.setEntry(Entry.of(b("k"), b("v")).withTtl(Duration.ofSeconds(10))));
      Item item = db.view(txn -> txn.get(b("k")));
      assertEquals(1_000_010, item.expiresAt());
      now.set(1_000_009);
      assertEquals("v", get(db, "k"), "nothing expires early");
      now.set(1_000_010);
      assertNull(get(db, "k"));
    }
  }

  @Test
  void writeSkew_exactlyOneOfTwoConflictingTransactionsCommits() {
    try (Db db = Db.open(Options.inMemory().build())) {
      db.update(txn -> {
        txn.set(b("x"), b("100"));
        txn.set(b("y"), b("100"));
      });
      Txn t1 = db.newTransaction(true);
      Txn t2 = db.newTransaction(true);
      t1.get(b("x"));
      t1.get(b("y"));
      t2.get(b("x"));
      t2.get(b("y"));
      t1.set(b("x"), b("0"));
      t2.set(b("y"), b("0"));
      t1.commit();
      assertThrows(ConflictException.class, t2::commit);
      t2.close();
      assertEquals("0", get(db, "x"));
      assertEquals("100", get(db, "y"));
    }
  }

  @Test
  void blindWrites_neverConflict_andDetectionCanBeOff() {
    try (Db db = Db.open(Options.inMemory().build())) {
      Txn t1 = db.newTransaction(true);
      Txn t2 = db.newTransaction(true);
      t1.set(b("k"), b("1"));
      t2.set(b("k"), b("2"));
      t1.commit();
      t2.commit();
      assertEquals("2", get(db, "k"));
    }
    try (Db db = Db.open(Options.inMemory().detectConflicts(false).build())) {
      Txn t1 = db.newTransaction(true);
      Txn t2 = db.newTransaction(true);
      t1.get(b("k"));
      t2.get(b("k"));
      t1.set(b("k"), b("1"));
      t2.set(b("k"), b("2"));
      t1.commit();
      t2.commit(); // plain snapshot isolation: no conflict
      assertEquals("2", get(db, "k"));
    }
  }

  @Test
  void concurrentIncrements_withRetries_loseNoUpdate() throws Exception {
    int threads = 4;
    int perThread = 200;
    try (Db db = Db.open(Options.inMemory().build())) {
      db.update(txn -> txn.set(b("counter"), b("0")));
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      AtomicLong conflicts = new AtomicLong();
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            while (true) {
              try {
                db.update(txn -> {
                  long v = Long.parseLong(s(txn.get(b("counter")).value()));
                  txn.set(b("counter"), b(Long.toString(v + 1)));
                });
                break;
              } catch (ConflictException e) {
                conflicts.incrementAndGet();
              }
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
      assertEquals(Long.toString(threads * perThread), get(db, "counter"));
    }
  }

  @Test
  void txnTooBig_rejectsTheWriteThatExceedsTheLimit_andKeepsTheRest() {
    try (Db db = Db.open(Options.inMemory().memTableSize(1 << 20).build())) {
      long max = db.options().maxBatchCount();
      try (Txn txn = db.newTransaction(true)) {
        int i = 0;
        TxnTooBigException e = null;
        while (e == null) {
          try {
            txn.set(b("key" + i), b("v"));
            i++;
          } catch (TxnTooBigException x) {
            e = x;
          }
        }
        assertTrue(i <= max, i + " <= " + max);
        assertTrue(e.getMessage().contains("at most"), e.getMessage());
        txn.commit();
        int written = i;
        assertEquals("v", get(db, "key" + (written - 1)));
        assertNull(get(db, "key" + written));
      }
    }
  }

  @Test
  void writeBatch_splitsIntoCommits_andFlushWaitsForAll() {
    try (Db db = Db.open(Options.inMemory().memTableSize(1 << 20).build())) {
      int n = 20_000; // far more than one commit holds at this memtable size
      try (WriteBatch batch = db.newWriteBatch()) {
        for (int i = 0; i < n; i++) {
          batch.set(b(String.format("k%06d", i)), b("value-" + i));
        }
        batch.delete(b("k000000"));
        batch.flush();
      }
      assertNull(get(db, "k000000"));
      for (int i = 1; i < n; i += 997) {
        assertEquals("value-" + i, get(db, String.format("k%06d", i)));
      }
    }
  }

  @Test
  void reopen_replaysTheWal_andContinuesVersions() {
    long version;
    try (Db db = Db.open(Options.builder(dir).build())) {
      for (int i = 0; i < 100; i++) {
        int n = i;
        db.update(txn -> txn.set(b("k" + n), b("v" + n)));
      }
      db.update(txn -> txn.delete(b("k5")));
      version = db.view(txn -> txn.get(b("k99")).version());
    }
    try (Db db = Db.open(Options.builder(dir).build())) {
      assertEquals("v42", get(db, "k42"));
      assertNull(get(db, "k5"));
      db.update(txn -> txn.set(b("new"), b("x")));
      assertTrue(db.view(txn -> txn.get(b("new")).version()) > version);
    }
    try (Db db = Db.open(Options.builder(dir).build())) {
      assertEquals("x", get(db, "new"));
      assertEquals("v99", get(db, "k99"));
    }
  }

  @Test
  void smallMemtables_rotate_andEverythingStaysReadable_acrossReopen() {
    // No compactors: the table count after reopen is then exactly what the flushes made.
    Options o = Options.builder(dir).memTableSize(64 << 10).numMemtables(64).numCompactors(0)
        .build();
    int n = 3000;
    try (Db db = Db.open(o)) {
      for (int i = 0; i < n; i += 10) {
        int from = i;
        db.update(txn -> {
          for (int j = from; j < from + 10; j++) {
            txn.set(b(String.format("key%05d", j)), new byte[100]);
          }
        });
      }
    }
    try (Db db = Db.open(o)) {
      assertTrue(db.stats().levels().stream().mapToInt(dev.sett.kv.LevelStats::tables).sum() > 3,
          "memtables rotated and were flushed to tables: " + db.stats().levels());
      for (int i = 0; i < n; i++) {
        assertNotNull(db.view(txn -> txn.get(b(String.format("key%05d", 0)))));
        int k = i;
        assertArrayEquals(new byte[100],
            db.view(txn -> txn.get(b(String.format("key%05d", k))).value()), "key " + i);
      }
    }
  }

  /**
   * The API's main paths with every value in the value log ({@code valueThreshold} 0): item
   * metadata and sizes (an empty value included), TTL, a snapshot across an overwrite, deletes,
   * enough writes to rotate memtables (flushed to tables) and the value log, and a reopen.
   */
  @Test
  void everyValueSeparated_itemsSnapshotsTtlRotationAndReopen() {
    AtomicLong now = new AtomicLong(1_000_000);
    InstantSource clock = () -> Instant.ofEpochSecond(now.get());
    Options o = LsmModelTest.separateValues(Options.builder(dir), 0).valueLogMaxEntries(1000)
        .memTableSize(64 << 10).numMemtables(64).numCompactors(0).clock(clock).build();
    int n = 6000;
    long version;
    try (Db db = Db.open(o)) {
      db.update(txn -> {
        txn.setEntry(Entry.of(b("meta"), b("value")).withUserMeta((byte) 7));
        txn.set(b("empty"), new byte[0]);
        txn.setEntry(Entry.of(b("ttl"), b("short-lived")).withTtl(Duration.ofSeconds(10)));
        txn.set(b("k"), b("old"));
      });
      try (Txn reader = db.newTransaction(false)) {
        db.update(txn -> txn.set(b("k"), b("new")));
        assertEquals("old", s(reader.get(b("k")).value()));
      }
      for (int i = 0; i < n; i += 10) {
        int from = i;
        db.update(txn -> {
          for (int j = from; j < from + 10; j++) {
            txn.set(b(String.format("key%05d", j)), separatedValue(j));
          }
        });
      }
      db.update(txn -> txn.delete(b("key00005")));
      checkSeparated(db, n, true);
      version = db.view(Txn::readTs);
    }
    assertTrue(LsmModelTest.valueLogFiles(dir) >= 2,
        "the value log rotated: " + LsmModelTest.valueLogFiles(dir) + " file(s)");
    now.set(1_000_010);
    try (Db db = Db.open(o)) {
      assertTrue(db.stats().levels().stream().mapToInt(dev.sett.kv.LevelStats::tables).sum() > 0,
          "memtables were flushed to tables: " + db.stats().levels());
      checkSeparated(db, n, false);
      db.update(txn -> txn.set(b("after"), b("reopen")));
      assertTrue(db.view(txn -> txn.get(b("after")).version()) > version);
      assertEquals("reopen", get(db, "after"));
    }
  }

  private static byte[] separatedValue(int i) {
    byte[] v = new byte[100];
    for (int j = 0; j < v.length; j++) {
      v[j] = (byte) (i * 31 + j);
    }
    return v;
  }

  /**
   * Reads everything inside one read-only transaction (an item's value is read before it ends);
   * {@code ttlAlive} says whether the clock is still before the TTL entry's expiry.
   */
  private static void checkSeparated(Db db, int n, boolean ttlAlive) {
    db.view(txn -> {
      Item meta = txn.get(b("meta"));
      assertEquals(7, meta.userMeta());
      assertEquals(5, meta.valueSize());
      byte[] v = meta.value();
      v[0] = 'X';
      assertEquals("value", s(meta.value()), "value() must return a copy");
      Item empty = txn.get(b("empty"));
      assertNotNull(empty);
      assertEquals(0, empty.valueSize());
      assertArrayEquals(new byte[0], empty.value());
      Item ttl = txn.get(b("ttl"));
      if (ttlAlive) {
        assertNotNull(ttl);
        assertEquals(1_000_010, ttl.expiresAt());
        assertEquals("short-lived", s(ttl.value()));
      } else {
        assertNull(ttl, "expired by the clock");
      }
      assertEquals("new", s(txn.get(b("k")).value()));
      assertNull(txn.get(b("key00005")));
      for (int i = 0; i < n; i++) {
        if (i != 5) {
          Item item = txn.get(b(String.format("key%05d", i)));
          assertEquals(100, item.valueSize(), "key " + i);
          assertArrayEquals(separatedValue(i), item.value(), "key " + i);
        }
      }
      return null;
    });
  }

  @Test
  void sync_andSyncWrites_work() {
    try (Db db = Db.open(Options.builder(dir).syncWrites(true).build())) {
      db.update(txn -> txn.set(b("k"), b("v")));
      db.sync();
    }
    try (Db db = Db.open(dir)) {
      assertEquals("v", get(db, "k"));
    }
  }

  @Test
  void stats_reportTheMemoryOfMemtablesAndCaches() {
    Options o = Options.builder(dir).memTableSize(1 << 20).numMemtables(3).build();
    long capacity = o.memTableSize() + o.maxBatchSize() + (1 << 20); // an arena, whole
    try (Db db = Db.open(o)) {
      dev.sett.kv.DbStats empty = db.stats();
      assertEquals(1, empty.memTables());
      assertEquals(capacity, empty.memTableBytes(), "one arena, allocated whole");
      for (int i = 0; i < 20_000; i++) { // about 4 MiB: several rotations and flushes
        int id = i;
        db.update(txn -> txn.set(b("k" + id), new byte[200]));
      }
      for (int i = 0; i < 20_000; i += 10) {
        int id = i;
        assertNotNull(db.view(txn -> txn.get(b("k" + id))));
      }
      dev.sett.kv.DbStats s = db.stats();
      assertTrue(s.flushes() > 0, "flushed: " + s.flushes());
      assertTrue(s.memTableBytes() >= s.memTables() * capacity
          && s.memTableBytes() <= (s.memTables() + 1) * capacity,
          "the memtables' arenas and at most one spare: " + s.memTableBytes() + " for "
              + s.memTables() + " memtables");
      assertTrue(s.blockCacheBytes() > 0, "reads filled the block cache");
      assertEquals(s.memTableBytes() + s.blockCacheBytes() + s.indexCacheBytes(),
          s.memoryBytes());
      assertEquals(o.memoryBudget(), s.memoryBudget());
      assertTrue(s.memTableBytes() <= o.numMemtables() * capacity,
          "the spare counts among numMemtables: " + s.memTableBytes());
      assertTrue(s.memoryBytes() <= s.memoryBudget(), s.memoryBytes() + " within "
          + s.memoryBudget());
    }
  }
}