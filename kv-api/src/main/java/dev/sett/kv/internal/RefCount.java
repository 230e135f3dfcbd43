package dev.sett.kv.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reference count for something that is released exactly once, when its last holder lets go
 * (table sets, tables, memtables; as Badger's {@code IncrRef/DecrRef}).
 *
 * <p>Concurrency notes. Any thread may take and give back references; the count is one atomic
 * integer. Invariant: once the count reached zero it never rises again through {@link #tryRef},
 * so the one {@link #unref} that returns {@code true} is the only release, and nobody who took a
 * reference with {@code tryRef} can use a released object. {@link #ref} is for callers that know
 * the object is alive (they hold a reference already, or it was never published).
 */
public final class RefCount {
  private final AtomicInteger refs;

  /**
   * Creates a count.
   *
   * @param initial the references held at creation (usually 1, the creator's)
   */
  public RefCount(int initial) {
    this.refs = new AtomicInteger(initial);
  }

  /** Takes a reference on an object known to be alive. */
  public void ref() {
    refs.incrementAndGet();
  }

  /**
   * Takes a reference unless the object was already released.
   *
   * @return whether a reference was taken
   */
  public boolean tryRef() {
    while (true) {
      int n = refs.get();
      if (n <= 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /**
   * Gives a reference back.
   *
   * @param what names the object for the error message
   * @return {@code true} if that was the last one: the caller releases the object
   * @throws IllegalStateException if more references are given back than were taken
   */
  public boolean unref(Object what) {
    int n = refs.decrementAndGet();
    if (n < 0) {
      throw new IllegalStateException(what + " released more often than held");
    }
    return n == 0;
  }

  /**
   * The references held now.
   *
   * @return the count
   */
  public int get() {
    return refs.get();
  }
}
