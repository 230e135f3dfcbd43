package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DbStats;
import dev.sett.kv.Entry;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import dev.sett.kv.ValueLogFileStats;
import dev.sett.kv.testkit.TestSeeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Value log garbage collection against the hazards Badger met (badger-notes §8.4): a rewritten
 * value keeps its version, TTL and user meta; a key deleted or overwritten before or while GC
 * runs never comes back; a snapshot, an item or an iterator from before a rewrite keeps reading
 * until it is closed, and only then does the file go; several versions kept by {@code
 * numVersionsToKeep} survive; the space comes back.
 */
class ValueLogGcTest {
  @TempDir Path dir;

  /** Every value separated, 1 MiB value log files, no background rounds (called by hand). */
  private Options.Builder options() {
    return LsmModelTest.separateValues(LsmModelTest.smallTree(dir), 0)
        .valueLogGcInterval(Duration.ZERO);
  }

  private static byte[] key(int i) {
    return String.format("key%05d", i).getBytes();
  }

  private static byte[] value(int i, int round, int size) {
    byte[] v = new byte[size];
    Arrays.fill(v, (byte) (i * 31 + round));
    v[0] = (byte) round;
    return v;
  }

  private long vlogFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".vlog")).count();
    }
  }

  private static long vlogBytes(Db db) {
    return db.stats().valueLogFiles().stream().mapToLong(ValueLogFileStats::sizeBytes).sum();
  }

  /** Writes {@code n} keys {@code rounds} times; the last round's values are the live ones. */
  private static void overwrite(Db db, int n, int rounds, int size) {
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < n; i += 10) {
        int from = i;
        int r = round;
        db.update(t -> {
          for (int j = from; j < Math.min(n, from + 10); j++) {
            t.set(key(j), value(j, r, size));
          }
        });
      }
    }
  }

  /** Writes keys outside every test's range, so the value log moves on to new files. */
  private static void pad(Db db, int megabytes) {
    for (int i = 0; i < megabytes * 16; i++) {
      int id = i;
      db.update(t -> t.set(("pad" + (id % 32)).getBytes(), value(id, 1, 64 << 10)));
    }
  }

  private static void checkAll(Db db, int n, int round, int size) {
    db.view(t -> {
      for (int i = 0; i < n; i++) {
        Item it = t.get(key(i));
        assertNotNull(it, "key " + i);
        assertArrayEquals(value(i, round, size), it.value(), "key " + i);
      }
      return null;
    });
  }

  @Test
  void overwrittenValues_areCollected_liveOnesKeepTheirVersionTtlAndUserMeta() throws IOException {
    Options o = options().build();
    long before;
    Map<Integer, Long> versions = new HashMap<>();
    try (Db db = Db.open(o)) {
      // Keys 0..99 written once, with TTL and user meta, and never touched again: they are
      // the live values GC must move. Keys 100..1099 are overwritten 4 times.
      for (int i = 0; i < 100; i++) {
        int id = i;
        db.update(t -> t.setEntry(Entry.of(key(id), value(id, 9, 700))
            .withUserMeta((byte) (id % 7)).withExpiresAt(4_000_000_000L + id)));
      }
      overwrite(db, 1100, 1, 700);
      for (int i = 0; i < 100; i++) { // keys 0..99 again: back to their TTL entries
        int id = i;
        db.update(t -> t.setEntry(Entry.of(key(id), value(id, 9, 700))
            .withUserMeta((byte) (id % 7)).withExpiresAt(4_000_000_000L + id)));
      }
      for (int round = 1; round < 5; round++) {
        int r = round;
        for (int i = 100; i < 1100; i++) {
          int id = i;
          db.update(t -> t.set(key(id), value(id, r, 700)));
        }
      }
      db.view(t -> {
        for (int i = 0; i < 1100; i++) {
          versions.put(i, t.get(key(i)).version());
        }
        return null;
      });
      db.flatten(1); // compactions count the overwritten values as garbage
      before = vlogBytes(db);
      assertTrue(db.stats().valueLogGarbageBytes() > before / 2,
          "garbage found: " + db.stats().valueLogGarbageBytes() + " of " + before);
      int rounds = 0;
      while (db.runValueLogGc(0.5)) {
        rounds++;
        assertTrue(rounds < 50, "GC keeps finding work");
      }
      assertTrue(rounds > 0, "GC rewrote nothing");
      long after = vlogBytes(db);
      assertTrue(after < before / 2, "value log " + before + " -> " + after + " bytes");
      check(db, versions);
      assertFalse(db.runValueLogGc(0.5), "a second pass finds nothing more");
    }
    try (Db db = Db.open(o)) {
      check(db, versions);
      db.flatten(1); // the old and the rewritten copies meet: the rewritten one must win
      check(db, versions);
    }
  }

  private static void check(Db db, Map<Integer, Long> versions) {
    db.view(t -> {
      for (int i = 0; i < 1100; i++) {
        Item it = t.get(key(i));
        assertNotNull(it, "key " + i);
        assertEquals(versions.get(i), it.version(), "version of key " + i);
        if (i < 100) {
          assertArrayEquals(value(i, 9, 700), it.value(), "key " + i);
          assertEquals((byte) (i % 7), it.userMeta(), "user meta of key " + i);
          assertEquals(4_000_000_000L + i, it.expiresAt(), "expiry of key " + i);
        } else {
          assertArrayEquals(value(i, 4, 700), it.value(), "key " + i);
        }
      }
      return null;
    });
  }

  /**
   * Badger #2286 and the exact-version probe hazard: a version shadowed by a newer tombstone (or
   * a newer value) in another level is not rewritten, so no compaction order brings it back.
   */
  @Test
  void shadowedVersions_areNotRewritten_soDeletedKeysStayDeleted() throws IOException {
    Options o = options().build();
    try (Db db = Db.open(o)) {
      overwrite(db, 1000, 1, 800); // every key once, in the first files
      db.flatten(1); // down to the bottom level
      for (int i = 0; i < 1000; i += 2) { // delete the even keys: tombstones above
        byte[] k = key(i);
        db.update(t -> t.delete(k));
      }
      for (int i = 1; i < 1000; i += 4) { // overwrite some odd keys
        int id = i;
        db.update(t -> t.set(key(id), value(id, 7, 800)));
      }
      pad(db, 2); // the old files are no longer the active one
      db.flatten(1);
      while (db.runValueLogGc(0.01)) {
        // every file with any known garbage
      }
      verifyDeletes(db);
    }
    try (Db db = Db.open(o)) {
      verifyDeletes(db);
      db.flatten(1);
      verifyDeletes(db);
    }
  }

  private static void verifyDeletes(Db db) {
    db.view(t -> {
      for (int i = 0; i < 1000; i++) {
        Item it = t.get(key(i));
        if (i % 2 == 0) {
          assertNull(it, "deleted key " + i + " came back");
        } else if (i % 4 == 1) {
          assertArrayEquals(value(i, 7, 800), it.value(), "key " + i);
        } else {
          assertArrayEquals(value(i, 0, 800), it.value(), "key " + i);
        }
      }
      return null;
    });
  }

  /**
   * A snapshot, an item and an iterator from before a rewrite keep reading versions that GC did
   * not move (they were overwritten after the snapshot began); the file goes once they close.
   */
  @Test
  void readersFromBeforeTheRewrite_keepReading_andTheFileGoesWhenTheyClose() throws IOException {
    Options o = options().build();
    try (Db db = Db.open(o)) {
      overwrite(db, 1500, 1, 1000); // keys 0..999 (A) and 1000..1499 (B), round 0
      overwrite(db, 1000, 1, 1000); // A again: round 0 of A is garbage...
      for (int i = 0; i < 1000; i++) {
        int id = i;
        db.update(t -> t.set(key(id), value(id, 1, 1000)));
      }
      db.flatten(1); // ...which compactions now count
      Txn old = db.newTransaction(false);
      Item item = old.get(key(1200));
      KvIterator it = old.newIterator(IteratorOptions.DEFAULT);
      it.rewind();
      for (int i = 1000; i < 1500; i++) { // B changes after the snapshot began
        int id = i;
        db.update(t -> t.set(key(id), value(id, 2, 1000)));
      }
      pad(db, 2);
      db.flatten(1);
      long filesBefore = vlogFiles();
      assertTrue(db.runValueLogGc(0.3), "something to collect");
      SettDb s = (SettDb) db;
      assertTrue(s.valueLogGc().pendingFiles() > 0,
          "the rewritten files wait for the old snapshot");
      // The snapshot still reads round 0 of B, which only the collected files hold.
      assertArrayEquals(value(1200, 0, 1000), item.value());
      for (int i = 1000; i < 1500; i++) {
        assertArrayEquals(value(i, 0, 1000), old.get(key(i)).value(), "snapshot key " + i);
      }
      int seen = 0;
      for (; it.valid(); it.next()) {
        int i = seen < 1000 ? 0 : seen; // skip A: any round; check B below
        if (seen >= 1000 && seen < 1500) {
          assertArrayEquals(value(i, 0, 1000), it.item().value(), "iterator key " + seen);
        } else {
          assertNotNull(it.item().value());
        }
        seen++;
      }
      assertTrue(seen >= 1500, "iterated " + seen);
      it.close();
      old.close();
      db.runValueLogGc(0.3);
      assertEquals(0, s.valueLogGc().pendingFiles(), "deleted once the snapshot closed");
      assertTrue(vlogFiles() < filesBefore, vlogFiles() + " files, " + filesBefore + " before");
      db.view(t -> {
        for (int i = 0; i < 1500; i++) {
          assertArrayEquals(value(i, i < 1000 ? 1 : 2, 1000), t.get(key(i)).value(),
              "key " + i);
        }
        return null;
      });
    }
  }

  /** With {@code numVersionsToKeep} 3, the three newest versions all survive the rewrite. */
  @Test
  void keptOlderVersions_areRewrittenToo() throws IOException {
    Options o = options().numVersionsToKeep(3).build();
    try (Db db = Db.open(o)) {
      for (int round = 0; round < 5; round++) {
        overwrite(db, 300, 1, 600 + round); // distinct sizes tell the versions apart
        int r = round;
        for (int i = 0; i < 300; i++) {
          int id = i;
          db.update(t -> t.set(key(id), value(id, r, 600 + r)));
        }
      }
      pad(db, 2); // move past the first files
      db.flatten(1);
      while (db.runValueLogGc(0.2)) {
        // all files with garbage
      }
      db.flatten(1);
      db.view(t -> {
        for (int i = 0; i < 300; i++) {
          List<Integer> sizes = new ArrayList<>();
          try (KvIterator it = t.newKeyIterator(key(i),
              IteratorOptions.builder().allVersions(true).build())) {
            for (it.rewind(); it.valid(); it.next()) {
              byte[] v = it.item().value();
              sizes.add(v.length);
            }
          }
          assertEquals(List.of(604, 604, 603), sizes.subList(0, Math.min(3, sizes.size())),
              "newest versions of key " + i);
        }
        return null;
      });
    }
  }

  /**
   * Writers overwrite and delete keys while GC rounds and compactions run: every key ends as
   * the model says, before and after a reopen (a rewrite racing a delete must lose).
   */
  @Test
  void concurrentOverwritesAndDeletes_neverComeBack(TestInfo info) throws Exception {
    long seed = TestSeeds.seed(info);
    Options o = options().valueLogMaxEntries(300).build();
    int keys = 400;
    Map<Integer, byte[]> model = new ConcurrentHashMap<>();
    try (Db db = Db.open(o)) {
      AtomicBoolean done = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int wid = w;
        writers.add(new Thread(() -> {
          Random r = new Random(seed + wid);
          try {
            for (int n = 0; n < 6000; n++) {
              int k = wid + 2 * r.nextInt(keys / 2); // each writer owns half the keys
              if (r.nextInt(5) == 0) {
                db.update(t -> t.delete(key(k)));
                model.remove(k);
              } else {
                byte[] v = value(k, n, 100 + r.nextInt(400));
                db.update(t -> t.set(key(k), v));
                model.put(k, v);
              }
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        }));
      }
      Thread gc = new Thread(() -> {
        try {
          while (!done.get()) {
            db.runValueLogGc(0.05);
            db.flatten(1);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      writers.forEach(Thread::start);
      gc.start();
      for (Thread t : writers) {
        t.join();
      }
      done.set(true);
      gc.join();
      if (failure.get() != null) {
        throw new AssertionError("seed " + TestSeeds.format(seed), failure.get());
      }
      while (db.runValueLogGc(0.05)) {
        // collect what is left, then check
      }
      verifyModel(db, model, keys, seed);
      DbStats st = db.stats();
      assertTrue(st.valueLogFiles().size() < 40, "files collected: " + st.valueLogFiles());
    }
    try (Db db = Db.open(o)) {
      verifyModel(db, model, keys, seed);
      db.flatten(1);
      verifyModel(db, model, keys, seed);
    }
  }

  private static void verifyModel(Db db, Map<Integer, byte[]> model, int keys, long seed) {
    db.view(t -> {
      for (int k = 0; k < keys; k++) {
        Item it = t.get(key(k));
        byte[] want = model.get(k);
        if (want == null) {
          assertNull(it, "key " + k + " came back, seed " + TestSeeds.format(seed));
        } else {
          assertNotNull(it, "key " + k + " lost, seed " + TestSeeds.format(seed));
          assertArrayEquals(want, it.value(), "key " + k + ", seed " + TestSeeds.format(seed));
        }
      }
      return null;
    });
  }

  /**
   * Without compactions nothing counts garbage (Badger's GC then does nothing, §8.1): rounds
   * sample sealed files and still find and collect the overwritten values.
   */
  @Test
  void withoutCompactions_sampling_findsTheGarbage() throws IOException {
    Options o = options().numCompactors(0).numLevelZeroTablesStall(1000).build();
    try (Db db = Db.open(o)) {
      overwrite(db, 500, 20, 1000);
      long before = vlogBytes(db);
      assertEquals(0, db.stats().valueLogGarbageBytes(), "no compaction counted garbage");
      int rounds = 0;
      while (db.runValueLogGc(0.5)) {
        assertTrue(++rounds < 100, "GC keeps finding work");
      }
      long after = vlogBytes(db);
      // 500 KB live: what is left is the live data, the active file and its neighbours.
      assertTrue(after < before / 3, "value log " + before + " -> " + after + " bytes");
      checkAll(db, 500, 19, 1000);
    }
    try (Db db = Db.open(o)) {
      checkAll(db, 500, 19, 1000);
    }
  }

  /**
   * The same keys overwritten inside one large file: the file being written is mostly garbage,
   * so a round seals it (even with no write coming), and the next rounds collect it.
   */
  @Test
  void aMostlyGarbageFileBeingWritten_isSealed_thenCollected() throws IOException {
    Options o = options().valueLogFileSize(8 << 20).build(); // sampled from 2 MiB on
    try (Db db = Db.open(o)) {
      overwrite(db, 100, 50, 1000); // 5 MB, all in the first file
      assertEquals(1, db.stats().valueLogFiles().size());
      assertTrue(db.runValueLogGc(0.5), "samples the file being written and seals it");
      assertEquals(2, db.stats().valueLogFiles().size(), "sealed: " + db.stats().valueLogFiles());
      overwrite(db, 100, 1, 1000); // round 0 again, in the new file
      int rounds = 0;
      while (db.runValueLogGc(0.5)) {
        assertTrue(++rounds < 20, "GC keeps finding work");
      }
      assertTrue(vlogBytes(db) < (1 << 20), "left " + db.stats().valueLogFiles());
      checkAll(db, 100, 0, 1000);
    }
  }

  @Test
  void background_rounds_collectByThemselves() throws Exception {
    Options o = options().valueLogGcInterval(Duration.ofMillis(20))
        .valueLogGcDiscardRatio(0.3).build();
    try (Db db = Db.open(o)) {
      overwrite(db, 500, 20, 1000);
      db.flatten(1);
      SettDb s = (SettDb) db;
      // Keep writing (memtables rotate and flush, so rewritten files may go) until the
      // background thread has deleted a file; bounded by the test timeout of the build.
      int round = 20;
      do {
        overwrite(db, 500, 1, 1000);
        db.flatten(1);
        round++;
        assertTrue(round < 2000, "the background rounds never deleted a file");
      } while (s.valueLogGc().filesDeleted() == 0);
      checkAll(db, 500, 0, 1000);
    }
  }

  /**
   * A table of rewritten values holds old versions only; level 0 orders it by the rewrite's
   * commit, above the older table that still points into the collected file. An L0->L0
   * compaction of it must keep that place: before the fix its output was ordered by its entries'
   * versions, fell below the older table, and reads followed the old pointer into the deleted
   * file (CorruptionException).
   */
  @Test
  void levelZeroCompactionOfRewrittenValues_keepsThemAboveTheOldPointers() throws IOException,
      InterruptedException {
    Options o = options().valueLogMaxEntries(4).numCompactors(0).numLevelZeroTablesStall(1000)
        .build();
    byte[] a = "a".getBytes();
    byte[] value = value(1, 1, 100);
    SettDb db = (SettDb) Db.open(o);
    try {
      db.update(t -> t.set(a, value)); // version 1, in 000001.vlog
      for (int i = 0; i < 3; i++) { // b@2..b@4: two of them garbage, 000001.vlog is full
        int round = i;
        db.update(t -> t.set("b".getBytes(), value(2, round, 100)));
      }
      db.update(t -> t.set("c".getBytes(), value(3, 0, 100))); // 000002.vlog
      db.close(); // flushes: one L0 table, newest version 5, with a@1 -> 000001.vlog
      db = (SettDb) Db.open(o);
      assertTrue(db.runValueLogGc(0.3), "000001.vlog is half garbage");
      assertFalse(Files.exists(dir.resolve("000001.vlog")), "collected and deleted");
      List<Long> l0 = db.levels().tableIds().get(0);
      assertEquals(2, l0.size(), "the old table and the rewrite's: " + l0);
      long rewrites = java.util.Collections.max(l0);
      assertTrue(db.levels().compactNow(new dev.sett.kv.spi.CompactionStrategy.Plan(
          List.of(new dev.sett.kv.spi.CompactionStrategy.Input(0, List.of(rewrites))), 0,
          2 << 20, 1, "test L0->L0")));
      SettDb opened = db;
      db.view(t -> {
        assertArrayEquals(value, t.get(a).value(), "the rewritten value, not the old pointer");
        assertArrayEquals(value(2, 2, 100), t.get("b".getBytes()).value());
        return null;
      });
      assertEquals(2, opened.levels().tableIds().get(0).size());
    } finally {
      db.close();
    }
  }

  @Test
  void badRatio_isRejected_andAClosedDbRefuses() {
    Options o = options().build();
    Db db = Db.open(o);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> db.runValueLogGc(1.0));
    assertTrue(e.getMessage().contains("discardRatio"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> db.runValueLogGc(0));
    assertThrows(IllegalArgumentException.class, () -> db.runValueLogGc(Double.NaN));
    assertFalse(db.runValueLogGc(0.5), "nothing to collect in an empty database");
    db.close();
    assertThrows(dev.sett.kv.DbClosedException.class, () -> db.runValueLogGc(0.5));
    assertThrows(IllegalArgumentException.class,
        () -> Options.builder(dir).valueLogGcDiscardRatio(1.5));
    assertThrows(IllegalArgumentException.class,
        () -> Options.builder(dir).valueLogGcInterval(Duration.ofSeconds(-1)));
  }

  /**
   * GC rounds (background every millisecond, and by hand from a thread that is interrupted at
   * random) beside commits, {@code sync()} and then {@code close()}: nothing hangs, the writers
   * see no failure, an interrupt harms only the interrupted GC call, and every acknowledged write
   * is there after a reopen.
   */
  @Test
  void gcBesideSyncCloseAndInterrupts_hangsNothing_andLosesNothing(TestInfo info)
      throws Exception {
    long seed = TestSeeds.seed(info);
    Options o = options().valueLogMaxEntries(200).valueLogGcInterval(Duration.ofMillis(1))
        .valueLogGcDiscardRatio(0.1).build();
    Map<Integer, byte[]> acked = new ConcurrentHashMap<>();
    Map<Integer, byte[]> attempted = new ConcurrentHashMap<>(); // committed or not, unknown
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Db db = Db.open(o);
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      Random r = new Random(seed);
      try {
        for (int n = 0; !stop.get(); n++) {
          int k = r.nextInt(200);
          byte[] v = value(k, n, 200 + r.nextInt(600));
          attempted.put(k, v);
          db.update(t -> t.set(key(k), v));
          acked.put(k, v);
          if (n % 50 == 0) {
            db.sync();
          }
        }
      } catch (dev.sett.kv.DbClosedException closing) {
        // close() came
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      }
    });
    Thread collector = new Thread(() -> {
      while (!stop.get()) {
        try {
          db.runValueLogGc(0.05);
        } catch (dev.sett.kv.DbClosedException closing) {
          return;
        } catch (dev.sett.kv.StorageException e) {
          if (!Thread.interrupted() && !(e.getCause() instanceof java.io.InterruptedIOException)) {
            failure.compareAndSet(null, e); // only an interrupt may fail a round
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
        Thread.interrupted(); // the flag belongs to the call it interrupted
      }
    });
    writer.start();
    collector.start();
    Random chaos = new Random(seed ^ 1);
    for (int i = 0; i < 300 && failure.get() == null; i++) {
      if (chaos.nextInt(4) == 0) {
        collector.interrupt();
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      db.close(); // while the writer commits and a GC round may be waiting for a flush
      stop.set(true);
      writer.join();
      collector.join();
    }, "close, the writer or the collector hung; seed " + TestSeeds.format(seed));
    if (failure.get() != null) {
      throw new AssertionError("seed " + TestSeeds.format(seed), failure.get());
    }
    try (Db again = Db.open(o)) {
      again.view(t -> {
        for (Map.Entry<Integer, byte[]> e : acked.entrySet()) {
          Item it = t.get(key(e.getKey()));
          assertNotNull(it, "key " + e.getKey() + ", seed " + TestSeeds.format(seed));
          // The last write of a key is acknowledged, or it was the one close() cut short.
          byte[] got = it.value();
          assertTrue(Arrays.equals(e.getValue(), got)
              || Arrays.equals(attempted.get(e.getKey()), got),
              "key " + e.getKey() + " holds neither its acknowledged nor its last value, seed "
                  + TestSeeds.format(seed));
        }
        return null;
      });
    }
  }
}
