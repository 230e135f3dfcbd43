package dev.sett.kv.core;

import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;

/**
 * Where a database's memtables come from and go to: new ones from the provider's factory, or
 * from the memory of the last memtable every reader let go of ({@link MemTable#recycle()}), which
 * this class keeps as one spare.
 *
 * <p>Why: the default memtable is a ~75 MiB off-heap arena. Allocating one per rotation zeroes
 * it on the write path (a put waits tens of milliseconds) and leaves the old arena to be freed
 * whenever the garbage collector gets to its buffer object, which for an object in the old
 * generation may be long after: the process's resident memory grows with every rotation. With
 * recycling, arenas are allocated once and a database holds at most {@code numMemtables} of them
 * (its share of the memory budget, {@link dev.sett.kv.Options#memoryBudget()}): the spare is kept
 * only while the memtables in use leave room for it. (A memtable a slow reader still pins after
 * its flush is out of the count for the write path, so for that reader's time one more arena may
 * exist; it is released, not kept, when the reader lets go.)
 *
 * <p>Concurrency notes. {@link #done} runs on whichever thread drops a memtable's last reference
 * (the flusher, a reader, close); {@link #create} on the write leader at rotation and on the
 * opening thread during replay; {@link #close} once, at database close, after which memtables
 * that are let go of are released. All three hold this object's monitor while they touch the
 * spare, and each runs once per memtable, so the lock is never contended in a way that matters.
 * Invariants: the spare is a memtable that no reader and no list refers to any more; {@code
 * inUse} counts the memtables handed out and not yet given back.
 */
final class MemTableSource {
  private final MemTableFactory factory;
  private final long capacity;
  private final int limit;
  private MemTable spare; // guarded by this
  private int inUse; // guarded by this
  private boolean closed; // guarded by this
  private long recycled; // guarded by this

  /**
   * @param factory makes new memtables
   * @param capacity the capacity of each, in bytes
   * @param limit how many memtables (in use and spare) the budget allows, at least 2
   */
  MemTableSource(MemTableFactory factory, long capacity, int limit) {
    this.factory = factory;
    this.capacity = capacity;
    this.limit = limit;
  }

  /** A new, empty memtable handle for the WAL {@code walId}. */
  MemTableHandle newHandle(long walId) {
    return new MemTableHandle(create(), walId, this);
  }

  /**
   * A new memtable of {@code capacityBytes} rather than the usual capacity, for one that never
   * takes writes (a read-only open's mutable memtable): no full arena for nothing.
   */
  MemTableHandle newSmallHandle(long walId, long capacityBytes) {
    synchronized (this) {
      inUse++;
    }
    return new MemTableHandle(factory.create(Math.min(capacity, capacityBytes)), walId, this);
  }

  /** A new, empty memtable: the spare's memory if there is a spare, else a fresh one. */
  MemTable create() {
    MemTable old;
    synchronized (this) {
      old = spare;
      spare = null;
      inUse++;
    }
    if (old != null) {
      MemTable reused = old.capacityBytes() == capacity ? old.recycle() : null;
      if (reused != null) {
        synchronized (this) {
          recycled++;
        }
        return reused;
      }
      old.release();
    }
    return factory.create(capacity);
  }

  /**
   * Takes back a memtable that no one refers to any more: kept as the spare if there is none (and
   * the database is open), released otherwise.
   */
  void done(MemTable table) {
    synchronized (this) {
      inUse--;
      if (!closed && spare == null && inUse < limit) {
        spare = table;
        return;
      }
    }
    table.release();
  }

  /** Releases the spare; memtables let go of from now on are released at once. */
  void close() {
    MemTable s;
    synchronized (this) {
      closed = true;
      s = spare;
      spare = null;
    }
    if (s != null) {
      s.release();
    }
  }

  /** The capacity of the spare kept for the next rotation, 0 if there is none. */
  synchronized long spareBytes() {
    return spare == null ? 0 : spare.capacityBytes();
  }

  /** Memtables made from recycled memory so far (for tests). */
  synchronized long recycled() {
    return recycled;
  }
}
