package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.Options;
import dev.sett.kv.Sequence;
import dev.sett.kv.internal.BigEndian;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Db#getSequence}: leases, release, several sequences on one key, misuse. */
class SequenceTest {
  @TempDir Path dir;
  private static final byte[] KEY = "seq".getBytes();

  private static long stored(Db db) {
    return db.view(t -> BigEndian.getLong(t.get(KEY).value(), 0));
  }

  @Test
  void numbersStartAtZero_andEachLeaseStoresItsEnd() {
    try (Db db = Db.open(dir)) {
      Sequence s = db.getSequence(KEY, 10);
      assertEquals(10, stored(db), "the first lease is taken at once");
      for (long i = 0; i < 25; i++) {
        assertEquals(i, s.next());
      }
      assertEquals(30, stored(db), "three leases of ten");
    }
  }

  @Test
  void release_givesTheRestBack_soTheNextLeaseHasNoGap() {
    try (Db db = Db.open(dir)) {
      Sequence s = db.getSequence(KEY, 100);
      assertEquals(0, s.next());
      assertEquals(1, s.next());
      s.release();
      assertEquals(2, stored(db));
      s.release(); // nothing unused: writes nothing
      assertEquals(2, s.next(), "still usable: leases again from what it gave back");
      assertEquals(102, stored(db));
      try (Sequence other = db.getSequence(KEY, 5)) {
        assertEquals(102, other.next());
      }
      assertEquals(103, stored(db), "close released the other's rest");
      // The first sequence's lease end is no longer what is stored: it must not write back.
      IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
      assertTrue(e.getMessage().contains("another sequence leased since"), e.getMessage());
      assertEquals(103, stored(db), "nothing was written");
      assertEquals(3, s.next(), "its own lease is still its own");
    }
  }

  @Test
  void aReopen_continuesAfterTheLastLease_neverRepeating() {
    Set<Long> seen = new HashSet<>();
    for (int round = 0; round < 3; round++) {
      try (Db db = Db.open(dir)) {
        Sequence s = db.getSequence(KEY, 7);
        for (int i = 0; i < 10; i++) {
          long n = s.next();
          assertTrue(seen.add(n), "handed out twice: " + n);
        }
        // No release: the rest of the lease is skipped after the reopen.
      }
    }
    assertEquals(30, seen.size());
  }

  @Test
  void threadsAndSeveralSequencesOnOneKey_neverShareANumber() throws Exception {
    Options o = Options.builder(dir).detectConflicts(false).build(); // leasing must not rely on it
    try (Db db = Db.open(o)) {
      List<Sequence> seqs = List.of(db.getSequence(KEY, 3), db.getSequence(KEY, 5),
          db.getSequence(KEY, 1));
      Set<Long> seen = ConcurrentHashMap.newKeySet();
      List<Thread> threads = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int t = 0; t < 6; t++) {
        Sequence s = seqs.get(t % seqs.size());
        threads.add(new Thread(() -> {
          try {
            start.await();
            long last = -1;
            for (int i = 0; i < 500; i++) {
              long n = s.next();
              if (!seen.add(n)) {
                throw new AssertionError("handed out twice: " + n);
              }
              last = n;
            }
            assertTrue(last >= 0);
          } catch (Throwable e) {
            errors.add(e);
          }
        }));
      }
      threads.forEach(Thread::start);
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      assertTrue(errors.isEmpty(), "errors: " + errors);
      assertEquals(3000, seen.size());
    }
  }

  @Test
  void misuse_isRejectedClearly_andLeavesTheDatabaseUsable() {
    Db db = Db.open(dir);
    try {
      assertThrows(IllegalArgumentException.class, () -> db.getSequence(KEY, 0));
      assertThrows(IllegalArgumentException.class, () -> db.getSequence(new byte[0], 1));
      assertThrows(IllegalArgumentException.class, () -> db.getSequence(null, 1));
      db.update(t -> t.set("text".getBytes(), "hello".getBytes()));
      IllegalStateException notCounter = assertThrows(IllegalStateException.class,
          () -> db.getSequence("text".getBytes(), 1));
      assertTrue(notCounter.getMessage().contains("not a sequence's counter"),
          notCounter.getMessage());
      byte[] nearEnd = new byte[8];
      BigEndian.putLong(nearEnd, 0, Long.MAX_VALUE - 5);
      db.update(t -> t.set(KEY, nearEnd));
      IllegalStateException exhausted = assertThrows(IllegalStateException.class,
          () -> db.getSequence(KEY, 10));
      assertTrue(exhausted.getMessage().contains("exhausted"), exhausted.getMessage());
      Sequence last = db.getSequence(KEY, 5);
      assertEquals(Long.MAX_VALUE - 5, last.next());
      assertArrayEquals("hello".getBytes(), db.view(t -> t.get("text".getBytes()).value()));
      Sequence s = db.getSequence("ok".getBytes(), 2);
      assertEquals(0, s.next());
      assertEquals(1, s.next());
      db.close();
      assertThrows(DbClosedException.class, s::next, "a new lease needs the database");
      assertThrows(DbClosedException.class, () -> db.getSequence(KEY, 1));
    } finally {
      db.close();
    }
  }
}
