package dev.sett.kv.core;

import dev.sett.kv.DbClosedException;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvException;
import dev.sett.kv.KvIterator;
import dev.sett.kv.MergeOperator;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.spi.EntryMeta;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BinaryOperator;

/**
 * The {@link MergeOperator} of one key. Operands are versions of the key with {@link
 * EntryMeta#MERGE}, which compactions, value log garbage collection and {@code allVersions}
 * iterators do not count against {@code numVersionsToKeep}, so all of them stay until something
 * newer ends the key. A merge writes the fold at the newest operand's version with {@link
 * EntryMeta#DISCARD_EARLIER_VERSIONS} and without the merge bit, through the rewrite commit path
 * (as value log garbage collection rewrites a version in place): the same key and version again,
 * which every reader takes from the newer source, and which ends the key for the operands below
 * it. It reads at the rewrite's read timestamp, and a commit to the key after that read makes the
 * write fail its conflict check, so a merge never hides a version it did not fold: the next round
 * tries again.
 *
 * <p>Concurrency notes. {@link #add} and {@link #get} run on any thread, as transactions do.
 * Merges (the background thread's and {@link #stop}'s last one) take {@code mergeLock}, so one
 * runs at a time. {@code stopped} is volatile: set once by {@link #stop}, read by the
 * background thread between rounds (it waits on {@code wake}, which {@code stop} notifies) and
 * by {@code add}. {@code rounds} is guarded by {@code wake} (tests wait for rounds on it).
 */
final class KeyMergeOperator implements MergeOperator {
  private static final System.Logger LOG = System.getLogger(KeyMergeOperator.class.getName());
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final SettDb db;
  private final byte[] key;
  private final BinaryOperator<byte[]> fn;
  private final long intervalNanos;
  private final ReentrantLock mergeLock = new ReentrantLock();
  private final Object wake = new Object();
  private final Thread thread;
  private volatile boolean stopped;
  private long rounds;

  KeyMergeOperator(SettDb db, byte[] key, BinaryOperator<byte[]> fn, long intervalNanos) {
    this.db = db;
    this.key = key;
    this.fn = fn;
    this.intervalNanos = intervalNanos;
    this.thread = new Thread(this::run, "sett-merge-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void add(byte[] value) {
    Objects.requireNonNull(value, "value");
    if (stopped) {
      throw new IllegalStateException("the merge operator of " + Keys.describe(key)
          + " is stopped");
    }
    try (Transaction t = db.newTransaction(true)) {
      t.setMergeOperand(key, value);
      t.commit();
    }
  }

  @Override
  public byte[] get() {
    try (Transaction t = db.newTransaction(false)) {
      Fold f = fold(t);
      return f.count == 0 ? null : f.value;
    }
  }

  /** The fold of the operands a transaction sees, newest first. */
  private record Fold(byte[] value, long newest, int count) {}

  private Fold fold(Transaction t) {
    IteratorOptions o = IteratorOptions.builder().allVersions(true).build();
    byte[] merged = null;
    long newest = 0;
    int n = 0;
    try (KvIterator it = t.newKeyIterator(key, o)) {
      for (it.rewind(); it.valid(); it.next()) {
        ItemImpl item = (ItemImpl) it.item();
        if (item.isDeletedOrExpired()) {
          break;
        }
        byte[] v = item.value();
        if (n == 0) {
          merged = v;
          newest = item.version();
        } else {
          merged = Objects.requireNonNull(fn.apply(v, merged), "the merge function returned"
              + " null");
        }
        n++;
        if ((item.stored().meta() & EntryMeta.DISCARD_EARLIER_VERSIONS) != 0) {
          break; // a merged value written before: the operands below it are folded in
        }
      }
    }
    return new Fold(merged, newest, n);
  }

  /**
   * Writes the fold of the operands in their place; returns whether it did (false: at most one
   * value to fold, or a commit to the key came in between).
   */
  boolean mergeNow() {
    mergeLock.lock();
    try {
      Oracle.RewriteRead read = db.oracle().beginRewriteRead();
      try {
        Fold f;
        try (Transaction t = new Transaction(db, false,
            db.oracle().beginReadAt(read.readTs()), false, 0)) {
          f = fold(t);
        }
        if (f.count < 2) {
          return false;
        }
        WriteRequest r = new WriteRequest(1);
        r.versions = new long[] {f.newest};
        r.keys[0] = key;
        r.values[0] = f.value;
        r.metas[0] = EntryMeta.DISCARD_EARLIER_VERSIONS;
        r.separate[0] = separate(f.value);
        return db.commitRewrite(r, read, new long[] {Oracle.fingerprint(key)}).length == 0;
      } finally {
        db.oracle().endRewriteRead(read);
      }
    } finally {
      mergeLock.unlock();
    }
  }

  private boolean separate(byte[] value) {
    SeparatedValues values = db.values();
    boolean separate = values.separate(key.length, value.length, (byte) 0)
        || value.length > db.options().maxValueSize();
    if (separate && value.length > values.maxSeparatedValue()) {
      throw new KvException("the merged value of " + Keys.describe(key) + " has "
          + value.length + " bytes, more than a value log file holds ("
          + values.maxSeparatedValue() + ")");
    }
    return separate;
  }

  private void run() {
    while (!stopped) {
      synchronized (wake) {
        long deadline = System.nanoTime() + intervalNanos;
        for (long left = intervalNanos; left > 0 && !stopped;
            left = deadline - System.nanoTime()) {
          try {
            wake.wait(left / 1_000_000, (int) (left % 1_000_000));
          } catch (InterruptedException e) {
            return; // only stop() ends this thread; an interrupt from elsewhere ends it too
          }
        }
      }
      if (stopped) {
        return;
      }
      try {
        mergeNow();
      } catch (DbClosedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "merging the operands of " + Keys.describe(key)
            + " failed (tried again in the next round)", e);
      }
      synchronized (wake) {
        rounds++;
        wake.notifyAll();
      }
    }
  }

  @Override
  public void stop() {
    synchronized (wake) {
      if (stopped) {
        return;
      }
      stopped = true;
      wake.notifyAll();
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true; // the thread ends at its next check: wait for it
      }
    }
    db.mergeOperatorStopped(this);
    try {
      if (!db.isClosed()) {
        mergeNow();
      }
    } catch (DbClosedException e) {
      // closed meanwhile: the operands stay, and get() folds them
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Background rounds finished so far, whether they merged or not (for tests). */
  long rounds() {
    synchronized (wake) {
      return rounds;
    }
  }

  /** Waits until at least {@code n} background rounds have finished. */
  void awaitRounds(long n) throws InterruptedException {
    synchronized (wake) {
      while (rounds < n) {
        wake.wait();
      }
    }
  }
}
