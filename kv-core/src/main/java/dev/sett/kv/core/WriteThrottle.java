package dev.sett.kv.core;

import dev.sett.kv.levels.LevelsController;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Back-pressure on the write path: slows groups down while L0 fills up and makes the leader wait
 * when every memtable is full, counting both waits for {@code Db.stats()}.
 *
 * <p>Concurrency notes. Only the write leader (one thread at a time) calls {@link #slowDown} and
 * {@link #awaitRoom}; the statistics are volatile for readers of {@code stats()}, written by the
 * leader only. The flusher (a memtable dropped), a background failure and close call
 * {@link #wake()}; the room wait re-checks its condition under {@code lock} after each wake-up, so
 * no wake-up is lost. Both waits ignore interrupts (keeping the flag): the leader waits on behalf
 * of every request in its group, and one interrupted caller must not fail the others (an
 * interrupt while waiting for room used to fail the whole group with {@code DbClosedException}).
 * Neither wait is endless: a background failure or close wakes the room wait through
 * {@code check}, and the slowdown is bounded.
 */
final class WriteThrottle {
  private static final System.Logger LOG = System.getLogger(WriteThrottle.class.getName());
  /** Write rate when L0 first reaches the slowdown point; halved for each further L0 table. */
  private static final long SLOWDOWN_BYTES_PER_SECOND = 64L << 20;
  /** The longest delay of one group. */
  static final long MAX_DELAY_NANOS = 100_000_000L;

  private final LevelsController levels;
  private final int slowdownL0;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile long stallNanos; // written by the leader only
  private volatile long slowdownNanos; // written by the leader only
  private boolean stallLogged; // owned by the leader

  WriteThrottle(LevelsController levels, int slowdownL0) {
    this.levels = levels;
    this.slowdownL0 = slowdownL0;
  }

  /**
   * Delays a group of {@code bytes} when L0 is filling up: the delay is the group's size at a rate
   * that halves with each L0 table past the slowdown point, at most {@value #MAX_DELAY_NANOS} ns;
   * a change of the levels (a compaction finished) ends it early.
   */
  void slowDown(long bytes, boolean closing) {
    int l0 = levels.levelZeroTables();
    if (l0 < slowdownL0 || closing) {
      return;
    }
    int doublings = Math.min(l0 - slowdownL0, 20);
    long delay = Math.min(MAX_DELAY_NANOS,
        (bytes << doublings) * 1_000_000_000L / SLOWDOWN_BYTES_PER_SECOND);
    if (delay <= 0) {
      return;
    }
    long t0 = System.nanoTime();
    // Uninterruptible: the leader waits for a whole group, not for itself; the flag is kept.
    boolean interrupted = Thread.interrupted();
    long deadline = t0 + delay;
    try {
      for (long left = delay; left > 0; left = deadline - System.nanoTime()) {
        try {
          levels.awaitChange(left);
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    slowdownNanos += System.nanoTime() - t0;
  }

  /**
   * Waits until {@code hasRoom} holds.
   *
   * @param hasRoom whether a memtable may be added
   * @param check throws to end the wait (closing, failed)
   * @param numMemtables for the log message
   */
  void awaitRoom(BooleanSupplier hasRoom, Runnable check, int numMemtables) {
    if (hasRoom.getAsBoolean()) {
      return;
    }
    if (!stallLogged) {
      stallLogged = true;
      LOG.log(System.Logger.Level.INFO, "all {0} memtables are full, or the shared memory"
          + " budget's memtable pool is; writes wait for a flush (logged once; the total wait"
          + " is in Db.stats())", numMemtables);
    }
    long t0 = System.nanoTime();
    lock.lock();
    try {
      while (!hasRoom.getAsBoolean()) {
        check.run();
        // Uninterruptible: the leader waits for a whole group, not for itself; the flag is kept.
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
      stallNanos += System.nanoTime() - t0;
    }
  }

  /** Wakes a leader waiting for room so that it re-checks. */
  void wake() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Total time writes waited for memtable space. */
  long stallNanos() {
    return stallNanos;
  }

  /** Total time writes were delayed because L0 was filling up. */
  long slowdownNanos() {
    return slowdownNanos;
  }
}
