package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static dev.sett.kv.core.Bytes.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.Db;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WAL replay: a torn tail is cut back to the last complete transaction; damage that must have
 * been synced is reported with file and offset; a transaction is never half applied. Databases
 * here close without flushing (as a killed process would), so the WALs stay to be damaged.
 */
class WalRecoveryTest {

  /** A database that neither flushes while open nor at close: its WALs stay. */
  static final class Unflushed implements AutoCloseable {
    final SettDb db;

    private Unflushed(SettDb db) {
      this.db = db;
    }

    static Unflushed open(Options o) {
      return new Unflushed(SettDb.open(o, false));
    }

    @Override
    public void close() {
      db.close(false);
    }
  }
  @TempDir Path dir;

  private List<Path> wals() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".mem")).sorted().toList();
    }
  }

  /** Writes transactions t0..t(n-1), each setting keys tN/0..tN/2 to "vN". */
  private void writeTxns(Options o, int from, int n) {
    try (Unflushed u = Unflushed.open(o)) {
      Db db = u.db;
      for (int i = from; i < from + n; i++) {
        int t = i;
        db.update(txn -> {
          for (int j = 0; j < 3; j++) {
            txn.set(b("t" + t + "/" + j), b("v" + t));
          }
        });
      }
    }
  }

  /** Checks every transaction is whole or absent; returns how many are present. */
  private static int checkAtomic(Db db, int n) {
    int present = 0;
    for (int t = 0; t < n; t++) {
      int tt = t;
      int count = db.view(txn -> {
        int c = 0;
        for (int j = 0; j < 3; j++) {
          Item it = txn.get(b("t" + tt + "/" + j));
          if (it != null) {
            assertEquals("v" + tt, s(it.value()));
            c++;
          }
        }
        return c;
      });
      assertTrue(count == 0 || count == 3, "transaction " + t + " half present: " + count);
      present += count == 3 ? 1 : 0;
    }
    return present;
  }

  @Test
  void tornTail_atEveryLength_keepsAPrefixOfWholeTransactions() throws IOException {
    Options o = Options.builder(dir).build();
    writeTxns(o, 0, 5);
    Path wal = wals().get(wals().size() - 1);
    byte[] full = Files.readAllBytes(wal);
    int lastPresent = 5;
    for (int cut = full.length - 1; cut > full.length - 200 && cut > 100; cut -= 3) {
      Files.write(wal, java.util.Arrays.copyOf(full, cut));
      try (Unflushed u = Unflushed.open(o)) {
      Db db = u.db;
        int present = checkAtomic(db, 5);
        assertTrue(present <= lastPresent, "cutting more cannot bring data back");
        assertTrue(present >= 2, "a transaction takes about 90 bytes: at most three fit in 200");
        lastPresent = present;
      }
      assertTrue(Files.size(wal) <= cut, "the torn tail was truncated");
      Files.write(wal, full);
    }
  }

  @Test
  void tornTail_thenNewWrites_continueCleanly() throws IOException {
    Options o = Options.builder(dir).build();
    writeTxns(o, 0, 3);
    Path wal = wals().get(0);
    long size = Files.size(wal);
    try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
      f.setLength(size - 5);
    }
    writeTxns(o, 10, 2);
    try (Unflushed u = Unflushed.open(o)) {
      Db db = u.db;
      assertEquals(2, checkAtomic(db, 3));
      assertEquals(2, checkAtomic(db, 12) - 2);
    }
  }

  /**
   * Fault 3 of issue 12: when the newest WAL was not reused on open (here because
   * {@code memTableSize} was lowered), its torn tail stayed, and a second crash before the flush
   * made the next open fail with corruption "in a sealed WAL".
   */
  @Test
  void tornTail_ofAWalNotReused_isCutAtOpen_soASecondCrashStillOpens() throws IOException {
    writeTxns(Options.builder(dir).build(), 0, 3000); // more than one small memtable holds
    Path wal = wals().get(wals().size() - 1);
    long valid = Files.size(wal);
    try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
      f.seek(valid);
      f.write(new byte[] {1, 2, 3, 4, 5, 6, 7}); // a record cut short by the crash
    }
    // A smaller memtable than the replayed one: the WAL is not reused, a new one is created.
    Options smaller = Options.builder(dir).memTableSize(64 << 10).build();
    try (Unflushed u = Unflushed.open(smaller)) {
      assertEquals(3000, checkAtomic(u.db, 3000));
      assertEquals(valid, Files.size(wal), "the torn tail is cut at open");
      u.db.update(txn -> txn.set(b("after"), b("first crash")));
    } // a second crash before any flush
    try (Unflushed u = Unflushed.open(smaller)) {
      assertEquals(3000, checkAtomic(u.db, 3000));
      assertEquals("first crash", s(u.db.view(txn -> txn.get(b("after")).value())));
    }
  }

  @Test
  void damageInASealedWal_isReportedWithFileAndOffset() throws IOException {
    Options o = Options.builder(dir).memTableSize(64 << 10).numMemtables(64).build();
    try (Unflushed u = Unflushed.open(o)) {
      Db db = u.db;
      for (int i = 0; i < 2000; i++) {
        int n = i;
        db.update(txn -> txn.set(b("key" + n), new byte[100]));
      }
    }
    List<Path> wals = wals();
    assertTrue(wals.size() >= 2);
    Path sealed = wals.get(0);
    flip(sealed, Files.size(sealed) / 2);
    CorruptionException e = assertThrows(CorruptionException.class, () -> Db.open(o));
    assertEquals(sealed.getFileName().toString(), e.file().orElseThrow());
    assertTrue(e.offset() > 0 && e.offset() <= Files.size(sealed) / 2, "offset " + e.offset());
    assertTrue(e.getMessage().contains(sealed.getFileName().toString()), e.getMessage());
    // Nothing was changed by the failed open: the same error again.
    assertThrows(CorruptionException.class, () -> Db.open(o));
  }

  @Test
  void damageBeforeASyncMark_inTheNewestWal_isReported() throws IOException {
    Options o = Options.builder(dir).syncWrites(true).build();
    writeTxns(o, 0, 20);
    Path wal = wals().get(wals().size() - 1);
    flip(wal, 200); // inside an early, synced transaction
    CorruptionException e = assertThrows(CorruptionException.class, () -> Db.open(o));
    assertTrue(e.getMessage().contains("synced"), e.getMessage());
  }

  @Test
  void damageWithoutLaterSyncMark_isATornTail() throws IOException {
    Options o = Options.builder(dir).build(); // syncWrites off: nothing was known durable
    writeTxns(o, 0, 20);
    Path wal = wals().get(wals().size() - 1);
    long size = Files.size(wal);
    flip(wal, size - 30); // inside the last transaction
    try (Unflushed u = Unflushed.open(o)) {
      Db db = u.db;
      assertEquals(19, checkAtomic(db, 20));
    }
  }

  @Test
  void wrongDatabaseOrMissingManifest_isRefused() throws IOException {
    Options o = Options.builder(dir).build();
    writeTxns(o, 0, 1);
    Path other = dir.resolve("other");
    try (Unflushed u = Unflushed.open(Options.builder(other).build())) {
      Db db = u.db;
      db.update(txn -> txn.set(b("x"), b("y")));
    }
    Path foreign = wals().get(0);
    Files.copy(other.resolve(foreign.getFileName()), foreign,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    CorruptionException e = assertThrows(CorruptionException.class, () -> Db.open(o));
    assertTrue(e.getMessage().contains("belongs to database"), e.getMessage());
    Files.delete(dir.resolve("MANIFEST"));
    e = assertThrows(CorruptionException.class, () -> Db.open(o));
    assertTrue(e.getMessage().contains("MANIFEST is missing"), e.getMessage());
  }

  @Test
  void everyTransactionIsAtomic_whenTheLastOneIsCutAnywhere() throws IOException {
    Options o = Options.builder(dir).build();
    try (Unflushed u = Unflushed.open(o)) {
      Db db = u.db;
      db.update(txn -> txn.set(b("before"), b("1")));
      db.update(txn -> {
        for (int j = 0; j < 50; j++) {
          txn.set(b("big/" + j), new byte[40]);
        }
      });
    }
    Path wal = wals().get(0);
    byte[] full = Files.readAllBytes(wal);
    for (int cut = full.length - 1; cut > full.length - 3000 && cut > 100; cut -= 97) {
      Files.write(wal, java.util.Arrays.copyOf(full, cut));
      try (Unflushed u = Unflushed.open(o)) {
      Db db = u.db;
        List<String> keys = new ArrayList<>();
        db.view(txn -> {
          try (KvIterator it = txn.newIterator(IteratorOptions.DEFAULT)) {
            for (it.rewind(); it.valid(); it.next()) {
              keys.add(s(it.item().key()));
            }
          }
          return null;
        });
        assertEquals(List.of("before"), keys, "cut at " + cut);
      }
      Files.write(wal, full);
    }
  }

  private static void flip(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x10);
    }
  }
}
