package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.ConflictException;
import dev.sett.kv.Db;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import dev.sett.kv.WriteBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managed mode ({@link Options#managedTxns()}): timestamps chosen by the application, reads at any
 * of them, commits out of order, write batches at one version, and versions kept until {@link
 * Db#setDiscardTs} lets them go, by compactions and by value log garbage collection.
 */
class ManagedModeTest {
  @TempDir Path dir;
  private static final byte[] K = "k".getBytes();

  private Options.Builder managed() {
    return LsmModelTest.smallTree(dir).managedTxns(true);
  }

  private static void commitAt(Db db, long ts, byte[] key, byte[] value) {
    try (Txn t = db.newTransactionAt(ts - 1, true)) {
      t.set(key, value);
      t.commitAt(ts);
    }
  }

  private static byte[] readAt(Db db, long ts, byte[] key) {
    try (Txn t = db.newTransactionAt(ts, false)) {
      Item it = t.get(key);
      return it == null ? null : it.value();
    }
  }

  private static byte[] v(long ts) {
    return ("v" + ts).getBytes();
  }

  @Test
  void readsSeeTheVersionsAtOrBelowTheirTimestamp_inWhateverOrderTheyCommitted() {
    try (Db db = Db.open(managed().build())) {
      commitAt(db, 10, K, v(10));
      commitAt(db, 30, K, v(30));
      commitAt(db, 20, K, v(20)); // below a version already written
      assertNull(readAt(db, 9, K));
      assertArrayEquals(v(10), readAt(db, 10, K));
      assertArrayEquals(v(10), readAt(db, 19, K));
      assertArrayEquals(v(20), readAt(db, 25, K));
      assertArrayEquals(v(30), readAt(db, 31, K));
      assertArrayEquals(v(30), db.view(t -> t.get(K).value()), "view reads the newest");
      try (Txn t = db.newTransactionAt(29, false)) {
        assertEquals(20, t.get(K).version());
      }
    }
  }

  /**
   * A commit at an old timestamp can reach L0 after a newer version of its key went down to the
   * last level; a point read must still find the newer one (it stopped at the first level with a
   * version, and returned the older).
   */
  @Test
  void anOldCommitInLevelZero_doesNotHideANewerVersionInADeeperLevel() {
    try (Db db = Db.open(managed().numCompactors(0).build())) {
      commitAt(db, 30, K, v(30));
      for (int i = 0; i < 300; i++) { // fills memtables: flushed to L0
        commitAt(db, 31 + i, ("fill" + i).getBytes(), new byte[500]);
      }
      db.flatten(1); // k@30 goes down
      commitAt(db, 20, K, v(20));
      for (int i = 0; i < 300; i++) { // k@20 is flushed to L0, where nothing compacts it
        commitAt(db, 400 + i, ("fill" + i).getBytes(), new byte[500]);
      }
      assertTrue(db.stats().levels().get(0).tables() > 0, "" + db.stats().levels());
      assertArrayEquals(v(30), readAt(db, 1000, K));
      assertArrayEquals(v(20), readAt(db, 25, K));
    }
  }

  @Test
  void aReadWriteTransaction_conflictsWithCommitsAboveItsReadTimestamp() {
    try (Db db = Db.open(managed().build())) {
      commitAt(db, 5, K, v(5));
      Txn reader = db.newTransactionAt(10, true);
      reader.get(K);
      reader.set("other".getBytes(), v(1));
      commitAt(db, 12, K, v(12)); // above the reader's 10
      ConflictException e = assertThrows(ConflictException.class, () -> reader.commitAt(13));
      assertTrue(e.getMessage().contains("12"), e.getMessage());
      Txn later = db.newTransactionAt(20, true);
      later.get(K);
      later.set("other".getBytes(), v(2));
      commitAt(db, 8, "x".getBytes(), v(8)); // commits after it began, but below its 20
      later.commitAt(21);
      assertArrayEquals(v(2), readAt(db, 21, "other".getBytes()));
    }
  }

  @Test
  void writeBatchAt_writesEverythingAtOneVersion() {
    try (Db db = Db.open(managed().build())) {
      try (WriteBatch b = db.newWriteBatchAt(40)) {
        for (int i = 0; i < 3000; i++) { // several commits of the batch
          b.set(("b" + i).getBytes(), new byte[100]);
        }
        b.flush();
      }
      assertNull(readAt(db, 39, "b0".getBytes()));
      try (Txn t = db.newTransactionAt(40, false)) {
        for (int i = 0; i < 3000; i += 97) {
          assertEquals(40, t.get(("b" + i).getBytes()).version());
        }
      }
    }
  }

  @Test
  void versionsSurviveFlushesCompactionsAndReopen_untilTheDiscardTimestampLetsThemGo() {
    Options o = managed().build();
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      keys.add(("key" + i).getBytes());
    }
    try (Db db = Db.open(o)) {
      writeVersions(db, keys, 50); // 300 keys x 5 versions: memtables flush
      db.flatten(1);
    }
    try (Db db = Db.open(o)) {
      for (long ts = 10; ts <= 50; ts += 10) {
        for (byte[] k : keys) {
          assertArrayEquals(value(k, ts), readAt(db, ts + 5, k), "no discard ts: every version");
        }
      }
      db.setDiscardTs(35);
      db.setDiscardTs(5); // never moves back
      db.flatten(1);
      try (Txn t = db.newTransactionAt(Long.MAX_VALUE, false);
           KvIterator it = t.newKeyIterator(keys.get(7),
               IteratorOptions.builder().allVersions(true).build())) {
        List<Long> versions = new ArrayList<>();
        for (it.rewind(); it.valid(); it.next()) {
          versions.add(it.item().version());
        }
        assertEquals(List.of(50L, 40L, 30L), versions,
            "above 35 all kept; at or below it only the newest (numVersionsToKeep 1)");
      }
      for (byte[] k : keys) {
        assertArrayEquals(value(k, 30), readAt(db, 35, k));
        assertArrayEquals(value(k, 50), readAt(db, 55, k));
      }
    }
  }

  /** Writes every key at versions 10, 20, ... up to {@code last}, one write batch each. */
  private static void writeVersions(Db db, List<byte[]> keys, long last) {
    for (long ts = 10; ts <= last; ts += 10) {
      try (WriteBatch b = db.newWriteBatchAt(ts)) {
        for (byte[] k : keys) {
          b.set(k, value(k, ts));
        }
        b.flush();
      }
    }
  }

  private static byte[] value(byte[] key, long ts) {
    byte[] v = new byte[200]; // separated when the test asks for a value log
    Arrays.fill(v, (byte) ts);
    System.arraycopy(key, 0, v, 0, key.length);
    return v;
  }

  /**
   * Value log GC must keep what a managed reader may still read: a version shadowed at the
   * newest timestamp is still read at an older one, until the discard timestamp passes it.
   * Without the managed rule the older versions were judged dead, their files deleted, and a read
   * at an older timestamp failed with CorruptionException.
   */
  @Test
  void valueLogGc_keepsVersionsAboveTheDiscardTimestamp_andCollectsThemAfter() {
    Options o = LsmModelTest.separateValues(managed(), 64).valueLogMaxEntries(100)
        .valueLogGcInterval(Duration.ZERO).build();
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      keys.add(("key" + i).getBytes());
    }
    try (Db db = Db.open(o)) {
      writeVersions(db, keys, 30);
      db.flatten(1);
      for (int i = 0; i < 50 && db.runValueLogGc(0.1); i++) {
        // collect whatever the rules allow
      }
      for (long ts = 10; ts <= 30; ts += 10) {
        for (byte[] k : keys) {
          assertArrayEquals(value(k, ts), readAt(db, ts, k), "version " + ts);
        }
      }
      long before = db.stats().valueLogBytes();
      db.setDiscardTs(30);
      db.flatten(1); // a no-op here: the tree is flat already, so garbage is found by sampling
      // A file sampled below the ratio is sampled again two rounds later: the first rounds after
      // setDiscardTs may find nothing.
      int rounds = 0;
      while (db.runValueLogGc(0.1) || rounds < 3) {
        assertTrue(++rounds < 100, "GC keeps finding work");
      }
      assertTrue(db.stats().valueLogBytes() < before * 2 / 3,
          "versions 10 and 20 collected: " + before + " -> " + db.stats().valueLogBytes());
      for (byte[] k : keys) {
        assertArrayEquals(value(k, 30), readAt(db, 30, k));
      }
    }
  }

  @Test
  void theCallsOfTheOtherMode_failClearly_andLeaveTheDatabaseUsable() {
    try (Db db = Db.open(managed().build())) {
      assertThrows(IllegalStateException.class, () -> db.newTransaction(true));
      assertThrows(IllegalStateException.class, () -> db.update(t -> t.set(K, v(1))));
      assertThrows(IllegalStateException.class, db::newWriteBatch);
      assertThrows(IllegalStateException.class, () -> db.getSequence(K, 10));
      Txn t = db.newTransactionAt(1, true);
      t.set(K, v(2));
      IllegalStateException e = assertThrows(IllegalStateException.class, t::commit);
      assertTrue(e.getMessage().contains("commitAt"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> t.commitAt(0));
      t.commitAt(2);
      assertThrows(IllegalArgumentException.class, () -> db.newTransactionAt(-1, false));
      assertThrows(IllegalArgumentException.class, () -> db.newWriteBatchAt(0));
      assertThrows(IllegalArgumentException.class, () -> db.setDiscardTs(-1));
      assertArrayEquals(v(2), readAt(db, 2, K));
    }
    try (Db db = Db.open(LsmModelTest.smallTree(dir).build())) {
      assertThrows(IllegalStateException.class, () -> db.newTransactionAt(5, false));
      assertThrows(IllegalStateException.class, () -> db.newWriteBatchAt(5));
      assertThrows(IllegalStateException.class, () -> db.setDiscardTs(5));
      Txn t = db.newTransaction(true);
      t.set(K, v(3));
      assertThrows(IllegalStateException.class, () -> t.commitAt(9));
      t.commit();
      assertArrayEquals(v(3), db.view(x -> x.get(K).value()), "a managed database reopened"
          + " unmanaged reads on from its versions");
    }
  }
}
