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
 * recycling, a database holds at most {@code numMemtables + 1} arenas, allocated once.
 *
 * <p>Concurrency notes. {@link #done} runs on whichever thread drops a memtable's last reference
 * (the flusher, a reader, close); {@link #create} on the write leader at rotation and on the
 * opening thread during replay; {@link #close} once, at database close, after which memtables
 * that are let go of are released. All three hold this object's monitor while they touch the
 * spare, and each runs once per memtable, so the lock is never contended in a way that matters.
 * Invariant: the spare is a memtable that no reader and no list refers to any more.
 */
final class MemTableSource {
  private final MemTableFactory factory;
  private final long capacity;
  private MemTable spare; // guarded by this
  private boolean closed; // guarded by this
  private long recycled; // guarded by this

  MemTableSource(MemTableFactory factory, long capacity) {
    this.factory = factory;
    this.capacity = capacity;
  }

  /** A new, empty memtable handle for the WAL {@code walId}. */
  MemTableHandle newHandle(long walId) {
    return new MemTableHandle(create(), walId, this);
  }

  /** A new, empty memtable: the spare's memory if there is a spare, else a fresh one. */
  MemTable create() {
    MemTable old;
    synchronized (this) {
      old = spare;
      spare = null;
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
      if (!closed && spare == null) {
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
