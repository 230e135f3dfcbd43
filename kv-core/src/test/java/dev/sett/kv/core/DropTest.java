package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.DbStats;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvIterator;
import dev.sett.kv.LevelStats;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import dev.sett.kv.ValueLogFileStats;
import dev.sett.kv.spi.EntryIterator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Db#dropPrefix} and {@link Db#dropAll}: exactly the keys under the prefixes go, their
 * space in tables and value log comes back, snapshots from before still read them, commits beside
 * and after the drop behave as documented, the drop survives reopen, and misuse is refused.
 */
class DropTest {
  @TempDir Path dir;

  private Options.Builder tree() {
    // Small memtables and tables, values of 256 bytes or more in 1 MiB value log files; no
    // background GC, so that what the drop reclaims is the drop's doing.
    return LsmModelTest.separateValues(LsmModelTest.smallTree(dir), 256)
        .valueLogGcInterval(Duration.ZERO);
  }

  private static List<String> keys(Db db) {
    return db.view(t -> {
      List<String> out = new ArrayList<>();
      try (KvIterator it = t.newIterator(IteratorOptions.builder().keysOnly(true).build())) {
        for (it.rewind(); it.valid(); it.next()) {
          out.add(new String(it.item().key()));
        }
      }
      return out;
    });
  }

  /** Entries (every version, tombstones too) in the tables whose keys start with {@code p}. */
  private static long entriesInTables(SettDb db, String p) {
    long n = 0;
    try (var snapshot = db.tables()) {
      for (EntryIterator it : snapshot.iterators()) {
        try (it) {
          for (it.seekToFirst(); it.valid(); it.next()) {
            if (new String(it.key()).startsWith(p)) {
              n++;
            }
          }
        }
      }
    }
    return n;
  }

  private static long tableBytes(DbStats s) {
    return s.levels().stream().mapToLong(LevelStats::bytes).sum();
  }

  private static long valueLogBytes(DbStats s) {
    return s.valueLogFiles().stream().mapToLong(ValueLogFileStats::sizeBytes).sum();
  }

  private static void fill(Db db, String prefix, int n, int valueSize, Random rnd) {
    for (int i = 0; i < n; i += 20) {
      int from = i;
      db.update(t -> {
        for (int k = from; k < Math.min(n, from + 20); k++) {
          byte[] v = new byte[valueSize];
          rnd.nextBytes(v);
          t.set(b(prefix + String.format("%05d", k)), v);
        }
      });
    }
  }

  @Test
  void dropPrefix_deletesExactlyTheKeysUnderThePrefixes_andReclaimsTheirSpace() {
    long seed = System.nanoTime();
    System.out.println("DropTest seed " + seed);
    Random rnd = new Random(seed);
    try (Db db = Db.open(tree().build())) {
      fill(db, "big/", 3000, 600, rnd); // in the value log
      fill(db, "bigger/", 300, 40, rnd); // "big" is not its prefix
      fill(db, "small/", 1000, 40, rnd);
      fill(db, "a", 200, 40, rnd);
      db.flatten(1);
      DbStats before = db.stats();
      List<String> expected = new ArrayList<>(keys(db));
      expected.removeIf(k -> k.startsWith("big/") || k.startsWith("a"));
      long dropped = db.dropPrefix(b("big/"), b("a0"), b("a"), b("big/000")); // overlapping ones
      assertEquals(3200, dropped);
      assertEquals(expected, keys(db));
      // Table bytes are no measure here: what sat in the memtable before is in tables now.
      DbStats after = db.stats();
      assertEquals(0, entriesInTables((SettDb) db, "big/") + entriesInTables((SettDb) db, "a"),
          "no version and no tombstone of a dropped key is left in a table");
      assertTrue(entriesInTables((SettDb) db, "small/") >= 1000);
      assertTrue(valueLogBytes(after) < valueLogBytes(before) * 0.3,
          "value log " + valueLogBytes(before) + " -> " + valueLogBytes(after));
    }
    try (Db db = Db.open(tree().build())) {
      assertEquals(1300, keys(db).size(), "dropped keys stay dropped after reopen");
      assertNull(db.view(t -> t.get(b("big/00001"))));
      assertNotNull(db.view(t -> t.get(b("bigger/00001"))));
    }
  }

  @Test
  void dropAll_deletesEverything_andTheDatabaseGoesOn() {
    try (Db db = Db.open(tree().build())) {
      fill(db, "x/", 2000, 500, new Random(1));
      fill(db, "y/", 2000, 30, new Random(2));
      db.flatten(1);
      long vlogBefore = valueLogBytes(db.stats());
      assertEquals(4000, db.dropAll());
      assertEquals(List.of(), keys(db));
      DbStats s = db.stats();
      assertEquals(0, tableBytes(s), "no table holds anything: " + s.levels());
      assertTrue(valueLogBytes(s) < vlogBefore * 0.2, vlogBefore + " -> " + valueLogBytes(s));
      assertEquals(0, db.dropAll(), "nothing left to drop");
      db.update(t -> t.set(b("x/new"), b("v")));
      assertEquals(List.of("x/new"), keys(db));
    }
  }

