package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.Entry;
import dev.sett.kv.Item;
import dev.sett.kv.KeyValue;
import dev.sett.kv.KvException;
import dev.sett.kv.Options;
import dev.sett.kv.Stream;
import dev.sett.kv.StreamProgress;
import dev.sett.kv.Txn;
import dev.sett.kv.WriteBatch;
import dev.sett.kv.testkit.TestSeeds;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Db#newStream()} and {@link Stream}: every key exactly once against a model over many
 * tables, one snapshot for the whole run, the hooks, batching, progress, and what failures,
 * interrupts, a close and misuse do (the run ends, its threads and its snapshot are gone, and the
 * database stays usable).
 */
class StreamTest {
  @TempDir Path dir;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static byte[] b(String s) {
    return s.getBytes();
  }

  /** Small memtables and tables (many of them), values of 200 bytes or more in the value log. */
  private Options.Builder manyTables() {
    return LsmModelTest.separateValues(LsmModelTest.smallTree(dir), 200);
  }

  /** Runs the stream and returns every record sent, in the order sent. */
  private static List<KeyValue> collect(Stream s) {
    List<KeyValue> out = new ArrayList<>();
    s.send(out::addAll).run();
    return out;
  }

  /** The records by key, failing if a key came twice. */
  private static TreeMap<byte[], KeyValue> byKey(List<KeyValue> records) {
    TreeMap<byte[], KeyValue> m = new TreeMap<>(Arrays::compareUnsigned);
    for (KeyValue kv : records) {
      KeyValue old = m.put(kv.key(), kv);
      assertTrue(old == null, "key delivered twice: " + kv + " and " + old);
    }
    return m;
  }

  private static void writeKeys(Db db, String prefix, int n, String value) {
    try (WriteBatch batch = db.newWriteBatch()) {
      for (int i = 0; i < n; i++) {
        batch.set(b(String.format("%s%05d", prefix, i)), b(value + i));
      }
      batch.flush();
    }
  }

