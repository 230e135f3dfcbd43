package dev.sett.kv.levels;

import dev.sett.kv.DbClosedException;
import dev.sett.kv.spi.Table;
import dev.sett.kv.spi.TableContext;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state the parts of the levels share: the current {@link TableSet}, the lock and its
 * {@code changed} condition, closing and the failure state, the pause and running counts of the
 * compactions, and what every part opens and names tables with (config, MANIFEST, file pool, file
 * ids). One per {@link LevelsController}; {@link TableSetLoader} creates it at open.
 *
 * <p>Concurrency notes.
 * <ul>
 *   <li>{@code current}: read by any thread without the lock, pinned with {@link #acquire()} (the
 *       set is immutable). Replaced only by {@link #install}, under {@code lock}, by the flusher
 *       ({@link LevelZeroFlush}: adds an L0 table) and by compactions
 *       ({@link CompactionScheduler#execute}: inputs by outputs), each after making its change
 *       durable in the MANIFEST; the old set's reference is dropped after the lock, and obsolete
 *       tables are deleted when the last set holding them is released.
 *   <li>{@code lock} guards the replacement of {@code current}, {@link #paused} and
 *       {@link #running} here, the compacting tables and in-flight ranges of
 *       {@link CompactionAdmission} and the failure count of {@link CompactionScheduler}.
 *       {@code closing} and {@code failure} are volatile: written under {@code lock}, read
 *       anywhere.
 *   <li>{@code changed} is signalled whenever the levels change, a compaction ends, the pause
 *       count changes, closing begins or the failure is recorded; compactors, a flusher waiting
 *       for L0 room, writers slowing down, {@code pause} and {@code close} wait on it (no
 *       polling).
 *   <li>Invariants: {@code closing} and {@code failure} never go back once set; {@code running}
 *       counts the compactions admitted and not yet ended (each holds a reference on the set it
 *       read); while {@code paused > 0} no background compaction is admitted.
 * </ul>
 */
final class LevelState {
  private final LevelsConfig config;
  private final Manifest manifest;
  private final FileHandlePool pool;
  private final AtomicLong nextFileId;
  final ReentrantLock lock = new ReentrantLock();
  final Condition changed = lock.newCondition();
  private volatile TableSet current;
  private volatile boolean closing;
  /** A failure the compactors cannot get past; ends every wait on the levels. */
  private volatile Throwable failure;
  /** Guarded by {@code lock}: flatten, compactNow or compactLevelZero stopped the compactors. */
  int paused;
  /** Guarded by {@code lock}: compactions admitted and not yet ended, background or not. */
  int running;

  LevelState(LevelsConfig config, Manifest manifest, long nextFileId) {
    this.config = config;
    this.manifest = manifest;
    this.pool = new FileHandlePool(config.storage(), config.maxOpenFiles());
    this.nextFileId = new AtomicLong(nextFileId);
  }

  LevelsConfig config() {
    return config;
  }

  Manifest manifest() {
    return manifest;
  }

  long newFileId() {
    return nextFileId.getAndIncrement();
  }

  TableHandle openTable(long id, String format) throws IOException {
    String name = TableFiles.name(id);
    FileHandlePool.PooledFile file = pool.file(name);
    try {
      Table t = config.formats().apply(format).open(file,
          new TableContext(config.dbId(), id, config.blockCache(), config.indexCache()));
      return new TableHandle(t, name, config.storage(), config.blockCache(), config.indexCache());
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** Table files open now. */
  int openFiles() {
    return pool.openCount();
  }

  /** Sets the first table set, before the state is shared with any other thread. */
  void init(TableSet first) {
    current = first;
  }

  /** The current set, not pinned: for a glance at it, or under {@code lock} to plan from it. */
  TableSet current() {
    return current;
  }

  /** The number of tables in L0 now. */
  int levelZeroTables() {
    return current.levels[0].length;
  }

  /**
   * Pins the current set; release it with {@link TableSet#unref()}.
   *
   * @throws DbClosedException if the levels are closed
   */
  TableSet acquire() {
    while (true) {
      TableSet s = current;
      if (s.tryRef()) {
        return s;
      }
      if (closing && s == current) {
        throw new DbClosedException("the database is closed");
      }
    }
  }

  /** Publishes a new table set: the old one's tables are released when its readers finish. */
  void install(Set<Long> removed, int level, List<TableHandle> added) {
    TableSet old;
    lock.lock();
    try {
      old = current;
      current = old.replace(removed, level, added);
      for (TableHandle[] l : old.levels) {
        for (TableHandle t : l) {
          if (removed.contains(t.id)) {
            t.markObsolete();
          }
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    old.unref();
  }

  boolean closing() {
    return closing;
  }

  /**
   * Starts closing: every wait on the levels ends and nothing new is admitted.
   *
   * @return {@code false} if closing had begun already
   */
  boolean beginClose() {
    lock.lock();
    try {
      if (closing) {
        return false;
      }
      closing = true;
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Waits, uninterruptibly, until no compaction runs (those on user threads end on closing). */
  void awaitNoneRunning() {
    lock.lock();
    try {
      while (running > 0) {
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Drops the reference this state holds on the current set: its tables close when unpinned. */
  void releaseCurrent() {
    current.unref();
  }

  /** The failure that stopped the compactors, or null. */
  Throwable failure() {
    return failure;
  }

  /**
   * Records a failure the compactors cannot get past and wakes every waiter.
   *
   * @return {@code false} if a failure was recorded already (this one is dropped)
   */
  boolean recordFailure(Throwable cause) {
    lock.lock();
    try {
      if (failure != null) {
        return false;
      }
      failure = cause;
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every thread waiting on a change of the levels, so it can re-check why it waits. */
  void wakeWaiters() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the levels change or {@code nanos} pass (returns at once when closing). */
  void awaitChange(long nanos) throws InterruptedException {
    lock.lock();
    try {
      if (!closing) {
        changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }
}
