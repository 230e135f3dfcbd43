package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static dev.sett.kv.core.Bytes.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Iteration over a snapshot: order, versions, tombstones, prefixes, seeks, reverse, a transaction's
 * own writes. The data set is Badger's iteration edge case: c@1; a@2, c@2; b@3; b@4 deleted, c@4
 * deleted. It is run once more on disk with every value in the value log ({@code valueThreshold}
 * 0), before and after a reopen.
 */
class IteratorTest {
  @TempDir Path dir;

  private static List<String> collect(Txn txn, IteratorOptions o, byte[] seek) {
    List<String> out = new ArrayList<>();
    try (KvIterator it = txn.newIterator(o)) {
      if (seek == null) {
        it.rewind();
      } else {
        it.seek(seek);
      }
      for (; it.valid(); it.next()) {
        Item i = it.item();
        out.add(s(i.key()) + "@" + i.version() + (i.isDeletedOrExpired() ? "x" : "")
            + "=" + s(i.value()));
      }
    }
    return out;
  }

  private static Db badgerEdgeCase() {
    return badgerEdgeCase(Db.open(Options.inMemory().build()));
  }

  private static Db badgerEdgeCase(Db db) {
    db.update(t -> t.set(b("c"), b("c1")));
    db.update(t -> {
      t.set(b("a"), b("a2"));
      t.set(b("c"), b("c2"));
    });
    db.update(t -> t.set(b("b"), b("b3")));
    db.update(t -> {
      t.delete(b("b"));
      t.delete(b("c"));
    });
    return db;
  }

  @Test
  void aTransactionsOwnWrites_areIterated_inADatabaseNothingWasCommittedTo() {
    // Its read timestamp is 0 there, and its pending writes carry it: they were hidden as if
    // at or below the default sinceTs until sinceTs 0 came to mean "every version".
    try (Db db = Db.open(Options.inMemory().build()); Txn txn = db.newTransaction(true)) {
      txn.set(b("k2"), b("v2"));
      txn.set(b("k1"), b("v1"));
      assertEquals(List.of("k1@0=v1", "k2@0=v2"), collect(txn, IteratorOptions.DEFAULT, null));
      assertEquals(List.of("k2@0=v2", "k1@0=v1"),
          collect(txn, IteratorOptions.builder().reverse(true).build(), null));
      assertEquals(List.of("k2@0=v2"),
          collect(txn, IteratorOptions.builder().prefix(b("k")).build(), b("k2")));
    }
  }

  @Test
  void forwardAndReverse_atEveryReadTimestamp() {
    try (Db db = badgerEdgeCase()) {
      checkBadgerEdgeCase(db);
    }
  }

  @Test
  void forwardAndReverse_atEveryReadTimestamp_withEveryValueSeparated_andAfterReopen() {
    Options o = LsmModelTest.separateValues(Options.builder(dir), 0).build();
    try (Db db = badgerEdgeCase(Db.open(o))) {
      checkBadgerEdgeCase(db);
    }
    try (Db db = Db.open(o)) { // the values come back through the WAL's (or a table's) pointers
      checkBadgerEdgeCase(db);
    }
  }

  private static void checkBadgerEdgeCase(Db db) {
    IteratorOptions fwd = IteratorOptions.DEFAULT;
    IteratorOptions rev = IteratorOptions.builder().reverse(true).build();
    try (Txn txn = db.newTransaction(false)) {
      assertEquals(4, txn.readTs());
      assertEquals(List.of("a@2=a2"), collect(txn, fwd, null));
      assertEquals(List.of("a@2=a2"), collect(txn, rev, null));
    }
    // allVersions shows what the database keeps: no snapshot older than 4 is open, so a
    // tombstone ends its key's versions (as a compaction would; Badger shows whatever the tree
    // still holds, which depends on when compactions ran).
    try (Txn txn = db.newTransaction(false)) {
      IteratorOptions all = IteratorOptions.builder().allVersions(true).build();
      assertEquals(List.of("a@2=a2", "b@4x=", "c@4x="), collect(txn, all, null));
      IteratorOptions allRev = all.toBuilder().reverse(true).build();
      assertEquals(List.of("c@4x=", "b@4x=", "a@2=a2"), collect(txn, allRev, null));
      assertEquals(List.of("b@4x=", "c@4x="),
          collect(txn, IteratorOptions.builder().sinceTs(2).allVersions(true).build(), null));
      assertEquals(List.of(), collect(txn, IteratorOptions.builder().sinceTs(2).build(), null));
    }
  }

