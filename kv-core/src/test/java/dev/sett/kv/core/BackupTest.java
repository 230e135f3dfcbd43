package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.kv.ConflictException;
import dev.sett.kv.CorruptionException;
import dev.sett.kv.Db;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.Entry;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import dev.sett.kv.LoadResult;
import dev.sett.kv.Options;
import dev.sett.kv.StorageException;
import dev.sett.kv.Txn;
import dev.sett.kv.UnsupportedFormatException;
import dev.sett.kv.WriteBatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Db#backup} and {@link Db#load}: a backup loaded into an empty database is equal at every
 * version (several versions per key, TTLs, deletes, values in the value log, managed and
 * non-managed), incremental backups, damaged and truncated backups (every byte flipped, every
 * prefix), what a failed load leaves, the rule that a database's own newer versions win, commits
 * beside a load, and misuse.
 */
class BackupTest {
  @TempDir Path dir;
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InstantSource clock = () -> Instant.ofEpochSecond(now.get());

  private Options.Builder tree(String name) {
    // Small memtables and tables: flushes and compactions run; large values go to the value log.
    return LsmModelTest.separateValues(LsmModelTest.smallTree(dir.resolve(name)), 256)
        .clock(clock);
  }

  /** An in-memory database with small memtables: quick to open, hundreds of times. */
  private static Options.Builder small() {
    return Options.inMemory().memTableSize(256 << 10).blockCacheSize(1 << 20)
        .indexCacheSize(1 << 20);
  }

  private static byte[] value(Random rnd, int ts) {
    byte[] v = new byte[rnd.nextInt(4) == 0 ? 300 + rnd.nextInt(700) : 1 + rnd.nextInt(40)];
    rnd.nextBytes(v);
    v[0] = (byte) ts;
    return v;
  }

  /** Every version an allVersions iterator shows, as text: key, version, kind, meta, value. */
  private static List<String> dump(Db db) {
    return db.view(txn -> {
      List<String> out = new ArrayList<>();
      try (KvIterator it = txn.newIterator(IteratorOptions.builder().allVersions(true).build())) {
        for (it.rewind(); it.valid(); it.next()) {
          Item item = it.item();
          out.add(Arrays.toString(item.key()) + "@" + item.version() + " "
              + (item.isDeletedOrExpired() ? "gone" : Arrays.hashCode(item.value()))
              + " um" + item.userMeta() + " exp" + item.expiresAt());
        }
      }
      return out;
    });
  }

  private static byte[] backup(Db db, long since, long[] ts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ts[0] = db.backup(out, since);
    return out.toByteArray();
  }

  private static LoadResult load(Db db, byte[] backup) {
    return db.load(new ByteArrayInputStream(backup), 4);
  }

  @Test
  void fullBackup_loadedIntoAnEmptyManagedDatabase_readsAlikeAtEveryTimestamp() {
    long seed = System.nanoTime();
    System.out.println("BackupTest seed " + seed);
    Random rnd = new Random(seed);
    int maxTs = 400;
    byte[][] keys = new byte[40][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = b(String.format("key%03d", i));
    }
    byte[] backup;
    try (Db src = Db.open(tree("src").managedTxns(true).build())) {
      for (int ts = 1; ts <= maxTs; ts++) {
        try (Txn t = src.newTransactionAt(ts - 1, true)) {
          for (int n = 0; n < 3; n++) {
            byte[] k = keys[rnd.nextInt(keys.length)];
            switch (rnd.nextInt(6)) {
              case 0 -> t.delete(k);
              case 1 -> t.setEntry(Entry.of(k, value(rnd, ts)).withUserMeta((byte) ts)
                  .withTtl(Duration.ofSeconds(1 + rnd.nextInt(20))));
              default -> t.set(k, value(rnd, ts));
            }
          }
          t.commitAt(ts);
        }
      }
      now.addAndGet(10); // some TTLs have run out, others not
      long[] ts = new long[1];
      backup = backup(src, 0, ts);
      assertEquals(maxTs, ts[0], "managed: the snapshot is at the highest commit");
      try (Db dst = Db.open(tree("dst").managedTxns(true).build())) {
        LoadResult r = load(dst, backup);
        assertEquals(r.records(), r.loaded());
        assertEquals(0, r.skipped());
        for (int t = 0; t <= maxTs + 1; t++) {
          for (byte[] k : keys) {
            assertSameAt(src, dst, k, t);
          }
        }
        assertEquals(dump(src), dump(dst));
        assertTrue(dump(dst).size() > keys.length, "several versions per key");
      }
    }
  }

