package dev.sett.kv.internal;

/**
 * Waits that an interrupt does not cut short: for stopping a thread that must be gone before the
 * caller goes on (it may still be writing files the caller is about to close). An interrupt that
 * arrives meanwhile is remembered and re-asserted on return, so it is not lost, only deferred.
 */
public final class Uninterruptibles {
  private Uninterruptibles() {}

  /**
   * Waits until {@code thread} has ended, even if the calling thread is interrupted meanwhile (or
   * was already); the interrupt flag is set again on return if it was set at any point.
   *
   * @param thread the thread to wait for; not the calling thread (that would wait forever)
   */
  public static void join(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
