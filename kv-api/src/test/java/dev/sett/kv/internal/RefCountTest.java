package dev.sett.kv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RefCountTest {

  @Test
  void theLastUnref_releases_andNothingRefsAfterwards() {
    RefCount c = new RefCount(1);
    assertTrue(c.tryRef());
    assertFalse(c.unref("x"));
    assertTrue(c.unref("x"), "the last reference");
    assertFalse(c.tryRef(), "released: no new reference");
    assertEquals(0, c.get());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.unref("thing"));
    assertTrue(e.getMessage().contains("thing"), e.getMessage());
  }

  @Test
  void racingReadersAndTheOwner_releaseExactlyOnce() throws Exception {
    for (int round = 0; round < 200; round++) {
      RefCount c = new RefCount(1);
      AtomicInteger releases = new AtomicInteger();
      AtomicInteger usesAfterRelease = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        threads.add(new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < 100; i++) {
            if (c.tryRef()) {
              if (releases.get() > 0) {
                usesAfterRelease.incrementAndGet();
              }
              if (c.unref("x")) {
                releases.incrementAndGet();
              }
            }
          }
        }));
      }
      threads.forEach(Thread::start);
      start.countDown();
      if (c.unref("x")) {
        releases.incrementAndGet();
      }
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(1, releases.get(), "released exactly once");
      assertEquals(0, usesAfterRelease.get(), "no reference taken after the release");
    }
  }
}
