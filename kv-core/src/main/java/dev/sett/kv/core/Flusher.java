package dev.sett.kv.core;

import dev.sett.kv.internal.Uninterruptibles;
import dev.sett.kv.io.Storage;
import dev.sett.kv.levels.LevelsController;
import dev.sett.kv.spi.EntryIterator;
import java.io.IOException;

/**
 * Turns full memtables into L0 tables, oldest first (Badger's {@code flushMemtable}): writes the
 * table, lists it in the MANIFEST together with the WAL now fully in tables, drops the memtable,
 * then deletes the WAL. A crash before the MANIFEST record leaves an orphan table (deleted at the
 * next open) and the WAL (replayed); a crash after it leaves a WAL the MANIFEST marks as flushed
 * (deleted at the next open without replay). Nothing acknowledged is lost at any point.
 *
 * <p>Concurrency notes. One thread, {@code sett-flusher}, flushes; the write leader wakes it after
 * each rotation through {@link #wake()}. At close the closing thread stops it with
 * {@link #stop()} (which waits for the flush in progress) and flushes what remains itself, so
 * flushes never run concurrently and always in order. {@code pending} and {@code stopping} are
 * guarded by the monitor.
 */
final class Flusher {
  private static final System.Logger LOG = System.getLogger(Flusher.class.getName());

  private final MemTableList memTables;
  private final FailureState failure;
  private final Runnable onDropped;
  private final LevelsController levels;
  private final Storage storage;
  private final Thread thread;
  private boolean pending; // guarded by this
  private boolean stopping; // guarded by this
  private volatile long stallNanos;

  /**
   * @param memTables the memtables to flush from
   * @param levels where tables go
   * @param storage for deleting flushed WALs
   * @param failure failed when a flush fails
   * @param onDropped run after a flushed memtable is dropped (wakes writers waiting for room)
   */
  Flusher(MemTableList memTables, LevelsController levels, Storage storage,
      FailureState failure, Runnable onDropped) {
    this.memTables = memTables;
    this.failure = failure;
    this.onDropped = onDropped;
    this.levels = levels;
    this.storage = storage;
    this.thread = new Thread(this::run, "sett-flusher");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
    wake(); // memtables replayed at open may be waiting
  }

  /** Tells the flusher that a memtable became immutable. */
  synchronized void wake() {
    pending = true;
    notifyAll();
  }

  private void run() {
    while (true) {
      synchronized (this) {
        while (!pending && !stopping) {
          try {
            wait();
          } catch (InterruptedException e) {
            failure.fail(e, "the flusher");
            return;
          }
        }
        if (stopping) {
          return;
        }
        pending = false;
      }
      try {
        while (!isStopping()) {
          MemTableHandle[] imm = memTables.current().immutables;
          if (imm.length == 0) {
            break;
          }
          stallNanos += levels.awaitLevelZeroRoom(this::isStopping);
          if (isStopping()) {
            break;
          }
          flush(imm[imm.length - 1], false);
        }
      } catch (Throwable e) { // anything that stops flushing must fail writes, not stall them
        failure.fail(e, "a flush");
        return;
      }
    }
  }

  private synchronized boolean isStopping() {
    return stopping;
  }

  /**
   * Flushes one memtable: the oldest immutable one, or at close the mutable one.
   *
   * @param handle the memtable
   * @param mutable whether it is the mutable memtable (at close, after the write path stopped)
   */
  void flush(MemTableHandle handle, boolean mutable) throws IOException {
    MemTables m = memTables.current();
    boolean walShared = false; // a WAL replayed into several memtables is flushed with the last
    for (MemTableHandle other : m.all) {
      if (other != handle && other.walId() == handle.walId()) {
        walShared = true;
      }
    }
    long walFlushed = walShared ? handle.walId() - 1 : handle.walId();
    try (EntryIterator it = handle.table().iterator()) {
      levels.flush(it, handle.newestCommit(), walFlushed);
    }
    if (!mutable) {
      memTables.dropFlushed(handle);
      onDropped.run();
    }
    if (!walShared) {
      String wal = FileNames.wal(handle.walId());
      try {
        storage.delete(wal);
      } catch (IOException e) {
        // Harmless: the MANIFEST marks it flushed, so the next open deletes it unread.
        LOG.log(System.Logger.Level.WARNING, "cannot delete flushed WAL " + wal, e);
      }
    }
  }

  /** Stops the thread after the flush in progress. */
  void stop() throws InterruptedException {
    synchronized (this) {
      stopping = true;
      notifyAll();
    }
    levels.wakeWaiters();
    Uninterruptibles.join(thread); // close must not go on while a flush writes files
  }

  /** Time spent waiting for L0 room before flushes. */
  long stallNanos() {
    return stallNanos;
  }
}
