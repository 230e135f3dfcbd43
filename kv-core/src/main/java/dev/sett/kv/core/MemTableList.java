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
  }
}
