package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Entry;
import dev.sett.kv.KvException;
import dev.sett.kv.Options;
import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.levels.DiscardStats;
import dev.sett.kv.spi.ValueLog;
import dev.sett.kv.testkit.FaultyStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discard statistics end to end: compactions count, per value log file, exactly the records of
 * the separated entries they drop (overwritten, deleted, expired, beyond numVersionsToKeep); a
 * failed compaction counts nothing; the counts survive a reopen and a power loss after the
 * compaction; files that are gone are forgotten at open. The expected counts come from scanning
 * the value log itself.
 */
class DiscardStatsDbTest {
  @TempDir Path dir;

  private static byte[] value(int i, int size) {
    byte[] v = new byte[size];
    for (int j = 0; j < size; j++) {
      v[j] = (byte) (i * 31 + j);
    }
    return v;
  }

  /** Every record of the value log, by key, version ascending. */
  private static Map<String, TreeMap<Long, ValueLog.LogRecord>> records(SettDb db)
      throws IOException {
    Map<String, TreeMap<Long, ValueLog.LogRecord>> all = new HashMap<>();
    ValueLog log = db.values().log();
    for (long id : log.fileIds()) {
      log.scan(id, r -> {
        all.computeIfAbsent(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8),
            k -> new TreeMap<>()).put(r.version(), r);
        return true;
      });
    }
    return all;
  }

  /** Record bytes per value log file of the records {@code garbage(key, version)} says. */
  private static Map<Long, Long> expected(SettDb db, BiPredicate<String, Long> garbage)
      throws IOException {
    Map<Long, Long> out = new TreeMap<>();
    for (var e : records(db).entrySet()) {
      for (ValueLog.LogRecord r : e.getValue().values()) {
        if (garbage.test(e.getKey(), r.version())) {
          out.merge(r.pointer().fileId(), (long) r.pointer().recordLength(), Long::sum);
        }
      }
    }
    return out;
  }

  private static Map<Long, Long> stats(SettDb db) {
    return db.levels().discardStats().snapshot();
  }

  @Test
  void overwrittenDeletedAndExpiredValues_areCountedForTheirFiles_andSurviveReopen()
      throws IOException {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.ofEpochSecond(1_000_000));
    InstantSource clock = now::get;
    Options o = Options.builder(dir).valueThreshold(16).valueLogMaxEntries(4).numCompactors(0)
        .clock(clock).build();
    try (SettDb db = SettDb.open(o)) {
      for (int i = 0; i < 10; i++) {
        int id = i;
        db.update(txn -> txn.set(b("k" + id), value(id, 100)));
      }
      for (int i = 0; i < 3; i++) {
        int id = i;
        db.update(txn -> txn.set(b("d" + id), value(id, 200 + id)));
        db.update(txn -> txn.setEntry(Entry.of(b("e" + id), value(id, 50 + id))
            .withExpiresAt(1_000_010)));
        db.update(txn -> txn.set(b("small" + id), value(id, 8))); // inline: never counted
      }
    } // flushed into L0
    try (SettDb db = SettDb.open(o)) {
      for (int i = 0; i < 10; i++) {
        int id = i;
        db.update(txn -> txn.set(b("k" + id), value(id + 1, 120)));
      }
      for (int i = 0; i < 3; i++) {
        int id = i;
        db.update(txn -> txn.delete(b("d" + id)));
        db.update(txn -> txn.set(b("small" + id), value(id, 9)));
      }
    }
    now.set(Instant.ofEpochSecond(1_000_100)); // the e* entries have expired
    Map<Long, Long> want;
    try (SettDb db = SettDb.open(o)) {
      assertTrue(stats(db).isEmpty(), "flushes drop nothing: " + stats(db));
      db.flatten(1);
      Map<String, TreeMap<Long, ValueLog.LogRecord>> recs = records(db);
      want = expected(db, (key, version) -> key.startsWith("d") || key.startsWith("e")
          || (key.startsWith("k") && version < recs.get(key).lastKey()));
      assertTrue(want.size() > 1, "garbage in several value log files: " + want);
      assertEquals(want, stats(db));
      assertEquals(want.values().stream().mapToLong(Long::longValue).sum(),
          db.levels().discardStats().byMostGarbage().stream()
              .mapToLong(DiscardStats.FileGarbage::bytes).sum());
      assertFalse(db.levels().discardStats().dirty(), "persisted after the compaction");
      db.flatten(1); // nothing left to drop: no double counting
      assertEquals(want, stats(db));
      for (int i = 0; i < 10; i++) {
        int id = i;
        assertEquals(120, db.view(txn -> txn.get(b("k" + id))).value().length);
      }
    }
    try (SettDb db = SettDb.open(o)) {
      assertEquals(want, stats(db));
    }
  }

  @Test
  void versionsBeyondNumVersionsToKeep_areCounted() throws IOException {
    Options o = Options.builder(dir).valueThreshold(16).numVersionsToKeep(2).numCompactors(0)
        .build();
    try (SettDb db = SettDb.open(o)) {
      for (int v = 0; v < 5; v++) {
        for (int i = 0; i < 4; i++) {
          int id = i;
          int size = 30 + v * 10 + i;
          db.update(txn -> txn.set(b("k" + id), value(id, size)));
        }
      }
    }
    try (SettDb db = SettDb.open(o)) {
      db.flatten(1);
      Map<String, TreeMap<Long, ValueLog.LogRecord>> recs = records(db);
      // the two newest versions of each key stay
      Map<Long, Long> want = expected(db, (key, version) ->
          version < recs.get(key).descendingKeySet().stream().skip(1).findFirst().orElseThrow());
      assertFalse(want.isEmpty());
      assertEquals(want, stats(db));
    }
  }

  @Test
  void manyOverwrites_withBackgroundAndParallelCompactions_countEachDroppedRecordOnce()
      throws IOException {
    Options o = LsmModelTest.smallTree(dir).valueThreshold(16).valueLogMaxEntries(500).build();
    Random r = new Random(42);
    try (SettDb db = SettDb.open(o)) {
      for (int round = 0; round < 8; round++) {
        for (int i = 0; i < 1500; i++) {
          int id = r.nextInt(1500);
          int size = 20 + r.nextInt(200);
          if (r.nextInt(10) == 0) {
            db.update(txn -> txn.delete(b("key" + id)));
          } else {
            db.update(txn -> txn.set(b("key" + id), value(id, size)));
          }
        }
      }
      assertTrue(db.stats().compactions() > 0, "background compactions ran");
    }
    try (SettDb db = SettDb.open(o)) {
      db.flatten(4);
      Map<String, TreeMap<Long, ValueLog.LogRecord>> recs = records(db);
      Map<String, Long> newestLive = new HashMap<>();
      for (String key : recs.keySet()) {
        db.view(txn -> {
          var item = txn.get(b(key));
          if (item != null) {
            newestLive.put(key, item.version());
          }
          return null;
        });
      }
      Map<Long, Long> want = expected(db, (key, version) -> !version.equals(newestLive.get(key)));
      assertTrue(want.size() > 1, "several files: " + want);
      assertEquals(want, stats(db));
    }
  }

  @Test
  void aFailedCompaction_countsNothing_andItsRetryCountsOnce() throws IOException {
    FaultyStorage storage = new FaultyStorage(new MemoryStorage(), 7);
    Options o = Options.builder(Path.of("unused")).storage(storage).valueThreshold(16)
        .numCompactors(0).build();
    writeTwoGenerations(o);
    try (SettDb db = SettDb.open(o)) {
      storage.failMatching(FaultyStorage.Op.SYNC, name -> name.endsWith(".sst"));
      assertThrows(KvException.class, () -> db.flatten(1));
      assertTrue(stats(db).isEmpty(), "failed: " + stats(db));
      assertFalse(storage.exists(DiscardStats.FILE_NAME));
      storage.clearFaults();
      db.flatten(1);
      Map<String, TreeMap<Long, ValueLog.LogRecord>> recs = records(db);
      Map<Long, Long> want = expected(db, (key, version) -> version < recs.get(key).lastKey());
      assertFalse(want.isEmpty());
      assertEquals(want, stats(db));
    }
  }

  @Test
  void theCountsOfAnInstalledCompaction_surviveAPowerLoss() throws IOException {
    for (long seed = 0; seed < 5; seed++) {
      FaultyStorage storage = new FaultyStorage(new MemoryStorage(), seed);
      Options o = Options.builder(Path.of("unused")).storage(storage).valueThreshold(16)
          .valueLogMaxEntries(3).numCompactors(0).build();
      writeTwoGenerations(o);
      Map<Long, Long> want;
      SettDb db = SettDb.open(o);
      db.flatten(1);
      want = stats(db);
      assertFalse(want.isEmpty());
      assertFalse(db.levels().discardStats().dirty());
      storage.crash(seed);
      try {
        db.close();
      } catch (KvException ignored) {
        // closing a crashed database may fail; what matters is the reopen
      }
      try (SettDb again = SettDb.open(o)) {
        assertEquals(want, stats(again), "seed " + seed);
      }
    }
  }

  @Test
  void filesThatAreGone_areForgottenAtOpen() throws IOException {
    Options o = Options.builder(dir).valueThreshold(16).numCompactors(0).build();
    try (SettDb db = SettDb.open(o)) {
      long active = db.values().log().activeFileId();
      db.levels().discardStats().add(Map.of(active + 1000, 5L, active, 7L));
    } // written at close
    try (SettDb db = SettDb.open(o)) {
      Map<Long, Long> s = stats(db);
      assertEquals(1, s.size(), s.toString());
      assertEquals(7L, s.values().iterator().next());
    }
  }

  @Test
  void aDamagedDiscardFile_startsFromZero_andTheDatabaseOpens() throws IOException {
    Options o = Options.builder(dir).valueThreshold(16).numCompactors(0).build();
    writeTwoGenerations(o);
    try (SettDb db = SettDb.open(o)) {
      db.flatten(1);
      assertFalse(stats(db).isEmpty());
    }
    Path f = dir.resolve(DiscardStats.FILE_NAME);
    byte[] bytes = java.nio.file.Files.readAllBytes(f);
    bytes[bytes.length - 5] ^= 1;
    java.nio.file.Files.write(f, bytes);
    try (SettDb db = SettDb.open(o)) {
      assertTrue(stats(db).isEmpty());
      for (int i = 0; i < 5; i++) {
        int id = i;
        assertEquals(60, db.view(txn -> txn.get(b("k" + id))).value().length);
      }
    }
  }

  /** Keys k0..k4 written with 40-byte values, closed (flushed), then rewritten with 60 bytes. */
  private static void writeTwoGenerations(Options o) {
    List<Integer> sizes = new ArrayList<>(List.of(40, 60));
    for (int size : sizes) {
      try (SettDb db = SettDb.open(o)) {
        for (int i = 0; i < 5; i++) {
          int id = i;
          db.update(txn -> txn.set(b("k" + id), value(id, size)));
        }
      }
    }
  }
}
