package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static dev.sett.kv.core.Bytes.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DbFailedException;
import dev.sett.kv.DbStats;
import dev.sett.kv.Options;
import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.testkit.FaultyStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Background failures surface instead of stalling (fault 5 of issue 12): when compactions cannot
 * go on, the database moves to the failed state, so writes fail at once with
 * {@link DbFailedException} carrying the cause, reads keep working and {@code close()} returns.
 * Before, the compactors stopped (MANIFEST) or retried forever (a failing compaction), the flusher
 * waited for L0 room for good and every writer waited for memtable room for good.
 *
 * <p>The faults are injected only into calls made by compaction threads, so the flushes and
 * commits that fill L0 keep working and the only way out is through the failed state.
 */
class BackgroundFailureTest {
  /** Generous: a healthy run takes a second or two; a hang never ends. */
  private static final Duration HANG = Duration.ofSeconds(60);

  @TempDir Path dir;

  private static boolean onCompactionThread() {
    String t = Thread.currentThread().getName();
    return t.startsWith("sett-compactor") || t.startsWith("sett-subcompact");
  }

  private static Options small(Path dir, FaultyStorage storage) {
    return LsmModelTest.smallTree(dir).storage(storage).build();
  }

  /** Commits until one fails; returns the failure. */
  private static DbFailedException writeUntilFailed(Db db) {
    for (int i = 0; ; i++) {
      int id = i;
      try {
        db.update(txn -> txn.set(b("k" + id), new byte[300]));
      } catch (DbFailedException e) {
        return e;
      }
    }
  }

  private void failingCompactions_failTheDatabase(FaultyStorage.Op op,
      Predicate<String> files) throws Exception {
    FaultyStorage storage = new FaultyStorage(new MemoryStorage(), 1);
    Db db = Db.open(small(dir, storage));
    db.update(txn -> txn.set(b("before"), b("v")));
    storage.failMatching(op, name -> files.test(name) && onCompactionThread());
    DbFailedException e = assertTimeoutPreemptively(HANG, () -> writeUntilFailed(db),
        "writes must fail, not wait for good");
    assertNotNull(e.getCause(), "the failure carries its cause");
    // Writes fail at once from now on, with the same cause; reads go on.
    DbFailedException again = assertTimeoutPreemptively(HANG, () -> writeUntilFailed(db));
    assertSame(e.getCause(), again.getCause());
    assertEquals("v", s(db.view(txn -> txn.get(b("before")).value())));
    assertTimeoutPreemptively(HANG, () -> {
      try {
        db.close();
      } catch (RuntimeException closing) {
        // a failed database may report the failure again at close; it must return
      }
    });
    storage.clearFaults();
    try (Db reopened = Db.open(small(dir, storage))) {
      assertEquals("v", s(reopened.view(txn -> txn.get(b("before")).value())));
    }
  }

  /**
   * Before, the compactors stopped; the failure surfaced only if a later flush tried the MANIFEST,
   * which it does not while it waits for L0 room. Now the compactor fails the database at once.
   */
  @Test
  void aManifestThatCannotBeWritten_failsTheDatabase() throws Exception {
    failingCompactions_failTheDatabase(FaultyStorage.Op.WRITE,
        name -> name.startsWith("MANIFEST"));
  }

  /** Before, the compactors retried forever and every writer hung (this test timed out). */
  @Test
  void aCompactionThatKeepsFailing_failsTheDatabase() throws Exception {
    failingCompactions_failTheDatabase(FaultyStorage.Op.WRITE, name -> name.endsWith(".sst"));
  }

  /**
   * With {@code numCompactors=0} nothing ever empties L0: writes are neither slowed down nor
   * stalled for it (before, each group was delayed up to 100 ms for a compaction that never
   * came), and L0 simply grows.
   */
  @Test
  void withoutCompactors_L0Grows_andWritesAreNeverSlowedForIt() {
    Options o = LsmModelTest.smallTree(dir).numCompactors(0).build();
    try (Db db = Db.open(o)) {
      for (int i = 0; i < 4000; i++) {
        int id = i;
        db.update(txn -> txn.set(b("k" + id), new byte[200]));
      }
      DbStats s = db.stats();
      assertTrue(s.levels().get(0).tables() > o.numLevelZeroTablesStall(),
          "L0 grows past the stall point: " + s.levels().get(0).tables());
      assertEquals(0, s.writeSlowdownNanos(), "no slowdown without compactors");
      for (int i = 0; i < 4000; i += 97) {
        int id = i;
        assertEquals(200, (int) db.view(txn -> txn.get(b("k" + id)).valueSize()));
      }
    }
  }
}
