package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static dev.sett.kv.core.Bytes.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.DirectoryLockedException;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import dev.sett.kv.WriteBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input gets a clear exception and changes nothing. */
class BadInputTest {
  @TempDir Path dir;

  /** Everything the database holds, as "key=value" lines, to prove nothing changed. */
  private static List<String> dump(Db db) {
    return db.view(txn -> {
      List<String> out = new ArrayList<>();
      try (KvIterator it = txn.newIterator(IteratorOptions.DEFAULT)) {
        for (it.rewind(); it.valid(); it.next()) {
          out.add(s(it.item().key()) + "=" + s(it.item().value()) + "@" + it.item().version());
        }
      }
      return out;
    });
  }

  private static <T extends Throwable> T expect(Class<T> type, String messagePart, Executable e) {
    T t = assertThrows(type, e);
    assertTrue(t.getMessage() != null && t.getMessage().contains(messagePart),
        "message '" + t.getMessage() + "' should mention '" + messagePart + "'");
    return t;
  }

  @Test
  void aValueAboveMaxValueSize_isRejected_whenItStaysInTheTree() {
    long never = Options.MAX_VALUE_THRESHOLD_LIMIT; // nothing goes to the value log
    try (Db db = Db.open(Options.builder(dir).memTableSize(1 << 20).maxValueThreshold(never)
        .valueThreshold(never).build())) {
      expect(IllegalArgumentException.class, "for a value kept in the LSM tree",
          () -> db.update(txn -> txn.set(b("big"), new byte[(int) db.options().maxValueSize()
              + 1])));
      assertNull(db.view(txn -> txn.get(b("big"))));
    }
  }

  @Test
  void badKeysAndValues_areRejected_andChangeNothing() {
    // The smallest value log files: a value too big for one is refused (values of 1 KiB and
    // more go there by default); a tree-only database refuses values above maxValueSize.
    try (Db db = Db.open(Options.builder(dir).memTableSize(1 << 20)
        .valueLogFileSize(Options.MIN_VALUE_LOG_FILE_SIZE).build())) {
      db.update(txn -> txn.set(b("keep"), b("me")));
      List<String> before = dump(db);
      expect(IllegalArgumentException.class, "empty",
          () -> db.update(txn -> txn.set(new byte[0], b("v"))));
      expect(IllegalArgumentException.class, "65000",
          () -> db.update(txn -> txn.set(new byte[65_001], b("v"))));
      expect(IllegalArgumentException.class, "65000",
          () -> db.update(txn -> txn.delete(new byte[70_000])));
      expect(IllegalArgumentException.class, "null",
          () -> db.view(txn -> txn.get(null)));
      expect(IllegalArgumentException.class, "a value log file of valueLogFileSize",
          () -> db.update(txn -> txn.set(b("big"), new byte[2 << 20])));
      // A transaction that failed half way writes none of its entries.
      assertThrows(IllegalArgumentException.class, () -> db.update(txn -> {
        txn.set(b("half"), b("v"));
        txn.set(new byte[0], b("v"));
      }));
      assertEquals(before, dump(db));
      // The largest legal key works.
      db.update(txn -> txn.set(new byte[65_000], b("v")));
    }
  }

  @Test
  void writeInReadOnlyTransaction_isRejected() {
    try (Db db = Db.open(Options.inMemory().build())) {
      try (Txn txn = db.newTransaction(false)) {
        expect(IllegalStateException.class, "read-only", () -> txn.set(b("k"), b("v")));
        expect(IllegalStateException.class, "read-only", () -> txn.delete(b("k")));
      }
      expect(IllegalStateException.class, "read-only",
          () -> db.view(txn -> {
            txn.set(b("k"), b("v"));
            return null;
          }));
      assertEquals(List.of(), dump(db));
    }
  }

  @Test
  void useAfterClose_throwsDbClosedException() {
    Db db = Db.open(Options.builder(dir).build());
    db.update(txn -> txn.set(b("k"), b("v")));
    Txn txn = db.newTransaction(true);
    KvIterator it = txn.newIterator(IteratorOptions.DEFAULT);
    WriteBatch batch = db.newWriteBatch();
    db.close();
    db.close(); // idempotent
    assertTrue(db.isClosed());
    expect(DbClosedException.class, "closed", () -> db.newTransaction(false));
    expect(DbClosedException.class, "closed", () -> db.update(t -> t.set(b("a"), b("b"))));
    expect(DbClosedException.class, "closed", db::sync);
    expect(DbClosedException.class, "closed", () -> txn.get(b("k")));
    expect(DbClosedException.class, "closed", () -> txn.set(b("k"), b("v")));
    expect(DbClosedException.class, "closed", txn::commit);
    expect(DbClosedException.class, "closed", it::rewind);
    expect(DbClosedException.class, "closed", () -> batch.set(b("k"), b("v")));
    it.close();
    txn.close();
    batch.close();
    try (Db again = Db.open(dir)) {
      assertEquals(List.of("k=v@1"), dump(again));
    }
  }

  @Test
  void committedOrDiscardedTransaction_cannotBeUsed() {
    try (Db db = Db.open(Options.inMemory().build())) {
      Txn txn = db.newTransaction(true);
      txn.set(b("k"), b("v"));
      txn.commit();
      expect(DbClosedException.class, "committed", () -> txn.set(b("x"), b("y")));
      Txn other = db.newTransaction(true);
      other.close();
      expect(DbClosedException.class, "discarded", () -> other.get(b("k")));
      other.close(); // idempotent
    }
  }

  @Test
  void invalidOptions_nameOptionValueAndRange() {
    IllegalArgumentException e = expect(IllegalArgumentException.class, "memTableSize",
        () -> Options.builder(dir).memTableSize(10));
    assertTrue(e.getMessage().contains("10") && e.getMessage().contains("["), e.getMessage());
    expect(IllegalArgumentException.class, "numMemtables",
        () -> Options.builder(dir).numMemtables(0));
    expect(IllegalArgumentException.class, "memTable",
        () -> Options.builder(dir).memTable("Not A Name"));
    expect(IllegalArgumentException.class, "syncWrites",
        () -> Options.inMemory().syncWrites(true).build());
  }

  @Test
  void unknownProvider_listsTheAvailableOnes_andLeavesNoLock() {
    Options o = Options.builder(dir).memTable("no-such-memtable").build();
    IllegalArgumentException e = expect(IllegalArgumentException.class, "no-such-memtable",
        () -> Db.open(o));
    assertTrue(e.getMessage().contains("skiplist"), e.getMessage());
    try (Db db = Db.open(dir)) {
      db.update(txn -> txn.set(b("k"), b("v")));
    }
  }

  @Test
  void secondOpenOfTheSameDirectory_failsClearly_andTheFirstKeepsWorking() {
    try (Db db = Db.open(dir)) {
      expect(DirectoryLockedException.class, "already open", () -> Db.open(dir));
      db.update(txn -> txn.set(b("k"), b("v")));
    }
    try (Db db = Db.open(dir)) {
      assertEquals(1, dump(db).size());
    }
  }
}
