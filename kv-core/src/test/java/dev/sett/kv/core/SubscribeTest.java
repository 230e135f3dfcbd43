package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.KeyValue;
import dev.sett.kv.Db;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.Entry;
import dev.sett.kv.Match;
import dev.sett.kv.Options;
import dev.sett.kv.SubscriberOverflowException;
import dev.sett.kv.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Db#subscribe}: order, matching, values, and what a slow or failing subscriber does. */
class SubscribeTest {
  @TempDir Path dir;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static byte[] b(String s) {
    return s.getBytes();
  }

  /** Takes {@code n} changes from the queue, failing if they do not come. */
  private static List<KeyValue> take(BlockingQueue<KeyValue> q, int n) throws InterruptedException {
    List<KeyValue> got = new ArrayList<>();
    while (got.size() < n) {
      KeyValue c = q.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(c != null, "only " + got.size() + " of " + n + " changes arrived");
      got.add(c);
    }
    return got;
  }

  @Test
  void matchingChanges_arriveInCommitOrder_withTheirValuesAsWritten() throws Exception {
    Options o = LsmModelTest.separateValues(LsmModelTest.smallTree(dir), 64).build();
    BlockingQueue<KeyValue> q = new LinkedBlockingQueue<>();
    try (Db db = Db.open(o);
         Subscription s = db.subscribe(List.of(Match.prefix(b("a/"))), q::addAll)) {
      byte[] big = new byte[500]; // goes to the value log: delivered as written, not a pointer
      big[7] = 7;
      for (int i = 0; i < 200; i++) {
        int id = i;
        db.update(t -> {
          t.set(b("a/" + id), id % 2 == 0 ? big : b("v" + id));
          t.set(b("b/" + id), b("ignored"));
        });
      }
      db.update(t -> t.delete(b("a/3")));
      db.update(t -> t.setEntry(Entry.of(b("a/ttl"), b("x")).withUserMeta((byte) 9)
          .withTtl(Duration.ofHours(1))));
      List<KeyValue> got = take(q, 202);
      long last = 0;
      for (int i = 0; i < 200; i++) {
        KeyValue c = got.get(i);
        assertArrayEquals(b("a/" + i), c.key());
        assertArrayEquals(i % 2 == 0 ? big : b("v" + i), c.value(), "change " + i);
        assertTrue(c.version() > last, "commit order");
        last = c.version();
      }
      assertTrue(got.get(200).isDeleted());
      assertEquals(0, got.get(200).value().length);
      assertEquals(9, got.get(201).userMeta());
      assertTrue(got.get(201).expiresAt() > 0);
      assertTrue(s.isActive());
      assertNull(q.poll(), "nothing else: b/ keys do not match");
    }
  }

  @Test
  void ignoredBytes_matchAnything_andBadOnesAreRejected() {
    Match m = Match.prefix(b("t?/x"), "1");
    assertTrue(m.matches(b("t1/x")));
    assertTrue(m.matches(b("t9/xyz")));
    assertFalse(m.matches(b("u1/x")));
    assertFalse(m.matches(b("t1/")), "shorter than the prefix");
    assertTrue(Match.prefix(b("abcdef"), " 0, 2-3 ").matches(b("Xb__ef!")));
    assertTrue(Match.prefix(new byte[0]).matches(b("anything")));
    assertThrows(IllegalArgumentException.class, () -> Match.prefix(b("ab"), "2"));
    assertThrows(IllegalArgumentException.class, () -> Match.prefix(b("ab"), "1-0"));
    assertThrows(IllegalArgumentException.class, () -> Match.prefix(b("ab"), "x"));
  }

