package dev.sett.kv.core;

import dev.sett.kv.spi.MemTable;
import dev.sett.kv.internal.RefCount;

/**
 * A memtable, the id of the WAL that holds its entries, and a reference count (as Badger's
 * {@code memTable.IncrRef/DecrRef}). Several memtables may share a WAL when a replay had to split
 * one WAL's entries (a smaller {@code memTableSize} than before).
 *
 * <p>Concurrency notes. The {@link MemTableList} holds one reference from creation until the
 * flusher drops the memtable (or close). Readers (gets, iterators) take one with {@link #tryRef}
 * for as long as they read and give it back with {@link #unref}. Invariant: the count never rises
 * again once it reached zero ({@code tryRef} refuses), so {@link MemTable#release()} runs exactly
 * once, after the last reader is done, and no reader can start on a released memtable.
 */
final class MemTableHandle {
  private final MemTable table;
  private final long walId;
  private final RefCount refs = new RefCount(1);

  MemTableHandle(MemTable table, long walId) {
    this.table = table;
    this.walId = walId;
  }

  MemTable table() {
    return table;
  }

  long walId() {
    return walId;
  }

  /** Takes a reference unless the memtable was already released; returns whether it did. */
  boolean tryRef() {
    return refs.tryRef();
  }

  /** Gives a reference back; the last one releases the memtable. */
  void unref() {
    if (refs.unref(this)) {
      table.release();
    }
  }

  /** The references held now (for tests). */
  int refCount() {
    return refs.get();
  }

  @Override
  public String toString() {
    return "MemTable[wal=" + walId + ", entries=" + table.count() + "]";
  }
}
