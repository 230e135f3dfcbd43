package dev.sett.kv.core;

import dev.sett.kv.DbFailedException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether the database is in the failed state, and why: a write, a flush or a background job met
 * a failure the engine cannot get past. From then on writes fail at once with
 * {@link DbFailedException} carrying the first cause; reads go on; close still works.
 *
 * <p>Concurrency notes. Any thread may fail the database (the write leader, the flusher, a
 * compactor); the first cause wins (a CAS on {@code cause}) and is logged once. Every thread that
 * could be waiting for something a failed database will never deliver (memtable room, L0 room)
 * registers a waker with {@link #onFailure}, run after the cause is published, so a waiter that
 * re-checks after the wake-up sees it.
 */
final class FailureState {
  private static final System.Logger LOG = System.getLogger(FailureState.class.getName());

  private final java.util.concurrent.atomic.AtomicReference<Throwable> cause =
      new java.util.concurrent.atomic.AtomicReference<>();
  private final List<Runnable> wakers = new CopyOnWriteArrayList<>();

  /** Registers a waker run once, when the database fails. */
  void onFailure(Runnable waker) {
    wakers.add(waker);
  }

  /**
   * Moves the database to the failed state, unless it is there already.
   *
   * @param failure what happened
   * @param what who failed, for the log
   */
  void fail(Throwable failure, String what) {
    if (cause.compareAndSet(null, failure)) {
      LOG.log(System.Logger.Level.ERROR, what + " failed; the database now refuses writes"
          + " (reads go on; reopen it to recover)", failure);
      for (Runnable w : wakers) {
        w.run();
      }
    }
  }

  /** Whether the database failed. */
  boolean failed() {
    return cause.get() != null;
  }

  /** The first failure, or null. */
  Throwable cause() {
    return cause.get();
  }

  /** Throws {@link DbFailedException} if the database failed. */
  void check() {
    Throwable f = cause.get();
    if (f != null) {
      throw new DbFailedException("the database refuses writes after an earlier failure ("
          + f + "); reopen it", f);
    }
  }
}
