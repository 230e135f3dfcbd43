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
 *
 * <p>Every enqueued request also gets a sequence number ({@code seq}, the enqueue order, which is
 * the order the write path applies them in). {@link #applied} publishes the applied timestamp
 * and then the applied sequence number; {@link #beginRewriteRead} reads them in the other order,
 * so a rewrite that saw a commit's sequence number reads at a timestamp that includes it. A
 * rewrite conflicts with every recorded commit whose sequence number is above the one it read at:
 * exactly the commits it may not have seen, whatever their timestamps (in managed mode they need
 * not be increasing). {@code cleanup} keeps those while a rewrite runs ({@code rewriteMarks}).
 *
 * <p>Managed mode ({@code managed}): read and commit timestamps come from the application.
 * {@code appliedTs} is then the highest timestamp applied, commits are recorded in enqueue order
 * (so conflict checks look at every recorded commit) and kept while above the discard timestamp
 * (a transaction may begin at any read timestamp above it), value log rewrites commit at the
 * highest commit timestamp so far ({@code maxCommitTs}, never below a version in the tree), and
 * compactions discard at or below the application's {@link #setDiscardTs} only.
 */
final class Oracle {
  /** Receives the commit timestamp and enqueues the request; runs under the oracle's lock. */
  interface Enqueuer {
    void enqueue(long commitTs, long seq);
  }

  /** A recorded commit: its write fingerprints, and its keys, sorted, for range conflicts. */
  private record Committed(long ts, long seq, long[] writes, byte[][] keys) {}

  private final boolean detectConflicts;
  private final boolean managed;
  private final Object lock = new Object();
  private long nextTs; // guarded by lock
  private boolean closed; // guarded by lock
  private final ArrayDeque<Committed> committed = new ArrayDeque<>(); // guarded by lock
  private final ReadTimestamps activeReads = new ReadTimestamps(); // guarded by lock
  private volatile long appliedTs;
  /** Sequence number of the last request enqueued. Guarded by lock. */
  private long seq;
  /** Sequence number of the last request applied; written after {@code appliedTs}. */
  private volatile long appliedSeq;
  /** Highest commit timestamp enqueued (managed mode). Guarded by lock. */
  private long maxCommitTs;
  /**
   * Applied sequence numbers that running rewrites (value log garbage collection, a load) read
   * at; commits above the oldest are kept for their conflict checks. Guarded by lock.
   */
  private final ReadTimestamps rewriteMarks = new ReadTimestamps();
  /** Managed mode: the application's discard timestamp, only raised. */
  private volatile long managedDiscardTs;

  Oracle(long maxVersion, boolean detectConflicts, boolean managed) {
    this.nextTs = maxVersion + 1;
    this.appliedTs = maxVersion;
    this.maxCommitTs = maxVersion;
    this.detectConflicts = detectConflicts;
    this.managed = managed;
  }

  /** The read of a value log rewrite: its timestamp and the applied sequence number it saw. */
  record RewriteRead(long readTs, long seq) {}

  /**
   * Registers the read of a rewrite (value log garbage collection, a load): like {@link
   * #beginRead}, and the commits it cannot have seen are kept for {@link #commitRewrite} until
   * {@link #endRewriteRead}.
   */
  RewriteRead beginRewriteRead() {
    synchronized (lock) {
      long s = appliedSeq; // before appliedTs: see the class notes
      long ts = appliedTs;
      activeReads.add(ts);
      rewriteMarks.add(s);
      return new RewriteRead(ts, s);
    }
  }

  /** Ends a read begun with {@link #beginRewriteRead}. */
  void endRewriteRead(RewriteRead read) {
    synchronized (lock) {
      rewriteMarks.remove(read.seq());
      activeReads.remove(read.readTs());
      cleanup();
    }
  }

  /** Managed mode: registers a reader at the application's read timestamp. */
  long beginReadAt(long readTs) {
    synchronized (lock) {
      activeReads.add(readTs);
      return readTs;
    }
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
  long commit(long readTs, long[] reads, int nReads, long[] writes, ReadRange[] ranges,
      byte[][] keys, Enqueuer enqueuer) {
    synchronized (lock) {
      if (closed) {
        throw new DbClosedException("the database is closed");
      }
      if (detectConflicts) {
        checkConflicts(readTs, reads, nReads, ranges, "transaction");
      }
      long ts = nextTs++;
      maxCommitTs = ts;
      enqueuer.enqueue(ts, ++seq);
      committed.addLast(new Committed(ts, seq, writes, detectConflicts ? keys : null));
      cleanup();
      return ts;
    }
  }

  /**
   * Managed mode: as {@link #commit}, at the application's commit timestamp. Conflicts are
   * commits recorded at a timestamp above {@code readTs}, in whatever order they came.
   *
   * @param detect whether to check for conflicts (write batches do not read)
   */
  void commitAt(long readTs, long[] reads, int nReads, long[] writes, ReadRange[] ranges,
      byte[][] keys, long commitTs, boolean detect, Enqueuer enqueuer) {
    synchronized (lock) {
      if (closed) {
        throw new DbClosedException("the database is closed");
      }
      if (detect && detectConflicts) {
        checkConflicts(readTs, reads, nReads, ranges, "transaction");
      }
      maxCommitTs = Math.max(maxCommitTs, commitTs);
      enqueuer.enqueue(commitTs, ++seq);
      committed.addLast(new Committed(commitTs, seq, writes, detectConflicts ? keys : null));
      cleanup();
    }
  }

  private void checkConflicts(long readTs, long[] reads, int nReads, ReadRange[] ranges,
      String what) {
    if (nReads == 0 && ranges == null) {
      return;
    }
    for (Iterator<Committed> it = committed.descendingIterator(); it.hasNext(); ) {
      Committed c = it.next();
      if (c.ts <= readTs) {
        if (managed) {
          continue; // recorded in enqueue order: an older one may be above readTs
        }
        break;
      }
      for (long w : c.writes) {
        if (Arrays.binarySearch(reads, 0, nReads, w) >= 0) {
          throw new ConflictException(what + " at read timestamp " + readTs
              + " read a key that the transaction committed at " + c.ts + " wrote");
        }
      }
      if (ranges != null && c.keys != null) {
        for (ReadRange r : ranges) {
          byte[] phantom = r.firstCovered(c.keys);
          if (phantom != null) {
            throw new ConflictException(what + " at read timestamp " + readTs + " scanned the"
                + " range " + r + ", into which the transaction committed at " + c.ts
                + " wrote key " + dev.sett.kv.internal.Keys.describe(phantom) + " (a phantom)");
          }
        }
      }
    }
  }

  /**
   * Commits a value log rewrite unless a commit it may not have seen (applied after its read)
   * wrote one of the keys it read (checked whether or not conflicts are detected for
   * transactions): then nothing is committed and those keys are returned, so the rewrite can go
   * on without them. Otherwise it assigns a commit timestamp and enqueues it. The rewrite's own
   * writes are not recorded: they change no value, so no transaction conflicts with them. A
   * load's writes are ({@code recordKeys}): they add versions, which a transaction that read the
   * keys before them and commits after them must not overlook.
   *
   * @param read the rewrite's read, from {@link #beginRewriteRead} (ended after this call)
   * @param reads fingerprints of the keys it rewrites, sorted
   * @param recordKeys null for a value log rewrite; for a load, its keys in ascending order,
   *     and its writes are then recorded for the conflict checks of transactions
   * @return the fingerprints of the keys newer commits wrote; empty if it was committed
   */
  long[] commitRewrite(RewriteRead read, long[] reads, byte[][] recordKeys, Enqueuer enqueuer) {
    synchronized (lock) {
      if (closed) {
        throw new DbClosedException("the database is closed");
      }
      long[] conflicts = new long[0];
      int n = 0;
      for (Iterator<Committed> it = committed.descendingIterator(); it.hasNext(); ) {
        Committed c = it.next();
        if (c.seq <= read.seq()) {
          break; // recorded in enqueue order
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
      // Managed: at the highest commit so far, never below a version it rewrites, so its
      // memtable sorts above the older tables in L0 (see ValueLogGc).
      long ts = managed ? maxCommitTs : nextTs++;
      if (!managed) {
        maxCommitTs = ts;
      }
      enqueuer.enqueue(ts, ++seq);
      if (recordKeys != null) {
        committed.addLast(new Committed(ts, seq, reads, detectConflicts ? recordKeys : null));
      }
      cleanup();
      return conflicts;
    }
  }

  /**
   * Makes every later commit timestamp (and the rewrites' in managed mode) exceed {@code ts}: a
   * load writes versions up to it and must stay below what commits after it write.
   */
  void raiseAbove(long ts) {
    synchronized (lock) {
      if (closed) {
        throw new DbClosedException("the database is closed");
      }
      nextTs = Math.max(nextTs, ts + 1);
      maxCommitTs = Math.max(maxCommitTs, ts);
    }
  }

  private void cleanup() {
    // Managed: a transaction may begin at any read timestamp above the discard timestamp, so
    // commits above it are kept for conflict checks (as Badger; setDiscardTs bounds them).
    long horizon = managed ? (detectConflicts ? managedDiscardTs : Long.MAX_VALUE)
        : activeReads.isEmpty() ? appliedTs : activeReads.oldest();
    while (!committed.isEmpty() && committed.peekFirst().ts <= horizon
        && (rewriteMarks.isEmpty() || committed.peekFirst().seq <= rewriteMarks.oldest())) {
      committed.pollFirst();
    }
  }

  /**
   * The timestamp at or below which readers need only the newest version of a key: the oldest
   * read timestamp in use, or the applied timestamp when no transaction is open. Compactions may
   * drop older versions below it.
   */
  long discardAtOrBelow() {
    if (managed) {
      return managedDiscardTs;
    }
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

  /**
   * Called by the write leader once every request up to sequence number {@code seq} is in a
   * memtable; {@code ts} is the highest commit timestamp among them (in managed mode not
   * necessarily the last one's).
   */
  void applied(long ts, long seq) {
    if (ts > appliedTs) {
      appliedTs = ts;
    }
    appliedSeq = seq; // after appliedTs: see the class notes
  }

  /**
   * Managed mode: raises the discard timestamp (a lower one is ignored).
   *
   * @param ts the application's discard timestamp
   */
  void setDiscardTs(long ts) {
    synchronized (lock) {
      if (ts > managedDiscardTs) {
        managedDiscardTs = ts;
        cleanup();
      }
    }
  }

  /** Whether timestamps come from the application. */
  boolean managed() {
    return managed;
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
