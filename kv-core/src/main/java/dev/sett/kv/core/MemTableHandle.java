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
 * again once it reached zero ({@code tryRef} refuses), so the memtable goes back to its {@link
 * MemTableSource} (which recycles or releases it) exactly once, after the last reader is done, and
 * no reader can start on a memtable whose memory is reused.
 */
final class MemTableHandle {
  private final MemTable table;
  private final long walId;
  private final RefCount refs = new RefCount(1);
  /** Takes the memtable back once the last reference is gone; null: release it. */
  private final MemTableSource source;
  /**
   * The newest commit timestamp applied to the memtable. Written by one thread at a time (the
   * write leader, or the open sequence's replay), read by the flusher.
   */
  private volatile long newestCommit;

  /** The most bytes the write path fills the memtable to (see {@link #sizeLimit()}). */
  private final long sizeLimit;
  /** Whether the memtable is its database's allowance on a shared budget, not a pool charge. */
  private final boolean allowance;

  MemTableHandle(MemTable table, long walId) {
    this(table, walId, null, Long.MAX_VALUE, false);
  }

  MemTableHandle(MemTable table, long walId, MemTableSource source, long sizeLimit,
      boolean allowance) {
    this.table = table;
    this.walId = walId;
    this.source = source;
    this.sizeLimit = sizeLimit;
    this.allowance = allowance;
  }

  /**
   * The most bytes the write path fills this memtable to: {@code memTableSize}, or less for a
   * memtable made smaller on a shared budget ({@link MemTableSource}).
   */
  long sizeLimit() {
    return sizeLimit;
  }

  /** Whether this memtable is its database's allowance on a shared budget (a small one). */
  boolean allowance() {
    return allowance;
  }

  MemTable table() {
    return table;
  }

  long walId() {
    return walId;
  }

  /**
   * Records that a commit reached the memtable. Its entries may carry older versions (value log
   * garbage collection rewrites values at their original versions), so the memtable's own
   * {@link MemTable#maxVersion()} can lag behind the commit, and its table is sorted in level 0 by
   * {@link #newestCommit()}.
   */
  void noteCommit(long commitTs) {
    if (commitTs > newestCommit) {
      newestCommit = commitTs;
    }
  }

  /** The newest commit in the memtable, at least its entries' newest version. */
  long newestCommit() {
    return Math.max(newestCommit, table.maxVersion());
  }

  /** Takes a reference unless the memtable was already released; returns whether it did. */
  boolean tryRef() {
    return refs.tryRef();
  }

  /** Gives a reference back; the last one hands the memtable back to its source (or releases it). */
  void unref() {
    if (refs.unref(this)) {
      if (source != null) {
        source.done(table);
      } else {
        table.release();
      }
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
