package dev.sett.kv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.io.WritableFile;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link SyncBehind}: background syncs every interval, what they made durable, detaching a file
 * (which waits for its sync in flight), failures handed to the writer, and close.
 */
class SyncBehindTest {
  /** A file whose syncs count, and block until the test lets each one through. */
  private static final class GatedFile implements WritableFile {
    final Semaphore gate = new Semaphore(0);
    final Semaphore started = new Semaphore(0);
    final AtomicInteger syncs = new AtomicInteger();
    final AtomicBoolean inSync = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();
    volatile IOException fail;

    @Override public String name() {
      return "gated";
    }

    @Override public long size() {
      return 0;
    }

    @Override public void write(byte[] b, int off, int len) {}

    @Override public void sync() throws IOException {
      inSync.set(true);
      started.release();
      gate.acquireUninterruptibly();
      try {
        if (closed.get()) {
          throw new IOException("synced after close");
        }
        if (fail != null) {
          throw fail;
        }
        syncs.incrementAndGet();
      } finally {
        inSync.set(false);
      }
    }

    @Override public void truncate(long size) {}

    @Override public void close() {
      closed.set(true);
    }
  }

  @Test
  void syncsEveryInterval_andReportsWhatIsDurable() {
    GatedFile f = new GatedFile();
    try (SyncBehind s = new SyncBehind("test-sync", 100)) {
      s.wrote(f, 10); // attaches: what came before was the writer's business
      s.wrote(f, 60);
      assertEquals(0, f.started.availablePermits(), "no sync before an interval was written");
      s.wrote(f, 150);
      f.started.acquireUninterruptibly(); // a background sync began
      assertEquals(0, s.durableUpTo(f), "durable only once the sync returns");
      f.gate.release();
      awaitDurable(s, f, 150);
      assertEquals(1, s.syncs());
      assertEquals(0, s.durableUpTo(new GatedFile()), "another file knows nothing durable");
    }
  }

  @Test
  void detach_waitsForTheSyncInFlight_soTheFileIsNotClosedUnderIt() throws Exception {
    GatedFile f = new GatedFile();
    SyncBehind s = new SyncBehind("test-sync", 100);
    s.wrote(f, 0);
    s.wrote(f, 500);
    f.started.acquireUninterruptibly();
    CountDownLatch detached = new CountDownLatch(1);
    Thread writer = new Thread(() -> {
      s.detach(f);
      f.close(); // as the WAL and the value log do
      detached.countDown();
    });
    writer.start();
    // The writer must wait inside detach while the sync is in flight.
    while (writer.getState() != Thread.State.WAITING) {
      assertFalse(writer.getState() == Thread.State.TERMINATED, "detach returned during a sync");
      Thread.onSpinWait();
    }
    assertTrue(f.inSync.get());
    f.gate.release();
    detached.await();
    assertEquals(1, f.syncs.get(), "the sync completed before the file closed");
    assertEquals(0, s.durableUpTo(f), "a detached file is forgotten");
    s.wrote(f, 10_000); // a detached, closed file is not synced again unless attached anew
    s.close();
  }

  @Test
  void aFailedBackgroundSync_isThrownToTheWriter_everyTime() {
    GatedFile f = new GatedFile();
    f.fail = new IOException("disk gone");
    try (SyncBehind s = new SyncBehind("test-sync", 100)) {
      s.wrote(f, 0);
      s.wrote(f, 100);
      f.gate.release();
      IOException e = null;
      while (e == null) {
        try {
          s.throwIfFailed();
          Thread.onSpinWait();
        } catch (IOException x) {
          e = x;
        }
      }
      assertEquals("disk gone", e.getCause().getMessage());
      assertThrows(IOException.class, s::throwIfFailed, "the failure stays");
      assertEquals(0, s.durableUpTo(f));
    }
  }

  @Test
  void zeroInterval_neverSyncs_andCloseWithoutAThreadReturns() {
    GatedFile f = new GatedFile();
    SyncBehind s = new SyncBehind("test-sync", 0);
    s.wrote(f, 0);
    s.wrote(f, 1L << 40);
    assertEquals(0, f.started.availablePermits());
    s.close();
    s.wrote(f, 2L << 40); // after close: ignored
    assertEquals(0, f.started.availablePermits());
  }

  private static void awaitDurable(SyncBehind s, WritableFile f, long offset) {
    while (s.durableUpTo(f) < offset) {
      Thread.onSpinWait();
    }
  }
}
