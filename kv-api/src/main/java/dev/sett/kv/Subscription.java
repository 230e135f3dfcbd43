package dev.sett.kv;

import java.time.Duration;

/**
 * A subscription to committed changes, from {@link Db#subscribe}. Its callback runs on its own
 * thread and receives batches of changes in commit order until the subscription ends: when it is
 * cancelled, when the callback throws, when it falls too far behind (its buffer overflows), or
 * when the database closes. A subscription never makes writers wait.
 */
public interface Subscription extends AutoCloseable {
  /**
   * Ends the subscription: no batch is delivered after this returns, except the one the callback
   * may be running (when called from another thread, this waits for it, at most a few seconds;
   * from the callback itself, it returns at once). Idempotent.
   */
  void cancel();

  /**
   * Whether changes are still delivered.
   *
   * @return {@code false} once it ended, for whatever reason
   */
  boolean isActive();

  /**
   * Why the subscription ended, if not by {@link #cancel()}.
   *
   * @return {@code null} while active or after a cancel; a {@link SubscriberOverflowException},
   *     the callback's exception, or a {@link DbClosedException}
   */
  Throwable failure();

  /**
   * Waits until the subscription has ended and its thread is done.
   *
   * @param timeout the longest wait
   * @return whether it ended in time
   * @throws InterruptedException if interrupted while waiting
   */
  boolean awaitTermination(Duration timeout) throws InterruptedException;

  /** Same as {@link #cancel()}. */
  @Override
  default void close() {
    cancel();
  }
}
