package dev.sett.kv.core;

import dev.sett.kv.KeyValue;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off between a stream's workers and its sender: a bounded queue of finished batches.
 *
 * <p>Concurrency notes. Writers: the workers ({@link #put}, then {@link #workerDone} once each).
 * Reader: the sender, the thread in {@code Stream.run()} ({@link #take}). {@link #cancel} may come
 * from any of them. Everything is guarded by {@code lock}. Invariants: the queue never holds more
 * than {@code capacity} batches, so a slow sender holds the workers back instead of letting
 * memory grow; once {@code cancelled} nothing is queued or taken again and every waiter is woken
 * (workers get a {@link CancellationException}, the sender {@link #END}); {@link #END} comes
 * after the last batch of the last worker, never before.
 */
final class StreamBatches {
  /** What {@link #take} returns when no batch will come any more (batches are never empty). */
  static final List<KeyValue> END = List.of();

  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when a batch is taken or the run is cancelled. */
  private final Condition notFull = lock.newCondition();
  /** Signalled when a batch is queued, the last worker is done or the run is cancelled. */
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<List<KeyValue>> queue = new ArrayDeque<>();
  private final int capacity;
  private int workers;
  private boolean cancelled;

  /**
   * @param capacity batches queued at most
   * @param workers how many workers will call {@link #workerDone}
   */
  StreamBatches(int capacity, int workers) {
    this.capacity = capacity;
    this.workers = workers;
  }

  /**
   * Queues a batch, waiting while the queue is full.
   *
   * @throws CancellationException if the run is cancelled (before or while waiting)
   * @throws InterruptedException if interrupted while waiting
   */
  void put(List<KeyValue> batch) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (queue.size() >= capacity && !cancelled) {
        notFull.await();
      }
      if (cancelled) {
        throw new CancellationException("the stream was cancelled");
      }
      queue.addLast(batch);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Records that a worker will queue nothing more. */
  void workerDone() {
    lock.lock();
    try {
      if (--workers == 0) {
        notEmpty.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next batch, waiting at most {@code nanos} for one.
   *
   * @return the batch; {@code null} if none came in time; {@link #END} once every worker is done
   *     and every batch taken, or the run was cancelled
   * @throws InterruptedException if interrupted while waiting
   */
  List<KeyValue> take(long nanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (queue.isEmpty() && workers > 0 && !cancelled) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      if (cancelled || queue.isEmpty()) {
        return END;
      }
      notFull.signal();
      return queue.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  /** Stops the hand-off: waiters wake, queued batches are dropped. Idempotent. */
  void cancel() {
    lock.lock();
    try {
      cancelled = true;
      queue.clear();
      notFull.signalAll();
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
