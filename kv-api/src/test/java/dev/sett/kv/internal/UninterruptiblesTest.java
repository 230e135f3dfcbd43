package dev.sett.kv.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Uninterruptibles#join}: returns only once the thread has ended, interrupted or not, and
 * keeps the caller's interrupt (set again on return) without inventing one.
 */
class UninterruptiblesTest {

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted(); // never leak the flag into the next test
  }

  @Test
  void join_ofAnEndedThread_returnsAtOnce_andLeavesTheFlagClear() throws Exception {
    Thread t = new Thread(() -> { });
    t.start();
    t.join();
    Uninterruptibles.join(t);
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void join_waitsForTheThread_andNoInterruptIsInvented() {
    CountDownLatch started = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      started.countDown();
      sleepQuietly(100);
    });
    t.start();
    awaitQuietly(started);
    Uninterruptibles.join(t);
    assertFalse(t.isAlive(), "returned before the thread ended");
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void join_interruptedBeforeAndDuring_stillWaits_andRestoresTheFlag() {
    Thread caller = Thread.currentThread();
    CountDownLatch interruptedTwice = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      sleepQuietly(50);
      caller.interrupt(); // while the caller is inside join
      sleepQuietly(50);
      caller.interrupt();
      interruptedTwice.countDown();
      sleepQuietly(100);
    });
    t.start();
    caller.interrupt(); // before the call too
    Uninterruptibles.join(t);
    assertFalse(t.isAlive(), "an interrupt ended the wait early");
    assertTrue(Thread.interrupted(), "the interrupt must be kept for the caller");
    assertTrue(awaitQuietly(interruptedTwice));
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new AssertionError("the helper thread is never interrupted", e);
    }
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      throw new AssertionError("not interrupted here", e);
    }
  }
}