  @Test
  void snapshotsAtOlderTimestamps_seeOlderStates() {
    Db db = Db.open(Options.inMemory().build());
    try (db) {
      db.update(t -> t.set(b("c"), b("c1")));
      Txn at1 = db.newTransaction(false);
      db.update(t -> {
        t.set(b("a"), b("a2"));
        t.set(b("c"), b("c2"));
      });
      Txn at2 = db.newTransaction(false);
      db.update(t -> t.set(b("b"), b("b3")));
      Txn at3 = db.newTransaction(false);
      db.update(t -> {
        t.delete(b("b"));
        t.delete(b("c"));
      });
      IteratorOptions rev = IteratorOptions.builder().reverse(true).build();
      assertEquals(List.of("c@1=c1"), collect(at1, IteratorOptions.DEFAULT, null));
      assertEquals(List.of("a@2=a2", "c@2=c2"), collect(at2, IteratorOptions.DEFAULT, null));
      assertEquals(List.of("c@2=c2", "a@2=a2"), collect(at2, rev, null));
      assertEquals(List.of("a@2=a2", "b@3=b3", "c@2=c2"),
          collect(at3, IteratorOptions.DEFAULT, null));
      assertEquals(List.of("c@2=c2", "b@3=b3", "a@2=a2"), collect(at3, rev, null));
      at1.close();
      at2.close();
      at3.close();
    }
  }

  @Test
  void prefixAndSeek_forwardAndReverse() {
    try (Db db = Db.open(Options.inMemory().build())) {
      db.update(t -> {
        for (String k : List.of("a", "ab", "abc", "abd", "ac", "b", "bz")) {
          t.set(b(k), b(k.toUpperCase()));
        }
      });
      try (Txn txn = db.newTransaction(false)) {
        IteratorOptions p = IteratorOptions.builder().prefix(b("ab")).build();
        assertEquals(List.of("ab@1=AB", "abc@1=ABC", "abd@1=ABD"), collect(txn, p, null));
        IteratorOptions pr = p.toBuilder().reverse(true).build();
        assertEquals(List.of("abd@1=ABD", "abc@1=ABC", "ab@1=AB"), collect(txn, pr, null));
        assertEquals(List.of("abd@1=ABD", "ac@1=AC", "b@1=B", "bz@1=BZ"),
            collect(txn, IteratorOptions.DEFAULT, b("abcz")));
        IteratorOptions rev = IteratorOptions.builder().reverse(true).build();
        assertEquals(List.of("abc@1=ABC", "ab@1=AB", "a@1=A"), collect(txn, rev, b("abcz")));
        assertEquals(List.of("abc@1=ABC", "ab@1=AB"), collect(txn, pr, b("abc")));
        assertEquals(List.of(), collect(txn, IteratorOptions.DEFAULT, b("c")));
        try (KvIterator it = txn.newIterator(IteratorOptions.DEFAULT)) {
          it.seek(b("ab"));
          assertTrue(it.validForPrefix(b("a")));
          assertFalse(it.validForPrefix(b("b")));
        }
      }
    }
  }