  @Test
  void aSlowSubscriber_isEndedWhenItsBufferOverflows_andNeverStallsWriters() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch inCallback = new CountDownLatch(1);
    BlockingQueue<KeyValue> fast = new LinkedBlockingQueue<>();
    try (Db db = Db.open(LsmModelTest.smallTree(dir).build())) {
      Subscription slow = db.subscribe(List.of(Match.prefix(new byte[0])), batch -> {
        inCallback.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, 10);
      Subscription quick = db.subscribe(List.of(Match.prefix(new byte[0])), fast::addAll);
      db.update(t -> t.set(b("first"), b("1")));
      assertTrue(inCallback.await(WAIT.toSeconds(), TimeUnit.SECONDS));
      for (int i = 0; i < 50; i++) { // every commit returns although the slow one is stuck
        int id = i;
        db.update(t -> t.set(b("k" + id), b("v")));
      }
      assertFalse(slow.isActive(), "ended when its buffer overflowed");
      assertInstanceOf(SubscriberOverflowException.class, slow.failure());
      assertEquals(51, take(fast, 51).size(), "the other subscriber got everything");
      assertTrue(quick.isActive());
      release.countDown();
      assertTrue(slow.awaitTermination(WAIT), "its thread ends after the callback returns");
    }
  }

  @Test
  void aFailingCallback_endsOnlyItsSubscription() throws Exception {
    BlockingQueue<KeyValue> other = new LinkedBlockingQueue<>();
    IllegalStateException boom = new IllegalStateException("boom");
    try (Db db = Db.open(LsmModelTest.smallTree(dir).build())) {
      Subscription failing = db.subscribe(List.of(Match.prefix(b("k"))), batch -> {
        throw boom;
      });
      db.subscribe(List.of(Match.prefix(b("k"))), other::addAll);
      db.update(t -> t.set(b("k1"), b("v")));
      assertTrue(failing.awaitTermination(WAIT));
      assertSame(boom, failing.failure());
      db.update(t -> t.set(b("k2"), b("v")));
      assertEquals(2, take(other, 2).size());
      assertArrayEquals(b("v"), db.view(t -> t.get(b("k2")).value()));
    }
  }

  @Test
  void cancel_stopsDelivery_alsoFromTheCallback_andClose_deliversWhatWasQueuedThenEnds()
      throws Exception {
    BlockingQueue<KeyValue> got = new LinkedBlockingQueue<>();
    Db db = Db.open(LsmModelTest.smallTree(dir).build());
    try {
      Subscription[] self = new Subscription[1];
      CountDownLatch cancelled = new CountDownLatch(1);
      self[0] = db.subscribe(List.of(Match.prefix(b("c"))), batch -> {
        self[0].cancel(); // from its own thread: returns at once
        cancelled.countDown();
      });
      db.update(t -> t.set(b("c1"), b("v")));
      assertTrue(cancelled.await(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertTrue(self[0].awaitTermination(WAIT));
      assertFalse(self[0].isActive());
      assertNull(self[0].failure(), "cancelled, not failed");

      Subscription s = db.subscribe(List.of(Match.prefix(b("d"))), got::addAll);
      db.update(t -> t.set(b("d1"), b("v")));
      take(got, 1);
      s.cancel();
      db.update(t -> t.set(b("d2"), b("v")));
      assertFalse(s.isActive());

      Subscription last = db.subscribe(List.of(Match.prefix(b("e"))), got::addAll);
      for (int i = 0; i < 20; i++) {
        int id = i;
        db.update(t -> t.set(b("e" + id), b("v")));
      }
      db.close();
      assertTrue(last.awaitTermination(WAIT));
      assertEquals(20, take(got, 20).size(), "committed before close: delivered");
      assertInstanceOf(DbClosedException.class, last.failure());
      assertNull(got.poll(), "d2 came after the cancel");
      assertThrows(DbClosedException.class,
          () -> db.subscribe(List.of(Match.prefix(b("x"))), got::addAll));
    } finally {
      db.close();
    }
  }

  @Test
  void misuse_isRejected() {
    try (Db db = Db.open(LsmModelTest.smallTree(dir).build())) {
      assertThrows(IllegalArgumentException.class, () -> db.subscribe(List.of(), c -> { }));
      assertThrows(IllegalArgumentException.class,
          () -> db.subscribe(List.of(Match.prefix(b("a"))), c -> { }, 0));
      assertThrows(NullPointerException.class, () -> db.subscribe(List.of(Match.prefix(b("a"))),
          null));
    }
  }

  @Test
  void valueLogRewrites_areNotDelivered() throws Exception {
    Options o = LsmModelTest.separateValues(LsmModelTest.smallTree(dir), 0)
        .valueLogGcInterval(Duration.ZERO).build();
    BlockingQueue<KeyValue> got = new LinkedBlockingQueue<>();
    try (Db db = Db.open(o)) {
      for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 100; i++) {
          int id = i;
          db.update(t -> t.set(b("g" + id), new byte[2000]));
        }
      }
      try (Subscription s = db.subscribe(List.of(Match.prefix(new byte[0])), got::addAll)) {
        int rounds = 0;
        while (db.runValueLogGc(0.3)) {
          assertTrue(++rounds < 50);
        }
        assertTrue(db.stats().valueLogValuesRewritten() > 0, "GC rewrote values");
        db.update(t -> t.set(b("marker"), b("m")));
        KeyValue c = take(got, 1).get(0);
        assertArrayEquals(b("marker"), c.key(), "the first change delivered is the user's");
      }
    }
  }

