package dev.sett.kv.core;

import java.util.Arrays;

/**
 * The memtables of a database: the mutable one the write leader fills and the immutable ones
 * waiting for the flusher, published as one immutable {@link MemTables} snapshot.
 *
 * <p>Concurrency notes. Who reads: any thread, through {@link #current()} (a volatile read, no
 * lock). Who writes: the write leader at rotation ({@link #rotate}) and the flusher when it drops
 * a flushed memtable ({@link #dropFlushed}); both replace the snapshot under {@code lock}, so
 * neither loses the other's change. Invariant: the immutables are in WAL order, newest first, and
 * only the oldest is ever dropped.
 *
 * <p>Readers that use the memtables beyond a glance take them with {@link #acquire()}, which
 * references every memtable of one snapshot; a memtable dropped meanwhile cannot be referenced
 * any more, and then the reader takes the newer snapshot instead: the dropped memtable's entries
 * are in a table by then (a flush publishes the table before it drops the memtable), and readers
 * read the tables after the memtables.
 */
final class MemTableList {
  private final Object lock = new Object();
  private volatile MemTables current;

  MemTableList(MemTables initial) {
    this.current = initial;
  }

  /** The current snapshot. */
  MemTables current() {
    return current;
  }

  /**
   * References every memtable of the current snapshot; give them back with {@link #release}.
   *
   * @return the snapshot, all of its memtables referenced
   */
  MemTables acquire() {
    while (true) {
      MemTables m = current;
      MemTableHandle[] all = m.all;
      int taken = 0;
      while (taken < all.length && all[taken].tryRef()) {
        taken++;
      }
      if (taken == all.length) {
        return m;
      }
      for (int i = 0; i < taken; i++) {
        all[i].unref();
      }
      // A flush dropped one of them after we read the snapshot: read the new one.
    }
  }

  /** Gives back the references {@link #acquire()} took. */
  static void release(MemTables m) {
    for (MemTableHandle h : m.all) {
      h.unref();
    }
  }

  /** Drops the list's own references (at close): each memtable goes with its last reader. */
  void releaseAll() {
    synchronized (lock) {
      release(current);
    }
  }

  /** Makes the mutable memtable immutable and {@code fresh} the new mutable one. */
  void rotate(MemTableHandle fresh) {
    synchronized (lock) {
      current = current.rotate(fresh);
    }
  }

  /**
   * Removes the oldest immutable memtable once the flusher has made it a table.
   *
   * @param flushed the memtable flushed; must be the oldest immutable one
   */
  void dropFlushed(MemTableHandle flushed) {
    synchronized (lock) {
      MemTables m = current;
      MemTableHandle[] imm = m.immutables;
      if (imm.length == 0 || imm[imm.length - 1] != flushed) {
        throw new IllegalStateException("flushed memtable " + flushed + " is not the oldest");
      }
      current = new MemTables(m.mutable, Arrays.copyOf(imm, imm.length - 1));
    }
    flushed.unref();
  }
}