  @Test
  void iterator_mergesTheTransactionsOwnWrites_asOfItsCreation() {
    try (Db db = Db.open(Options.inMemory().build())) {
      db.update(t -> {
        t.set(b("a"), b("1"));
        t.set(b("b"), b("1"));
        t.set(b("c"), b("1"));
      });
      try (Txn txn = db.newTransaction(true)) {
        txn.set(b("b"), b("2"));
        txn.delete(b("c"));
        txn.set(b("d"), b("2"));
        KvIterator it = txn.newIterator(IteratorOptions.DEFAULT);
        txn.set(b("e"), b("later"));
        List<String> seen = new ArrayList<>();
        for (it.rewind(); it.valid(); it.next()) {
          seen.add(s(it.item().key()) + "=" + s(it.item().value()));
        }
        it.close();
        assertEquals(List.of("a=1", "b=2", "d=2"), seen);
        assertEquals(List.of("e@1=later", "d@1=2", "b@1=2", "a@1=1"),
            collect(txn, IteratorOptions.builder().reverse(true).build(), null));
      }
    }
  }

  /**
   * A key iterator visits every version of one key the database keeps at the read timestamp:
   * up to {@code numVersionsToKeep}, down to a tombstone (shown); an older snapshot sees its own.
   */
  @Test
  void keyIterator_visitsEveryVersionOfOneKey() {
    try (Db db = Db.open(Options.inMemory().numVersionsToKeep(3).build())) {
      db.update(t -> t.set(b("k"), b("1")));
      db.update(t -> t.set(b("kk"), b("x")));
      db.update(t -> t.set(b("k"), b("2")));
      Txn old = db.newTransaction(false); // read ts 3
      assertEquals(List.of(3L, 1L), keyVersions(db));
      db.update(t -> t.delete(b("k")));
      assertEquals(List.of(4L), keyVersions(db));
      try (KvIterator it = old.newKeyIterator(b("k"), IteratorOptions.DEFAULT)) {
        List<Long> versions = new ArrayList<>();
        for (it.rewind(); it.valid(); it.next()) {
          versions.add(it.item().version());
        }
        assertEquals(List.of(3L, 1L), versions);
      }
      old.close();
    }
  }

  private static List<Long> keyVersions(Db db) {
    try (Txn txn = db.newTransaction(false);
        KvIterator it = txn.newKeyIterator(b("k"), IteratorOptions.DEFAULT)) {
      List<Long> versions = new ArrayList<>();
      for (it.rewind(); it.valid(); it.next()) {
        versions.add(it.item().version());
      }
      return versions;
    }
  }

  /**
   * allVersions with {@code numVersionsToKeep} 2: two versions per key at the read timestamp, or
   * down to a tombstone; an older snapshot sees its own two. Reverse order shows the same
   * versions backwards.
   */
  @Test
  void allVersions_showTheKeptVersions_inBothDirections() {
    try (Db db = Db.open(Options.inMemory().numVersionsToKeep(2).build())) {
      for (int v = 1; v <= 4; v++) { // versions 1..4: a, b, c each get v
        String val = "v" + v;
        db.update(t -> {
          t.set(b("a"), b(val));
          t.set(b("b"), b(val));
          t.set(b("c"), b(val));
        });
      }
      db.update(t -> t.delete(b("b"))); // 5
      Txn old = db.newTransaction(false); // read ts 5: versions above 5 are all kept
      db.update(t -> t.set(b("c"), b("v6"))); // 6
      db.update(t -> t.set(b("c"), b("v7"))); // 7
      IteratorOptions all = IteratorOptions.builder().allVersions(true).build();
      IteratorOptions allRev = all.toBuilder().reverse(true).build();
      List<String> forward = collect(old, all, null);
      assertEquals(List.of("a@4=v4", "a@3=v3", "b@5x=", "c@4=v4", "c@3=v3"), forward);
      List<String> backward = new ArrayList<>(forward);
      java.util.Collections.reverse(backward);
      assertEquals(backward, collect(old, allRev, null));
      old.close();
      try (Txn txn = db.newTransaction(false)) {
        assertEquals(List.of("a@4=v4", "a@3=v3", "b@5x=", "c@7=v7", "c@6=v6"),
            collect(txn, all, null));
        assertEquals(List.of("c@6=v6", "c@7=v7", "b@5x=", "a@3=v3", "a@4=v4"),
            collect(txn, allRev, null));
      }
    }
  }
}
