package dev.sett.kv.core;

import dev.sett.kv.ConflictException;
import dev.sett.kv.DbClosedException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Hands out read and commit timestamps and detects conflicts between read-write transactions
 * (serializable snapshot isolation, as Badger's oracle).
 *
 * <p>Implementation notes. Who writes: committing threads call {@link #commit} (under {@code
 * lock}); the thread leading the write path calls {@link #applied} after a group is in the
 * memtable. Who reads: every new transaction calls {@link #beginRead}. Invariants: commit
 * timestamps are handed out in increasing order under {@code lock}, and the request is enqueued on
 * the write path under the same lock, so the write path sees requests in timestamp order; {@code
 * appliedTs} only grows, and every commit at or below it is in a memtable, so a transaction
 * reading at {@code appliedTs} sees a complete, consistent snapshot without waiting (Badger's
 * read watermark wait is not needed because one ordered path applies commits). {@code committed}
 * holds the write fingerprints of commits newer than the oldest active read timestamp. They are
 * recorded even when transactions do not detect conflicts: a value log rewrite is checked against
 * them whatever {@code detectConflicts} says, since rewriting a value that a newer commit replaced
 * or deleted would bring it back, and a commit that took its timestamp before the rewrite began
 * but reached the memtable after the rewrite read must be seen too.
 */
final class Oracle {
  /** Receives the commit timestamp and enqueues the request; runs under the oracle's lock. */
  interface Enqueuer {
    void enqueue(long commitTs);
  }

  private record Committed(long ts, long[] writes) {}

  private final boolean detectConflicts;
  private final Object lock = new Object();
  private long nextTs; // guarded by lock
  private boolean closed; // guarded by lock
  private final ArrayDeque<Committed> committed = new ArrayDeque<>(); // guarded by lock
  private final ReadTimestamps activeReads = new ReadTimestamps(); // guarded by lock
  private volatile long appliedTs;

  Oracle(long maxVersion, boolean detectConflicts) {
    this.nextTs = maxVersion + 1;
    this.appliedTs = maxVersion;
    this.detectConflicts = detectConflicts;
  }

  /** Registers a reader and returns its read timestamp. */
  long beginRead() {
    synchronized (lock) {
      long ts = appliedTs;
      activeReads.add(ts);
      return ts;
    }
  }

  /** Unregisters a reader. */
  void endRead(long readTs) {
    synchronized (lock) {
      activeReads.remove(readTs);
      cleanup();
    }
  }

  /**
   * Checks for conflicts, assigns the commit timestamp and enqueues the request.
   *
   * @param readTs the transaction's read timestamp
   * @param reads fingerprints of keys read, sorted (length may exceed {@code nReads})
   * @param nReads how many of {@code reads} are used
   * @param writes fingerprints of keys written
   * @return the commit timestamp
   * @throws ConflictException if a newer commit wrote a key that was read
   */
  long commit(long readTs, long[] reads, int nReads, long[] writes, Enqueuer enqueuer) {
    synchronized (lock) {
      if (closed) {
        throw new DbClosedException("the database is closed");
      }
      if (detectConflicts) {
        checkConflicts(readTs, reads, nReads, "transaction");
      }
      long ts = nextTs++;
      enqueuer.enqueue(ts);
      committed.addLast(new Committed(ts, writes));
      cleanup();
      return ts;
    }
  }

  private void checkConflicts(long readTs, long[] reads, int nReads, String what) {
    if (nReads == 0) {
      return;
    }
    for (Iterator<Committed> it = committed.descendingIterator(); it.hasNext(); ) {
      Committed c = it.next();
      if (c.ts <= readTs) {
        break;
      }
      for (long w : c.writes) {
        if (Arrays.binarySearch(reads, 0, nReads, w) >= 0) {
          throw new ConflictException(what + " at read timestamp " + readTs
              + " read a key that the transaction committed at " + c.ts + " wrote");
        }
      }
    }
  }

  /**
   * Commits a value log rewrite unless a commit after {@code readTs} wrote one of the keys it
   * read (checked whether or not conflicts are detected for transactions): then nothing is
   * committed and those keys are returned, so the rewrite can go on without them. Otherwise it
   * assigns a commit timestamp and enqueues it. The rewrite's own writes are not recorded: they
   * change no value, so no transaction conflicts with them.
   *
   * @param readTs the rewrite's read timestamp, from {@link #beginRead} (ended after this call)
   * @param reads fingerprints of the keys it rewrites, sorted
   * @return the fingerprints of the keys newer commits wrote; empty if it was committed
   */
  long[] commitRewrite(long readTs, long[] reads, Enqueuer enqueuer) {
    synchronized (lock) {
      if (closed) {
        throw new DbClosedException("the database is closed");
      }
      long[] conflicts = new long[0];
      int n = 0;
      for (Iterator<Committed> it = committed.descendingIterator(); it.hasNext(); ) {
        Committed c = it.next();
        if (c.ts <= readTs) {
          break;
        }
        for (long w : c.writes) {
          if (Arrays.binarySearch(reads, w) >= 0) {
            if (n == conflicts.length) {
              conflicts = Arrays.copyOf(conflicts, Math.max(4, n * 2));
            }
            conflicts[n++] = w;
          }
        }
      }
      if (n > 0) {
        return Arrays.copyOf(conflicts, n);
      }
      enqueuer.enqueue(nextTs++);
      cleanup();
      return conflicts;
    }
  }

  private void cleanup() {
    long horizon = activeReads.isEmpty() ? appliedTs : activeReads.oldest();
    while (!committed.isEmpty() && committed.peekFirst().ts <= horizon) {
      committed.pollFirst();
    }
  }

  /**
   * The timestamp at or below which readers need only the newest version of a key: the oldest
   * read timestamp in use, or the applied timestamp when no transaction is open. Compactions may
   * drop older versions below it.
   */
  long discardAtOrBelow() {
    synchronized (lock) {
      return activeReads.isEmpty() ? appliedTs : activeReads.oldest();
    }
  }

  /**
   * Whether no open transaction reads at or below {@code ts} (value log garbage collection waits
   * for this before deleting a file, see {@code ValueLogGc}).
   */
  boolean noReadersAtOrBelow(long ts) {
    synchronized (lock) {
      return activeReads.isEmpty() || activeReads.oldest() > ts;
    }
  }

  /** Called by the write leader once every commit up to {@code ts} is in a memtable. */
  void applied(long ts) {
    appliedTs = ts;
  }

  /** The newest timestamp whose commit is visible. */
  long appliedTs() {
    return appliedTs;
  }

  /** Refuses further commits. */
  void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  /** The number of commits kept for conflict detection (for tests and stats). */
  int trackedCommits() {
    synchronized (lock) {
      return committed.size();
    }
  }

  /** A 64-bit fingerprint of a key for conflict detection; a collision only causes a retry. */
  static long fingerprint(byte[] key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