  @Test
  void aSnapshotFromBeforeTheDrop_stillReadsTheDroppedKeys() {
    try (Db db = Db.open(tree().build())) {
      fill(db, "p/", 500, 300, new Random(3));
      try (Txn before = db.newTransaction(false)) {
        db.dropPrefix(b("p/"));
        assertEquals(List.of(), keys(db));
        assertNotNull(before.get(b("p/00007")));
        assertEquals(300, before.get(b("p/00499")).value().length);
        int n = 0;
        try (KvIterator it = before.newIterator(IteratorOptions.DEFAULT)) {
          for (it.rewind(); it.valid(); it.next()) {
            it.item().value(); // values in the value log are still there for it
            n++;
          }
        }
        assertEquals(500, n);
      }
    }
  }

  @Test
  void commitsBesideTheDrop_newKeysSurviveIt_andReadersGoOn() throws Exception {
    try (Db db = Db.open(tree().build())) {
      fill(db, "p/", 2000, 100, new Random(4));
      AtomicBoolean dropping = new AtomicBoolean(true);
      AtomicReference<Throwable> failed = new AtomicReference<>();
      CountDownLatch started = new CountDownLatch(2);
      TreeMap<String, String> fresh = new TreeMap<>();
      Thread writer = new Thread(() -> {
        try {
          started.countDown();
          for (int i = 0; dropping.get() || i < 50; i++) {
            String k = "p/new" + i; // did not exist when the drop began
            db.update(t -> t.set(b(k), b("v")));
            synchronized (fresh) {
              fresh.put(k, "v");
            }
          }
        } catch (Throwable t) {
          failed.set(t);
        }
      });
      Thread reader = new Thread(() -> {
        try {
          started.countDown();
          while (dropping.get()) {
            db.view(t -> t.get(b("p/00001")));
          }
        } catch (Throwable t) {
          failed.set(t);
        }
      });
      Thread syncer = new Thread(() -> { // sync() beside the drop never fails nor hangs
        try {
          while (dropping.get()) {
            db.sync();
          }
        } catch (Throwable t) {
          failed.set(t);
        }
      });
      writer.start();
      reader.start();
      syncer.start();
      started.await();
      long dropped;
      try {
        dropped = db.dropPrefix(b("p/0"));
      } finally {
        dropping.set(false);
      }
      writer.join();
      reader.join();
      syncer.join();
      assertNull(failed.get());
      assertEquals(2000, dropped);
      List<String> left = keys(db);
      assertEquals(new ArrayList<>(fresh.keySet()), left, "exactly the new keys are left");
      db.update(t -> t.set(b("p/00001"), b("after")));
      assertEquals("after", db.view(t -> new String(t.get(b("p/00001")).value())));
    }
  }

  @Test
  void aDropBesideClose_endsOrFailsClearly_andTheDatabaseReopens() throws Exception {
    Db db = Db.open(tree().build());
    fill(db, "p/", 3000, 300, new Random(5));
    AtomicReference<Object> outcome = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    Thread drop = new Thread(() -> {
      started.countDown();
      try {
        outcome.set(db.dropPrefix(b("p/")));
      } catch (RuntimeException e) {
        outcome.set(e);
      }
    });
    drop.start();
    started.await();
    db.close();
    drop.join(60_000);
    assertTrue(!drop.isAlive(), "the drop ended");
    Object o = outcome.get();
    assertTrue(o instanceof Long || o instanceof DbClosedException
        || o instanceof dev.sett.kv.KvException, "finished, or failed clearly: " + o);
    try (Db again = Db.open(tree().build())) {
      List<String> left = keys(again);
      assertTrue(left.size() <= 3000, "" + left.size());
      if (o instanceof Long) {
        assertEquals(List.of(), left, "a drop that returned deleted everything");
      }
      again.update(t -> t.set(b("p/after"), b("v")));
    }
  }

  @Test
  void misuse_isRefused_andTheDatabaseGoesOn() {
    try (Db db = Db.open(Options.inMemory().memTableSize(256 << 10).build())) {
      db.update(t -> t.set(b("k"), b("v")));
      assertThrows(IllegalArgumentException.class, () -> db.dropPrefix());
      assertThrows(NullPointerException.class, () -> db.dropPrefix((byte[][]) null));
      assertThrows(NullPointerException.class, () -> db.dropPrefix(b("a"), null));
      assertThrows(IllegalArgumentException.class,
          () -> db.dropPrefix(new byte[Options.MAX_KEY_SIZE + 1]));
      assertEquals(0, db.dropPrefix(b("nothing-here")));
      assertEquals("v", db.view(t -> new String(t.get(b("k")).value())));
    }
    try (Db db = Db.open(Options.inMemory().memTableSize(256 << 10).managedTxns(true).build())) {
      IllegalStateException e = assertThrows(IllegalStateException.class, db::dropAll);
      assertTrue(e.getMessage().contains("newWriteBatchAt"), e.getMessage());
    }
    Db closed = Db.open(Options.inMemory().memTableSize(256 << 10).build());
    closed.close();
    assertThrows(DbClosedException.class, closed::dropAll);
  }
}