  private static void assertSameAt(Db a, Db b, byte[] key, long ts) {
    String x = readAt(a, key, ts);
    String y = readAt(b, key, ts);
    assertEquals(x, y, "key " + new String(key) + " at " + ts);
  }

  private static String readAt(Db db, byte[] key, long ts) {
    try (Txn t = db.newTransactionAt(ts, false)) {
      Item it = t.get(key);
      return it == null ? null
          : it.version() + ":" + Arrays.toString(it.value()) + ":" + it.userMeta() + ":"
              + it.expiresAt();
    }
  }

  @Test
  void incrementalBackups_holdOnlyNewerVersions_andLoadInOrderOntoTheFullOne() {
    byte[] full;
    byte[] incremental;
    long[] ts1 = new long[1];
    long[] ts2 = new long[1];
    List<String> expected;
    try (Db src = Db.open(tree("src").numVersionsToKeep(3).build())) {
      for (int i = 0; i < 300; i++) {
        int n = i;
        src.update(t -> t.set(b("k" + (n % 50)), b("first" + n)));
      }
      full = backup(src, 0, ts1);
      for (int i = 0; i < 200; i++) {
        int n = i;
        src.update(t -> {
          if (n % 7 == 0) {
            t.delete(b("k" + (40 + n % 30)));
          } else {
            t.set(b("k" + (40 + n % 30)), b("second" + n));
          }
        });
      }
      incremental = backup(src, ts1[0], ts2);
      assertTrue(ts2[0] > ts1[0]);
      expected = dump(src);
    }
    try (Db dst = Db.open(tree("dst").numVersionsToKeep(3).build())) {
      LoadResult a = load(dst, full);
      LoadResult b = load(dst, incremental);
      assertEquals(0, a.sinceTs());
      assertEquals(ts1[0], a.readTs());
      assertEquals(ts1[0], b.sinceTs());
      assertEquals(ts2[0], b.readTs());
      assertEquals(0, b.skipped());
      assertTrue(b.records() > 0 && b.records() < expected.size(), "only the newer versions");
      assertEquals(expected, dump(dst));
      dst.update(t -> t.set(b("after"), b("x")));
      assertTrue(dst.view(t -> t.get(b("after")).version()) > ts2[0],
          "commits after a load are newer than everything it wrote");
    }
    // Reopened: the loaded versions are durable and the timestamps still above them.
    try (Db dst = Db.open(tree("dst").numVersionsToKeep(3).build())) {
      List<String> after = dump(dst);
      after.removeIf(s -> s.startsWith(Arrays.toString(b("after"))));
      assertEquals(expected, after);
    }
  }

  /** A small backup: a few keys, a delete, a TTL, two blocks' worth of values. */
  private byte[] sampleBackup(String name) {
    try (Db src = Db.open(tree(name).build())) {
      src.update(t -> t.set(b("a"), b("1")));
      src.update(t -> t.setEntry(Entry.of(b("b"), b("2")).withUserMeta((byte) 7)
          .withTtl(Duration.ofHours(1))));
      src.update(t -> t.delete(b("c")));
      src.update(t -> t.set(b("d"), new byte[600]));
      return backup(src, 0, new long[1]);
    }
  }

  @Test
  void everyFlippedByte_isRefusedWithItsOffset_andLoadsNothingWrong() {
    byte[] good = sampleBackup("src");
    List<String> expected;
    try (Db dst = Db.open(small().build())) {
      load(dst, good);
      expected = dump(dst);
    }
    for (int pos = 0; pos < good.length; pos++) {
      byte[] bad = good.clone();
      bad[pos] ^= 0x10;
      try (Db dst = Db.open(small().build())) {
        try {
          load(dst, bad);
          fail("a backup with byte " + pos + " flipped loaded");
        } catch (CorruptionException e) {
          assertTrue(e.offset() >= 0 && e.offset() <= pos, "byte " + pos + ": " + e);
          assertTrue(e.getMessage().contains("backup"), e.getMessage());
        } catch (UnsupportedFormatException e) {
          assertTrue(pos >= 4 && pos < 8, "only the version and flag bytes: " + pos);
        }
        // Whatever was loaded before the damage is what the good backup holds.
        List<String> got = dump(dst);
        assertTrue(expected.containsAll(got), "byte " + pos + ": " + got);
      }
    }
  }

