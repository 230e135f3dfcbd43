package dev.sett.kv.core;

import dev.sett.kv.ConflictException;
import dev.sett.kv.Item;
import dev.sett.kv.Sequence;
import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.internal.Keys;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Sequence}: a counter under one key, leased {@code bandwidth} numbers at a time.
 *
 * <p>Concurrency notes. {@code next} and {@code leased} belong to this sequence and are guarded
 * by {@code lock}; any thread calls {@link #next()} and {@link #release()}. The stored counter is
 * shared by every sequence on the key: leasing and releasing read and write it in one
 * transaction under the database's sequence lock ({@code leaseLock}), so two sequences of this
 * process never read the same counter, whatever {@code detectConflicts} says (a conflict with a
 * user's own write to the key is retried). Invariant: {@code next <= leased}, and the stored
 * counter is at least {@code leased} until this sequence releases (then it equals {@code next}).
 */
final class LeasedSequence implements Sequence {
  /** Leases retried after conflicts with other writers of the key before giving up. */
  private static final int CONFLICT_RETRIES = 100;

  private final SettDb db;
  private final byte[] key;
  private final long bandwidth;
  private final ReentrantLock leaseLock;
  private final ReentrantLock lock = new ReentrantLock();
  private long next; // guarded by lock
  private long leased; // guarded by lock

  LeasedSequence(SettDb db, byte[] key, long bandwidth, ReentrantLock leaseLock) {
    this.db = db;
    this.key = key;
    this.bandwidth = bandwidth;
    this.leaseLock = leaseLock;
    lock.lock();
    try {
      lease(); // as Badger: the first lease is taken at once, so a bad key fails here
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long next() {
    lock.lock();
    try {
      if (next >= leased) {
        lease();
      }
      return next++;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void release() {
    lock.lock();
    leaseLock.lock();
    try {
      if (next == leased) {
        return; // nothing unused to give back
      }
      long end = leased;
      long give = next;
      retrying(() -> db.update(txn -> {
        long stored = counter(txn.get(key));
        if (stored != end) {
          throw new IllegalStateException("the counter under key " + Keys.describe(key)
              + " is " + stored + ", not this sequence's lease end " + end + ": another"
              + " sequence leased since, so the unused numbers are not given back");
        }
        txn.set(key, encode(give));
      }));
      leased = next;
    } finally {
      leaseLock.unlock();
      lock.unlock();
    }
  }

  /** Takes the next lease; the caller holds {@code lock}. */
  private void lease() {
    long[] range = new long[2];
    leaseLock.lock();
    try {
      retrying(() -> db.update(txn -> {
        long from = counter(txn.get(key));
        if (from > Long.MAX_VALUE - bandwidth) {
          throw new IllegalStateException("the sequence under key " + Keys.describe(key)
              + " is exhausted: a lease of " + bandwidth + " from " + from + " passes "
              + Long.MAX_VALUE);
        }
        txn.set(key, encode(from + bandwidth));
        range[0] = from;
        range[1] = from + bandwidth;
      }));
    } finally {
      leaseLock.unlock();
    }
    next = range[0];
    leased = range[1];
  }

  private static void retrying(Runnable commit) {
    for (int attempt = 0; ; attempt++) {
      try {
        commit.run();
        return;
      } catch (ConflictException e) {
        if (attempt >= CONFLICT_RETRIES) {
          throw e;
        }
      }
    }
  }

  private long counter(Item item) {
    if (item == null) {
      return 0;
    }
    byte[] v = item.value();
    if (v.length != Long.BYTES || BigEndian.getLong(v, 0) < 0) {
      throw new IllegalStateException("key " + Keys.describe(key) + " holds a value of "
          + v.length + " bytes that is not a sequence's counter (8 bytes, big-endian, at most "
          + Long.MAX_VALUE + ")");
    }
    return BigEndian.getLong(v, 0);
  }

  private static byte[] encode(long n) {
    byte[] b = new byte[Long.BYTES];
    BigEndian.putLong(b, 0, n);
    return b;
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "Sequence[" + Keys.describe(key) + ", next " + next + ", leased to " + leased + "]";
    } finally {
      lock.unlock();
    }
  }
}
