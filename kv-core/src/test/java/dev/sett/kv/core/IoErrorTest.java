package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static dev.sett.kv.core.Bytes.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DbFailedException;
import dev.sett.kv.Item;
import dev.sett.kv.KvException;
import dev.sett.kv.Options;
import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.testkit.FaultyStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The I/O error loop: for every N, the Nth write, sync or file creation fails, whether it belongs
 * to a commit, a flush or a compaction (tiny memtables keep both running). A failed commit throws
 * a {@link KvException} and later writes are refused with {@link DbFailedException} (reads keep
 * working); after a reopen every acknowledged commit is there and whole.
 */
class IoErrorTest {

  private static Options options(FaultyStorage storage) {
    return LsmModelTest.smallTree(Path.of("unused")).storage(storage).syncWrites(true)
        .build();
  }

  @ParameterizedTest
  @EnumSource(value = FaultyStorage.Op.class, names = {"WRITE", "SYNC", "CREATE"})
  void failingTheNthCall_losesNoAcknowledgedCommit(FaultyStorage.Op op) throws Exception {
    for (int n = 1; n <= 40; n++) {
      FaultyStorage storage = new FaultyStorage(new MemoryStorage(), n);
      List<Integer> acked = new ArrayList<>();
      Db db = Db.open(options(storage));
      storage.failOn(op, n);
      KvException failure = null;
      for (int t = 0; t < 400 && failure == null; t++) {
        int id = t;
        try {
          db.update(txn -> {
            for (int j = 0; j < 3; j++) {
              txn.set(b("t" + id + "/" + j), new byte[120]);
            }
          });
          acked.add(id);
        } catch (KvException e) {
          failure = e;
        }
      }
      String where = op + " #" + n;
      // A fault in a commit fails it; one in a flush fails the database (the next commit says
      // so); one in a compaction is logged and the compaction retried. Either way nothing
      // acknowledged may be lost.
      if (failure != null) {
        assertThrows(DbFailedException.class,
            () -> db.update(txn -> txn.set(b("more"), b("x"))), where);
        int last = acked.isEmpty() ? -1 : acked.get(acked.size() - 1);
        if (last >= 0) {
          int size = db.view(txn -> txn.get(b("t" + last + "/0")).valueSize());
          assertEquals(120, size, where + ": reads keep working");
        }
      }
      storage.clearFaults();
      try {
        db.close();
      } catch (KvException ignored) {
        // the write path is failed; closing still releases the lock
      }
      try (Db again = Db.open(options(storage))) {
        for (int id : acked) {
          for (int j = 0; j < 3; j++) {
            byte[] key = b("t" + id + "/" + j);
            Item it = again.view(txn -> txn.get(key));
            assertTrue(it != null, where + ": acknowledged commit " + id + " lost");
          }
        }
        again.update(txn -> txn.set(b("after"), b("ok")));
        assertEquals("ok", s(again.view(txn -> txn.get(b("after")).value())), where);
      }
      storage.assertNoOpenHandles();
    }
  }

  /**
   * A background fsync that fails ({@code bytesPerSync}, on the {@code sett-wal-sync} or {@code
   * sett-vlog-sync} thread) fails the database at the next commit, since the data it was syncing
   * may be lost (Linux reports a writeback error to one fsync only); nothing acknowledged before
   * is lost across a reopen.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"sett-wal-sync", "sett-vlog-sync"})
  void aFailedBackgroundSync_failsTheDatabase_andLosesNothingAcknowledged(String thread)
      throws Exception {
    FaultyStorage storage = new FaultyStorage(new MemoryStorage(), 1);
    Options options = LsmModelTest.smallTree(Path.of("unused")).storage(storage)
        .memTableSize(4 << 20).valueThreshold(64).build(); // values in the value log
    Db db = Db.open(options);
    storage.failMatching(FaultyStorage.Op.SYNC, name -> Thread.currentThread().getName()
        .equals(thread));
    List<Integer> acked = new ArrayList<>();
    KvException failure = null;
    for (int t = 0; t < 20_000 && failure == null; t++) {
      int id = t;
      try {
        db.update(txn -> txn.set(b("t" + id), new byte[300]));
        acked.add(id);
      } catch (KvException e) {
        failure = e;
      }
    }
    assertTrue(failure != null, thread + ": a failed background sync must fail a commit");
    boolean named = false;
    for (Throwable c = failure; c != null; c = c.getCause()) {
      named |= String.valueOf(c.getMessage()).contains("background fsync");
    }
    assertTrue(named, thread + ": the failure names the background fsync: " + failure);
    assertThrows(DbFailedException.class, () -> db.update(txn -> txn.set(b("more"), b("x"))));
    storage.clearFaults();
    try {
      db.close();
    } catch (KvException ignored) {
      // the write path is failed; closing still releases the lock
    }
    try (Db again = Db.open(options)) {
      for (int id : acked) {
        Item it = again.view(txn -> txn.get(b("t" + id)));
        assertTrue(it != null, thread + ": acknowledged commit " + id + " lost");
        assertEquals(300, it.valueSize());
      }
    }
    storage.assertNoOpenHandles();
  }
}