  @Test
  void everyTruncation_isRefusedWithItsOffset() {
    byte[] good = sampleBackup("src");
    for (int len = 0; len < good.length; len++) {
      byte[] cut = Arrays.copyOf(good, len);
      try (Db dst = Db.open(small().build())) {
        CorruptionException e = assertThrows(CorruptionException.class, () -> load(dst, cut),
            "truncated to " + len);
        assertTrue(e.offset() <= len, e.getMessage());
      }
    }
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    try (Db dst = Db.open(small().build())) {
      CorruptionException e = assertThrows(CorruptionException.class, () -> load(dst, longer));
      assertTrue(e.getMessage().contains("follows the end block"), e.getMessage());
    }
  }

  @Test
  void aLoadThatFailsPartWay_leavesWholeBatches_andLoadingAgainCompletesIt() {
    loadThatFailsPartWay(false);
  }

  @Test
  void aLoadIntoAnEmptyDatabaseThatFails_leavesItEmpty_andLoadingAgainLoadsAll() {
    loadThatFailsPartWay(true);
  }

  private void loadThatFailsPartWay(boolean empty) {
    List<String> expected;
    byte[] good;
    try (Db src = Db.open(tree("src").build())) {
      for (int i = 0; i < 3000; i++) {
        int n = i;
        src.update(t -> t.set(b(String.format("key%05d", n)), new byte[700]));
      }
      expected = dump(src);
      good = backup(src, 0, new long[1]);
    }
    assertTrue(good.length > 2 * BackupFormat.BLOCK_TARGET, "several blocks");
    byte[] bad = good.clone();
    bad[bad.length - 100] ^= 1; // in the last block
    try (Db dst = Db.open(tree("dst").build())) {
      if (!empty) {
        dst.update(t -> t.set(b("zzz"), b("mine"))); // after every loaded key
        expected = new ArrayList<>(expected);
        expected.addAll(dump(dst));
      }
      List<String> want = expected;
      assertThrows(CorruptionException.class, () -> load(dst, bad));
      List<String> partial = dump(dst);
      if (empty) {
        assertEquals(List.of(), partial, "all or nothing into an empty database");
        assertEquals(0, ((SettDb) dst).levels().tableIds().stream().mapToInt(List::size).sum(),
            "its tables were deleted");
      } else {
        partial.removeIf(s -> s.startsWith(Arrays.toString(b("zzz"))));
        assertTrue(!partial.isEmpty() && partial.size() < want.size() - 1, "" + partial.size());
        assertEquals(want.subList(0, partial.size()), partial, "a prefix of the records");
      }
      LoadResult again = load(dst, good);
      assertEquals(partial.size(), again.skipped(), "what was loaded is skipped");
      assertEquals(want, dump(dst));
    }
  }