  /**
   * Subscribers beside commits on several threads, one of them interrupted again and again,
   * {@code sync()} in a loop and a {@code close()} while all of it runs: no thread hangs, every
   * acknowledged write reaches the subscriber before it ends, and a subscriber that reads the
   * database in its callback or overflows harms nobody.
   */
  @Test
  void besideSyncInterruptsAndClose_nothingHangs_andEveryAcknowledgedWriteIsDelivered()
      throws Exception {
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    Db db = Db.open(LsmModelTest.separateValues(LsmModelTest.smallTree(dir), 64).build());
    Subscription all = db.subscribe(List.of(Match.prefix(b("w"))),
        batch -> batch.forEach(c -> delivered.add(new String(c.key()))));
    Subscription reading = db.subscribe(List.of(Match.prefix(b("w"))),
        batch -> db.view(t -> t.get(batch.get(0).key())));
    Subscription tiny = db.subscribe(List.of(Match.prefix(new byte[0])), batch -> { }, 5);
    AtomicInteger commits = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int id = w;
      threads.add(new Thread(() -> {
        for (int i = 0; ; i++) {
          Thread.interrupted(); // the interrupted writer goes on with a cleared flag
          String k = "w" + id + "/" + i;
          byte[] v = new byte[i % 2 == 0 ? 100 : 10]; // half to the value log
          try {
            db.update(t -> t.set(b(k), v));
          } catch (DbClosedException e) {
            return;
          } catch (Throwable e) {
            errors.add(e);
            return;
          }
          acked.add(k);
          commits.incrementAndGet();
        }
      }, "writer-" + w));
    }
    threads.add(new Thread(() -> {
      while (true) {
        try {
          db.sync();
        } catch (DbClosedException e) {
          return;
        } catch (Throwable e) {
          errors.add(e);
          return;
        }
      }
    }, "syncer"));
    threads.forEach(Thread::start);
    Thread interrupted = threads.get(0);
    while (commits.get() < 3000 && errors.isEmpty()) {
      interrupted.interrupt();
      Thread.onSpinWait();
    }
    db.close(); // while writers, the syncer and the subscribers run
    for (Thread t : threads) {
      t.join(WAIT.toMillis());
      assertFalse(t.isAlive(), t.getName() + " hangs");
    }
    assertTrue(errors.isEmpty(), "failed: " + errors.peek());
    for (Subscription s : List.of(all, reading, tiny)) {
      assertTrue(s.awaitTermination(WAIT), s + " hangs");
      assertFalse(s.isActive());
    }
    assertInstanceOf(DbClosedException.class, all.failure());
    assertInstanceOf(SubscriberOverflowException.class, tiny.failure());
    Set<String> missing = new HashSet<>(acked);
    missing.removeAll(delivered);
    assertTrue(missing.isEmpty(), missing.size() + " acknowledged writes not delivered, e.g. "
        + missing.stream().limit(3).toList());
    try (Db reopened = Db.open(LsmModelTest.separateValues(LsmModelTest.smallTree(dir), 64)
        .build())) {
      for (String k : acked) {
        boolean present = reopened.view(t -> t.get(b(k)) != null);
        assertTrue(present, k + " lost");
      }
    }
  }
}