  /** No worker thread of any stream is alive and no read is registered with the oracle. */
  private static void assertRunCleanedUp(Db db) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      assertFalse(t.getName().startsWith("sett-stream-") && t.isAlive(), "left running: " + t);
    }
    assertTrue(((SettDb) db).oracle().noReadersAtOrBelow(Long.MAX_VALUE),
        "the stream's snapshot reads were ended");
  }

  /** The database still reads, writes and streams. */
  private static void assertUsable(Db db) {
    db.update(t -> t.set(b("after"), b("x")));
    assertArrayEquals(b("x"), db.view(t -> t.get(b("after")).value()));
    assertFalse(collect(db.newStream().prefix(b("after"))).isEmpty());
  }

  // ------------------------------------------------------------------------- what is delivered

  @Test
  void everyLiveKey_exactlyOnce_withItsNewestValue_asAModelHasIt(TestInfo info) {
    long seed = TestSeeds.seed(info);
    Random r = new Random(seed);
    TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
    Map<String, Byte> metas = new HashMap<>();
    try (Db db = Db.open(manyTables().build())) {
      for (int txn = 0; txn < 400; txn++) {
        db.update(t -> {
          for (int op = 0; op < 40; op++) {
            byte[] k = b(String.format("k%02d/%d", r.nextInt(30), r.nextInt(200)));
            int what = r.nextInt(10);
            if (what < 7) {
              byte[] v = new byte[r.nextInt(2) == 0 ? 10 + r.nextInt(50) : 200 + r.nextInt(300)];
              r.nextBytes(v);
              byte meta = (byte) r.nextInt(4);
              t.setEntry(Entry.of(k, v).withUserMeta(meta));
              model.put(k, v);
              metas.put(new String(k), meta);
            } else if (what < 9) {
              t.delete(k);
              model.remove(k);
            } else {
              t.setEntry(Entry.of(k, b("gone")).withExpiresAt(1)); // expired long ago
              model.remove(k);
            }
          }
        });
      }
      List<byte[]> bounds;
      try (var tables = ((SettDb) db).tables()) {
        bounds = tables.splitKeys(32); // what 8 threads ask for
      }
      assertTrue(bounds.size() >= 8, "many cuts, so many ranges: " + bounds.size());
      String at = "seed " + TestSeeds.format(seed);
      for (int threads : new int[] {1, 3, 8}) {
        Set<String> workers = ConcurrentHashMap.newKeySet();
        // A worker's first key waits (bounded) for a second worker, so that one fast worker
        // cannot take every range before the others start: the check below is then certain.
        CountDownLatch two = new CountDownLatch(Math.min(threads, 2));
        TreeMap<byte[], KeyValue> got = byKey(collect(db.newStream().threads(threads)
            .keyToList((key, versions) -> {
              if (workers.add(Thread.currentThread().getName())) {
                two.countDown();
                two.await(WAIT.toSeconds(), TimeUnit.SECONDS);
              }
              return Stream.newestLiveVersion().toList(key, versions);
            })));
        assertTrue(threads == 1 ? workers.size() == 1 : workers.size() > 1,
            at + ": the keys were scanned by " + workers);
        assertTrue(workers.stream().allMatch(n -> n.startsWith("sett-stream-")), at + workers);
        assertEquals(model.size(), got.size(), at + " threads " + threads);
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
          KeyValue kv = got.get(e.getKey());
          assertTrue(kv != null, at + ": missing " + new String(e.getKey()));
          assertArrayEquals(e.getValue(), kv.value(), at + " " + kv);
          assertEquals(metas.get(new String(e.getKey())), kv.userMeta(), at + " " + kv);
          assertFalse(kv.isDeleted());
          assertTrue(kv.version() > 0);
        }
      }
      for (String p : new String[] {"k07/", "k1", "k29/19", "nothing"}) {
        TreeMap<byte[], KeyValue> got = byKey(collect(db.newStream().prefix(b(p)).threads(4)));
        Map<byte[], byte[]> want = new TreeMap<>(Arrays::compareUnsigned);
        model.forEach((k, v) -> {
          if (new String(k).startsWith(p)) {
            want.put(k, v);
          }
        });
        assertEquals(want.keySet().stream().map(String::new).toList(),
            got.keySet().stream().map(String::new).toList(), at + " prefix " + p);
      }
      assertRunCleanedUp(db);
    }
  }

  /** Writes filler (under "~") until the mutable memtable rotates, and waits for the flush. */
  private static void flushMemTables(Db db) {
    SettDb sdb = (SettDb) db;
    long wal = sdb.memTables().mutable.walId();
    while (sdb.memTables().mutable.walId() == wal) {
      writeKeys(db, "~filler", 200, "filler-to-rotate-the-memtable-");
    }
    sdb.awaitFlushed(wal);
  }

  @Test
  void theRunReadsOneSnapshot_writesAndCompactionsDuringItChangeNothing() {
    try (Db db = Db.open(manyTables().build())) {
      writeKeys(db, "s", 2000, "old");
      db.update(t -> t.delete(b("s00007")));
      flushMemTables(db);
      db.flatten(1); // the old versions in tables of one level
      try (var tables = ((SettDb) db).tables()) {
        // Two threads want 8 ranges: cut at table boundaries or, with few tables, index keys.
        assertTrue(KeySplits.split(b("s"), tables.splitKeys(8), 8).size() >= 4);
      }
      CountDownLatch once = new CountDownLatch(1);
      List<KeyValue> got = new ArrayList<>();
      db.newStream().prefix(b("s")).threads(2).batchBytes(500).send(batch -> {
        if (once.getCount() > 0) {
          once.countDown();
          // Overwrite, delete and add keys, flush it all and compact: in the compaction the new
          // versions shadow the old ones, which only the run's snapshot still needs. The ranges
          // not started yet open their iterators over the compacted tables.
          writeKeys(db, "s", 2000, "new");
          db.update(t -> t.delete(b("s00001")));
          writeKeys(db, "s1", 500, "added");
          flushMemTables(db);
          db.flatten(1);
        }
        got.addAll(batch);
      }).run();
      TreeMap<byte[], KeyValue> m = byKey(got);
      assertEquals(1999, m.size(), "no key written after the run began");
      for (int i = 0; i < 2000; i++) {
        KeyValue kv = m.get(b(String.format("s%05d", i)));
        if (i == 7) {
          assertTrue(kv == null, "deleted before the run");
        } else {
          assertArrayEquals(b("old" + i), kv.value(), "key " + i);
        }
      }
      assertRunCleanedUp(db);
    }
  }

  @Test
  void fewLargeTables_areCutAtKeysSampledFromTheirIndexes(TestInfo info) {
    long seed = TestSeeds.seed(info);
    // No compactions: the data stays in a few L0 tables, each spanning almost every key.
    try (Db db = Db.open(manyTables().numCompactors(0).build())) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        order.add(i);
      }
      java.util.Collections.shuffle(order, new Random(seed));
      try (WriteBatch batch = db.newWriteBatch()) {
        for (int i : order) {
          batch.set(b(String.format("s%05d", i)), b("v" + i));
        }
        batch.flush();
      }
      flushMemTables(db);
      int tables = db.stats().levels().get(0).tables();
      try (var pinned = ((SettDb) db).tables()) {
        List<byte[]> cuts = pinned.splitKeys(32);
        assertTrue(tables < 32 && cuts.size() > 4 * tables, tables + " tables, cuts " + cuts.size());
        assertTrue(KeySplits.split(b("s"), cuts, 16).size() == 16);
      }
      TreeMap<byte[], KeyValue> got = byKey(collect(db.newStream().prefix(b("s")).threads(4)));
      assertEquals(3000, got.size(), "seed " + TestSeeds.format(seed));
    }
  }

  @Test
  void chooseKey_skipsTheKeysItRefuses() {
    try (Db db = Db.open(manyTables().build())) {
      try (WriteBatch batch = db.newWriteBatch()) {
        for (int i = 0; i < 300; i++) {
          batch.setEntry(Entry.of(b("c" + i), b("v" + i)).withUserMeta((byte) (i % 3)));
        }
        batch.flush();
      }
      db.update(t -> t.delete(b("c0")));
      List<KeyValue> got = collect(db.newStream().chooseKey(item -> item.userMeta() == 1));
      assertEquals(100, got.size());
      for (KeyValue kv : got) {
        assertEquals(1, kv.userMeta(), kv.toString());
      }
      // chooseKey sees a deleted key's tombstone: it may pick deletes for a custom keyToList.
      List<KeyValue> deletes = collect(db.newStream().chooseKey(Item::isDeleted)
          .keyToList((key, versions) -> List.of(KeyValue.of(versions.next()))));
      assertEquals(1, deletes.size());
      assertTrue(deletes.get(0).isDeleted());
      assertArrayEquals(b("c0"), deletes.get(0).key());
    }
  }

  @Test
  void keyToList_seesEveryKeptVersion_newestFirst_downToATombstone() {
    try (Db db = Db.open(manyTables().numVersionsToKeep(10).build())) {
      db.update(t -> t.set(b("a"), b("a1")));
      db.update(t -> t.set(b("a"), b("a2")));
      db.update(t -> t.delete(b("a")));
      db.update(t -> t.setEntry(Entry.of(b("a"), b("a3")).withUserMeta((byte) 5)
          .withExpiresAt(4_000_000_000L)));
      db.update(t -> t.set(b("b"), b("b1")));
      db.update(t -> t.set(b("b"), b("b2")));
      db.update(t -> t.set(b("c"), b("c1")));
      List<KeyValue> got = collect(db.newStream().keyToList((key, versions) -> {
        List<KeyValue> all = new ArrayList<>();
        versions.forEachRemaining(item -> {
          assertArrayEquals(key, item.key(), "only this key's versions");
          all.add(KeyValue.of(item));
        });
        return all;
      }));
      assertEquals(List.of("a:a3:false", "a::true", "b:b2:false", "b:b1:false", "c:c1:false"),
          got.stream().map(kv -> new String(kv.key()) + ":" + new String(kv.value()) + ":"
              + kv.isDeleted()).toList());
      KeyValue a3 = got.get(0);
      assertEquals(5, a3.userMeta());
      assertEquals(4_000_000_000L, a3.expiresAt());
      assertTrue(got.get(0).version() > got.get(1).version(), "newest first");
      // A hook that reads only the newest version leaves the rest to be skipped.
      List<KeyValue> newest = collect(db.newStream()
          .keyToList((key, versions) -> List.of(KeyValue.of(versions.next()))));
      assertEquals(List.of("a3", "b2", "c1"),
          newest.stream().map(kv -> new String(kv.value())).toList());
    }
  }

  @Test
  void sinceTs_leavesOutKeysWhoseNewestVersionIsAtOrBelowIt() {
    try (Db db = Db.open(manyTables().build())) {
      writeKeys(db, "i", 300, "first");
      long since;
      try (Txn t = db.newTransaction(false)) {
        since = t.readTs();
      }
      db.update(t -> {
        t.set(b("i00010"), b("changed"));
        t.set(b("j"), b("new"));
        t.delete(b("i00020"));
      });
      List<KeyValue> got = collect(db.newStream().sinceTs(since));
      assertEquals(List.of("i00010=changed", "j=new"), got.stream()
          .map(kv -> new String(kv.key()) + "=" + new String(kv.value())).sorted().toList());
      for (KeyValue kv : got) {
        assertTrue(kv.version() > since);
      }
    }
  }

  @Test
  void batches_stayWithinBatchBytes_unlessOneRecordIsLarger() {
    try (Db db = Db.open(manyTables().build())) {
      writeKeys(db, "b", 1000, "value-of-some-length-");
      db.update(t -> t.set(b("big"), new byte[5000]));
      List<List<KeyValue>> batches = new ArrayList<>();
      StreamProgress p = db.newStream().threads(3).batchBytes(1000).send(batches::add).run();
      long total = 0;
      for (List<KeyValue> batch : batches) {
        assertFalse(batch.isEmpty());
        long size = batch.stream().mapToLong(KeyValue::sizeBytes).sum();
        assertTrue(size <= 1000 || batch.size() == 1, "batch of " + size + " bytes");
        assertThrows(UnsupportedOperationException.class, () -> batch.add(batch.get(0)));
        total += batch.size();
      }
      assertEquals(1001, total);
      assertTrue(batches.size() > 30, "small batches: " + batches.size());
      assertEquals(batches.size(), p.batches());
      assertEquals(total, p.records());
      assertEquals(1001, p.keysScanned());
      assertTrue(batches.stream().anyMatch(x -> x.size() == 1 && x.get(0).sizeBytes() > 1000));
    }
  }

  @Test
  void progress_isReportedDuringTheRun_andOnceAtTheEnd() {
    try (Db db = Db.open(manyTables().build())) {
      writeKeys(db, "p", 500, "v");
      long readTs;
      try (Txn t = db.newTransaction(false)) {
        readTs = t.readTs();
      }
      List<StreamProgress> reports = new ArrayList<>();
      // An interval of a nanosecond has passed after every batch: a report after each one.
      StreamProgress done = db.newStream().batchBytes(200).logPrefix("test.stream")
          .progressInterval(Duration.ofNanos(1)).progress(reports::add).send(batch -> { })
          .run();
      assertTrue(reports.size() >= 3, reports.toString());
      assertSame(done, reports.get(reports.size() - 1));
      assertTrue(done.finished());
      assertEquals(500, done.records());
      assertEquals(500, done.keysScanned());
      assertEquals(readTs, done.readTs());
      for (int i = 0; i < reports.size() - 1; i++) {
        assertFalse(reports.get(i).finished());
        assertTrue(reports.get(i).records() <= reports.get(i + 1).records());
      }
      assertTrue(done.bytesPerSecond() > 0 && done.keysPerSecond() > 0);
    }
  }

  // ----------------------------------------------------------------------------------- failures

  @Test
  void sendThrowing_endsTheRunWithThatException_andStopsTheWorkers() {
    try (Db db = Db.open(manyTables().build())) {
      writeKeys(db, "f", 3000, "v");
      RuntimeException boom = new IllegalStateException("send failed");
      int[] calls = {0};
      Stream s = db.newStream().threads(4).batchBytes(100).send(batch -> {
        if (++calls[0] == 2) {
          throw boom;
        }
      });
      assertSame(boom, assertThrows(RuntimeException.class, s::run));
      assertEquals(2, calls[0], "no batch after the failure");
      assertRunCleanedUp(db);
      assertUsable(db);
      // A checked exception is wrapped, with the original as the cause.
      IOException io = new IOException("disk full");
      KvException e = assertThrows(KvException.class,
          () -> db.newStream().send(batch -> { throw io; }).run());
      assertSame(io, e.getCause());
      assertRunCleanedUp(db);
    }
  }

  @Test
  void aHookThrowingInAWorker_endsTheRunWithThatException() {
    try (Db db = Db.open(manyTables().build())) {
      writeKeys(db, "h", 3000, "v");
      RuntimeException boom = new ArithmeticException("keyToList failed");
      Stream s = db.newStream().threads(4).send(batch -> { }).keyToList((key, versions) -> {
        if (new String(key).equals("h02500")) {
          throw boom;
        }
        return Stream.newestLiveVersion().toList(key, versions);
      });
      assertSame(boom, assertThrows(RuntimeException.class, s::run));
      assertRunCleanedUp(db);
      RuntimeException choose = new IllegalArgumentException("chooseKey failed");
      assertSame(choose, assertThrows(RuntimeException.class, () -> db.newStream()
          .chooseKey(item -> { throw choose; }).send(batch -> { }).run()));
      NullPointerException npe = assertThrows(NullPointerException.class, () -> db.newStream()
          .keyToList((key, versions) -> null).send(batch -> { }).run());
      assertTrue(npe.getMessage().contains("empty list"), npe.getMessage());
      assertRunCleanedUp(db);
      assertUsable(db);
    }
  }

  @Test
  void anInterrupt_cancelsTheRun_evenWithAHookBlockedInAWorker() throws Exception {
    try (Db db = Db.open(manyTables().build())) {
      writeKeys(db, "x", 200, "v");
      CountDownLatch blocked = new CountDownLatch(1);
      CountDownLatch never = new CountDownLatch(1);
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicReference<Boolean> flagKept = new AtomicReference<>();
      Thread runner = new Thread(() -> {
        try {
          db.newStream().send(batch -> { }).keyToList((key, versions) -> {
            blocked.countDown();
            never.await(); // gives way only to the interrupt of a cancelled run
            return List.of();
          }).run();
        } catch (Throwable t) {
          thrown.set(t);
          flagKept.set(Thread.currentThread().isInterrupted());
        }
      });
      runner.start();
      assertTrue(blocked.await(WAIT.toSeconds(), TimeUnit.SECONDS));
      runner.interrupt();
      runner.join(WAIT.toMillis());
      assertFalse(runner.isAlive(), "run() returned");
      KvException e = assertInstanceOf(KvException.class, thrown.get());
      assertInstanceOf(InterruptedException.class, e.getCause());
      assertTrue(flagKept.get(), "the caller's interrupt flag is set again");
      assertRunCleanedUp(db);
      assertUsable(db);
    }
  }

  @Test
  void closingTheDatabaseDuringARun_failsItWithDbClosedException() throws Exception {
    Db db = Db.open(manyTables().build());
    try {
      writeKeys(db, "z", 3000, "v");
      Stream s = db.newStream().threads(3).batchBytes(100).send(batch -> {
        if (!db.isClosed()) {
          Thread closer = new Thread(db::close); // as another thread of the application would
          closer.start();
          closer.join();
        }
      });
      assertThrows(DbClosedException.class, s::run);
      assertRunCleanedUp(db);
      assertThrows(DbClosedException.class, db::newStream);
    } finally {
      db.close();
    }
    // Nothing was harmed: the data is all there after a reopen.
    try (Db again = Db.open(manyTables().build())) {
      assertEquals(3000, collect(again.newStream()).size());
    }
  }

  @Test
  void closingTheDatabaseWhileAWorkerScans_failsTheRunWithDbClosedException() throws Exception {
    Db db = Db.open(manyTables().build());
    try {
      writeKeys(db, "w", 3000, "v");
      Stream s = db.newStream().threads(1).send(batch -> { }).keyToList((key, versions) -> {
        if (new String(key).equals("w01000")) {
          Thread closer = new Thread(db::close);
          closer.start();
          closer.join(); // the worker goes on scanning a closed database
        }
        return Stream.newestLiveVersion().toList(key, versions);
      });
      assertThrows(DbClosedException.class, s::run);
      assertRunCleanedUp(db);
    } finally {
      db.close();
    }
  }

  @Test
  void aStreamMadeBeforeClose_failsAtRun() {
    Db db = Db.open(manyTables().build());
    Stream s = db.newStream().send(batch -> { });
    db.close();
    assertThrows(DbClosedException.class, s::run);
  }

  @Test
  void aReadOnlyDatabase_streams() {
    try (Db db = Db.open(manyTables().build())) {
      writeKeys(db, "r", 500, "v");
    }
    try (Db db = Db.open(manyTables().readOnly(true).build())) {
      assertEquals(500, collect(db.newStream().threads(2)).size());
      assertRunCleanedUp(db);
    }
  }

  // ------------------------------------------------------------------------------------- misuse

  @Test
  void badSettings_areRejectedAtOnce_andTheStreamStaysUsable() {
    try (Db db = Db.open(manyTables().build())) {
      db.update(t -> t.set(b("k"), b("v")));
      Stream s = db.newStream();
      assertThrows(NullPointerException.class, () -> s.prefix(null));
      assertThrows(IllegalArgumentException.class,
          () -> s.prefix(new byte[Options.MAX_KEY_SIZE + 1]));
      assertThrows(IllegalArgumentException.class, () -> s.threads(0));
      assertThrows(IllegalArgumentException.class, () -> s.threads(Stream.MAX_THREADS + 1));
      assertThrows(NullPointerException.class, () -> s.chooseKey(null));
      assertThrows(NullPointerException.class, () -> s.keyToList(null));
      assertThrows(NullPointerException.class, () -> s.send(null));
      assertThrows(NullPointerException.class, () -> s.progress(null));
      assertThrows(NullPointerException.class, () -> s.logPrefix(null));
      assertThrows(IllegalArgumentException.class, () -> s.batchBytes(0));
      assertThrows(IllegalArgumentException.class, () -> s.sinceTs(-1));
      assertThrows(IllegalArgumentException.class, () -> s.progressInterval(Duration.ZERO));
      IllegalStateException noSend = assertThrows(IllegalStateException.class, s::run);
      assertTrue(noSend.getMessage().contains("send"), noSend.getMessage());
      // None of that consumed the stream.
      List<KeyValue> got = new ArrayList<>();
      s.send(got::addAll).run();
      assertEquals(1, got.size());
    }
  }

  @Test
  void aStreamRunsOnce_andIsNotReconfiguredAfterwards() {
    try (Db db = Db.open(manyTables().build())) {
      db.update(t -> t.set(b("k"), b("v")));
      Stream s = db.newStream().send(batch -> { });
      s.run();
      IllegalStateException again = assertThrows(IllegalStateException.class, s::run);
      assertTrue(again.getMessage().contains("runs once"), again.getMessage());
      assertThrows(IllegalStateException.class, () -> s.threads(2));
      assertThrows(IllegalStateException.class, () -> s.prefix(b("k")));
      assertThrows(IllegalStateException.class, () -> s.send(batch -> { }));
      assertUsable(db);
    }
  }

  @Test
  void keyValue_rejectsWhatNoVersionCanBe() {
    assertThrows(IllegalArgumentException.class, () -> new KeyValue(new byte[0], b("v"), 1, 0,
        (byte) 0, false));
    assertThrows(IllegalArgumentException.class, () -> new KeyValue(b("k"), b("v"), 0, 0,
        (byte) 0, false));
    assertThrows(IllegalArgumentException.class, () -> new KeyValue(b("k"), b("v"), 1, -1,
        (byte) 0, false));
    assertThrows(IllegalArgumentException.class, () -> new KeyValue(b("k"), b("v"), 1, 0,
        (byte) 0, true));
    assertThrows(NullPointerException.class, () -> new KeyValue(b("k"), null, 1, 0, (byte) 0,
        false));
    byte[] k = b("k");
    KeyValue kv = new KeyValue(k, b("v"), 3, 0, (byte) 1, false);
    k[0] = 'x';
    assertArrayEquals(b("k"), kv.key(), "the key was copied");
    assertEquals(kv, new KeyValue(b("k"), b("v"), 3, 0, (byte) 1, false));
    assertEquals(1 + 1 + KeyValue.FIXED_BYTES, kv.sizeBytes());
  }

  // ------------------------------------------------------------------------------ managed mode

  @Test
  void managedMode_newStreamAt_readsAtItsTimestamp_andTheOtherCallsAreRefused() {
    Options managed = manyTables().managedTxns(true).build();
    try (Db db = Db.open(managed)) {
      for (long ts : new long[] {10, 20, 30}) {
        try (Txn t = db.newTransactionAt(ts - 1, true)) {
          t.set(b("m"), b("v" + ts));
          t.set(b("m" + ts), b("only" + ts));
          t.commitAt(ts);
        }
      }
      List<KeyValue> at20 = new ArrayList<>();
      StreamProgress p = db.newStreamAt(20).send(at20::addAll).run();
      assertEquals(20, p.readTs());
      assertEquals(List.of("m=v20", "m10=only10", "m20=only20"), at20.stream()
          .map(kv -> new String(kv.key()) + "=" + new String(kv.value())).toList());
      assertTrue(collect(db.newStreamAt(5)).isEmpty());
      assertEquals(4, collect(db.newStreamAt(Long.MAX_VALUE)).size());
      assertEquals(List.of("m30"), collect(db.newStreamAt(30).sinceTs(20)).stream()
          .map(kv -> new String(kv.key())).filter(k -> !k.equals("m")).toList());
      IllegalStateException e = assertThrows(IllegalStateException.class, db::newStream);
      assertTrue(e.getMessage().contains("newStreamAt"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> db.newStreamAt(-1));
      assertRunCleanedUp(db);
    }
    try (Db db = Db.open(manyTables().build())) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> db.newStreamAt(5));
      assertTrue(e.getMessage().contains("managed"), e.getMessage());
    }
  }
}