  @Test
  void aStreamThatFails_stopsTheLoad_andTheDatabaseGoesOn() {
    byte[] good = sampleBackup("src");
    InputStream failing = new InputStream() {
      int n;

      @Override
      public int read() throws IOException {
        if (n == good.length / 2) {
          throw new IOException("disk gone");
        }
        return good[n++] & 0xff;
      }
    };
    try (Db dst = Db.open(small().build())) {
      StorageException e = assertThrows(StorageException.class, () -> dst.load(failing, 1));
      assertTrue(e.getMessage().contains("disk gone"), e.getMessage());
      dst.update(t -> t.set(b("x"), b("y")));
      assertEquals(4, load(dst, good).records());
    }
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("full");
      }
    };
    try (Db db = Db.open(small().build())) {
      db.update(t -> t.set(b("x"), b("y")));
      StorageException e = assertThrows(StorageException.class, () -> db.backup(broken, 0));
      assertTrue(e.getMessage().contains("full"), e.getMessage());
      db.update(t -> t.set(b("x"), b("z"))); // the snapshot was released, the database goes on
      try (Db other = Db.open(small().build())) {
        assertEquals(1, load(other, backup(db, 0, new long[1])).records());
      }
    }
  }

  @Test
  void theDatabasesOwnNewerVersionsWin_andLoadingTwiceWritesNothingTheSecondTime() {
    byte[] backup;
    try (Db src = Db.open(small().build())) {
      src.update(t -> t.set(b("a"), b("old-a")));
      src.update(t -> t.set(b("b"), b("old-b")));
      backup = backup(src, 0, new long[1]);
    }
    try (Db dst = Db.open(small().build())) {
      for (int i = 0; i < 5; i++) {
        dst.update(t -> t.set(b("b"), b("mine"))); // newer than the backup's b
      }
      LoadResult r = load(dst, backup);
      assertEquals(2, r.records());
      assertEquals(1, r.loaded());
      assertEquals(1, r.skipped());
      assertEquals("old-a", dst.view(t -> new String(t.get(b("a")).value())));
      assertEquals("mine", dst.view(t -> new String(t.get(b("b")).value())));
      LoadResult again = load(dst, backup);
      assertEquals(0, again.loaded());
      assertEquals(2, again.skipped());
    }
  }

  @Test
  void aTransactionThatReadAKeyBeforeTheLoadWroteIt_conflicts() {
    byte[] backup;
    try (Db src = Db.open(small().build())) {
      src.update(t -> t.set(b("k"), b("loaded")));
      backup = backup(src, 0, new long[1]);
    }
    try (Db dst = Db.open(small().build())) {
      dst.update(x -> x.set(b("other"), b("1"))); // not empty: the load commits in batches
      Txn t = dst.newTransaction(true);
      assertNull(t.get(b("k")));
      load(dst, backup);
      t.set(b("k"), b("from a stale read"));
      assertThrows(ConflictException.class, t::commit);
      assertEquals("loaded", dst.view(x -> new String(x.get(b("k")).value())));
    }
  }

  @Test
  void commitsBesideALoad_keepTheirWrites_whateverTheLevelsDo() throws Exception {
    int keys = 2000;
    byte[] backup;
    try (Db src = Db.open(tree("src").numVersionsToKeep(2).build())) {
      for (int round = 0; round < 2; round++) {
        int r = round;
        for (int i = 0; i < keys; i += 40) {
          int from = i;
          src.update(t -> {
            for (int k = from; k < from + 40; k++) {
              t.set(b(String.format("key%05d", k)), b("backup" + r + "-" + k));
            }
          });
        }
      }
      backup = backup(src, 0, new long[1]);
    }
    try (Db dst = Db.open(tree("dst").numVersionsToKeep(2).build())) {
      // Versions are compared, not times: the writer's commits must be newer than the backup's
      // versions, which they are once the load raised the timestamps. Start above them, so
      // that commits before that point are newer as well, and every writer commit must win.
      for (int i = 0; i < 200; i++) {
        dst.update(t -> t.set(b("zz"), b("advance")));
      }
      Map<String, String> written = new HashMap<>();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        try {
          Random rnd = new Random(7);
          for (int i = 0; i < 3000; i++) {
            String k = String.format("key%05d", rnd.nextInt(keys));
            String v = "writer-" + i;
            dst.update(t -> t.set(b(k), b(v)));
            synchronized (written) {
              written.put(k, v);
            }
          }
        } catch (Throwable t) {
          failed.set(t);
        }
      });
      java.util.concurrent.atomic.AtomicBoolean loading =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread syncer = new Thread(() -> { // sync() beside the load never fails nor waits forever
        try {
          while (loading.get()) {
            dst.sync();
          }
        } catch (Throwable t) {
          failed.set(t);
        }
      });
      writer.start();
      syncer.start();
      LoadResult r;
      try {
        r = dst.load(new ByteArrayInputStream(backup), 2);
      } finally {
        loading.set(false);
      }
      writer.join();
      syncer.join();
      assertNull(failed.get());
      assertEquals(r.records(), r.loaded() + r.skipped());
      dst.flatten(1);
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < keys; i++) {
          String k = String.format("key%05d", i);
          String want = written.getOrDefault(k, "backup1-" + i);
          assertEquals(want, dst.view(t -> new String(t.get(b(k)).value())), k);
        }
        dst.flatten(1); // again after compactions moved everything down
      }
    }
  }

  @Test
  void anInterruptedThread_backsUpAndLoadsAll_andKeepsItsInterrupt() {
    byte[] good = sampleBackup("src");
    try (Db dst = Db.open(tree("dst").build())) {
      dst.update(t -> t.set(b("zzz"), b("1"))); // not empty: batches through the write path
      Thread.currentThread().interrupt();
      try {
        LoadResult r = load(dst, good);
        assertEquals(4, r.loaded());
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dst.backup(out, 0);
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
        try (Db other = Db.open(small().build())) {
          assertEquals(5, load(other, out.toByteArray()).records());
        }
      } finally {
        Thread.interrupted();
      }
    }
  }

  @Test
  void aBackupBesideClose_endsOrFailsClearly_andNothingHangs() throws Exception {
    Db db = Db.open(tree("src").build());
    for (int i = 0; i < 2000; i++) {
      int n = i;
      db.update(t -> t.set(b(String.format("k%05d", n)), new byte[300]));
    }
    java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    OutputStream slow = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        writing.countDown();
        try {
          closed.await(); // the backup is under way when the database closes
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        sink.write(b, off, len);
      }
    };
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread backup = new Thread(() -> {
      try {
        outcome.set(db.backup(slow, 0));
      } catch (RuntimeException e) {
        outcome.set(e);
      }
    });
    backup.start();
    writing.await();
    db.close();
    closed.countDown();
    backup.join(60_000);
    assertFalse(backup.isAlive(), "the backup ended");
    Object o = outcome.get();
    if (o instanceof RuntimeException e) {
      assertTrue(e instanceof DbClosedException || e instanceof dev.sett.kv.KvException,
          "a clear failure: " + e);
    } else { // it finished from what it had pinned: then it is whole
      try (Db other = Db.open(small().build())) {
        assertEquals(2000, load(other, sink.toByteArray()).records());
      }
    }
    try (Db again = Db.open(tree("src").build())) {
      assertEquals(300, (int) again.view(t -> t.get(b("k01999")).value().length));
    }
  }

  @Test
  void misuse_isRefusedClearly_andTheDatabaseGoesOn() {
    try (Db db = Db.open(small().build())) {
      assertThrows(NullPointerException.class, () -> db.backup(null, 0));
      assertThrows(NullPointerException.class, () -> db.load(null, 1));
      assertThrows(IllegalArgumentException.class,
          () -> db.backup(new ByteArrayOutputStream(), -1));
      assertThrows(IllegalArgumentException.class,
          () -> db.load(new ByteArrayInputStream(new byte[0]), 0));
      CorruptionException notBackup = assertThrows(CorruptionException.class,
          () -> load(db, Arrays.copyOf(b("this is not a backup at all, just some text"), 60)));
      assertTrue(notBackup.getMessage().contains("not a Sett backup"), notBackup.getMessage());
      assertThrows(CorruptionException.class, () -> load(db, new byte[0]));
      // An empty database's backup loads as nothing.
      LoadResult empty = load(db, backup(db, 0, new long[1]));
      assertEquals(0, empty.records());
      db.update(t -> t.set(b("k"), b("v")));
      assertEquals("v", db.view(t -> new String(t.get(b("k")).value())));
    }
    Db closed = Db.open(small().build());
    closed.close();
    assertThrows(DbClosedException.class, () -> closed.backup(new ByteArrayOutputStream(), 0));
    assertThrows(DbClosedException.class,
        () -> closed.load(new ByteArrayInputStream(new byte[0]), 1));
  }

  @Test
  void writeBatchesAndLoads_inManagedMode_keepTheirTimestamps() {
    byte[] backup;
    try (Db src = Db.open(small().managedTxns(true).build())) {
      try (WriteBatch w = src.newWriteBatchAt(50)) {
        w.set(b("k"), b("at50"));
        w.flush();
      }
      backup = backup(src, 0, new long[1]);
    }
    try (Db dst = Db.open(small().managedTxns(true).build())) {
      load(dst, backup);
      assertEquals("50:" + Arrays.toString(b("at50")) + ":0:0", readAt(dst, b("k"), 50));
      assertNull(readAt(dst, b("k"), 49));
      assertFalse(dump(dst).isEmpty());
    }
  }
}
