package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.ConflictException;
import dev.sett.kv.Db;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serializable range reads (beyond Badger): a read-write transaction whose iterator covered a
 * key range conflicts with a transaction that committed, after it began, a write into that range,
 * even of a key it never saw (a phantom). The covered range runs from where the iterator was
 * positioned to the key it stood on last, or to the end of its prefix once it ran out.
 */
class PhantomTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes();
  }

  /** Counts the keys under {@code prefix}, which covers the whole prefix range. */
  private static int count(Txn t, String prefix) {
    int n = 0;
    try (KvIterator it = t.newIterator(IteratorOptions.builder().prefix(b(prefix)).build())) {
      for (it.rewind(); it.valid(); it.next()) {
        n++;
      }
    }
    return n;
  }

  /**
   * The write-skew of phantoms: each transaction checks that the other's range is empty and then
   * inserts into its own. Serially one of them must see the other's key; Badger (and Sett before
   * range reads) let both commit.
   */
  @Test
  void twoTransactionsThatEachScanTheOthersRange_cannotBothCommit() {
    try (Db db = Db.open(dir)) {
      db.update(t -> t.set(b("a/0"), b("x")));
      db.update(t -> t.set(b("b/0"), b("x")));
      Txn t1 = db.newTransaction(true);
      Txn t2 = db.newTransaction(true);
      assertEquals(1, count(t1, "b/"));
      t1.set(b("a/1"), b("t1"));
      assertEquals(1, count(t2, "a/"));
      t2.set(b("b/1"), b("t2"));
      t1.commit();
      ConflictException e = assertThrows(ConflictException.class, t2::commit);
      assertTrue(e.getMessage().contains("phantom"), e.getMessage());
      db.view(t -> {
        assertEquals(2, count(t, "a/"));
        assertEquals(1, count(t, "b/"), "t2's insert was refused");
        return null;
      });
    }
  }

  @Test
  void withoutConflictDetection_bothCommit_asUnderSnapshotIsolation() {
    try (Db db = Db.open(Options.builder(dir).detectConflicts(false).build())) {
      Txn t1 = db.newTransaction(true);
      Txn t2 = db.newTransaction(true);
      count(t1, "b/");
      t1.set(b("a/1"), b("t1"));
      count(t2, "a/");
      t2.set(b("b/1"), b("t2"));
      t1.commit();
      t2.commit();
    }
  }

  @Test
  void onlyTheCoveredPartOfARangeCounts() {
    try (Db db = Db.open(dir)) {
      for (int i = 0; i < 10; i++) {
        int id = i;
        db.update(t -> t.set(b("k" + id), b("v")));
      }
      // Reads k2..k4 from a seek and stops there: covers [k2, k4].
      Txn t = db.newTransaction(true);
      try (KvIterator it = t.newIterator(IteratorOptions.DEFAULT)) {
        it.seek(b("k2"));
        it.next();
        it.next();
        assertEquals("k4", new String(it.item().key()));
      }
      t.set(b("other"), b("w"));
      db.update(x -> x.set(b("k1"), b("before the range")));
      db.update(x -> x.set(b("k5"), b("after the range")));
      db.update(x -> x.set(b("k9x"), b("far after")));
      t.commit(); // nothing was written into [k2, k4]

      Txn u = db.newTransaction(true);
      try (KvIterator it = u.newIterator(IteratorOptions.DEFAULT)) {
        it.seek(b("k2"));
        it.next();
      }
      u.set(b("other"), b("w2"));
      db.update(x -> x.set(b("k25"), b("inside, never seen by u")));
      assertThrows(ConflictException.class, u::commit);

      Txn rev = db.newTransaction(true); // reverse: from k5 down to k3, [k3, k5]
      try (KvIterator it = rev.newIterator(IteratorOptions.builder().reverse(true).build())) {
        it.seek(b("k5"));
        it.next();
        it.next();
        assertEquals("k3", new String(it.item().key()));
      }
      rev.set(b("other"), b("w3"));
      db.update(x -> x.set(b("k45"), b("inside")));
      assertThrows(ConflictException.class, rev::commit);
    }
  }

  @Test
  void aFullScan_conflictsWithAnyWrite_andAReadOnlyScanWithNone() {
    try (Db db = Db.open(dir)) {
      db.update(t -> t.set(b("m"), b("v")));
      Txn all = db.newTransaction(true);
      try (KvIterator it = all.newIterator(IteratorOptions.DEFAULT)) {
        for (it.rewind(); it.valid(); it.next()) {
          it.item();
        }
      }
      all.set(b("m"), b("v2"));
      Txn readOnly = db.newTransaction(false);
      count(readOnly, "");
      db.update(t -> t.set(b("zzz"), b("anywhere")));
      assertThrows(ConflictException.class, all::commit);
      readOnly.commit(); // read-only: nothing to check
      readOnly.close();
    }
  }

  @Test
  void manyScans_areCheckedAsTheirUnion_boundedAndConservative() {
    try (Db db = Db.open(dir)) {
      for (int i = 0; i < 200; i++) {
        int id = i;
        db.update(t -> t.set(b(String.format("n%03d", id)), b("v")));
      }
      Txn t = db.newTransaction(true);
      try (KvIterator it = t.newIterator(IteratorOptions.DEFAULT)) {
        for (int i = 0; i < 200; i += 2) { // 100 point scans: more than MAX_RANGES
          it.seek(b(String.format("n%03d", i)));
        }
      }
      t.set(b("x"), b("y"));
      db.update(x -> x.set(b("n0015"), b("between two scanned keys")));
      assertThrows(ConflictException.class, t::commit, "the union covers n000..n198");
    }
  }
}
