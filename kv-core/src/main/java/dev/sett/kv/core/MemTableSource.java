package dev.sett.kv.core;

import dev.sett.kv.internal.MemTablePool;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;
import java.util.IdentityHashMap;
import java.util.Map;

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
 * <p>On a shared budget ({@link dev.sett.kv.MemoryBudget}) every memtable is charged to the
 * budget's pool through this database's {@link MemTablePool.Account} from its creation until it
 * is released, and its size is chosen when it is created: a memtable made for a commit gets
 * what the pool grants (up to the full size, never less than the commit needs), one that may
 * stay idle (at open, after a seal) is small. A memtable of capacity {@code c} smaller than the
 * full one is filled to at most {@code c - c/16} ({@link MemTableHandle#sizeLimit()}); the
 * rest is slack, as the full memtable's is. The spare is recycled only when it is big enough for
 * the commit and not while a small memtable is wanted, and kept only while the pool is not
 * crowded.
 *
 * <p>Concurrency notes. {@link #done} runs on whichever thread drops a memtable's last reference
 * (the flusher, a reader, close); {@link #create}, {@link #tryReserve} and the {@code newHandle}
 * methods on the write leader at rotation and on the opening thread during replay; {@link #close}
 * once, at database close, after which memtables that are let go of are released; {@link
 * #dropSpare} on a seal thread. All hold this object's monitor while they touch the spare, the
 * grants and the counts, and call the pool only after releasing it (so the pool's wake-ups never
 * run under it), except {@link #done}'s crowding check, which only reads the pool. Invariants:
 * the spare is a memtable that no reader and no list refers to any more; {@code inUse} counts the
 * memtables handed out (or reserved) and not yet given back; on a shared budget every memtable
 * this source made and has not released has exactly one grant in {@code grants} (a reservation's
 * grant is outside the map until its memtable is made), and each grant is given back once.
 */
final class MemTableSource {
  /** The smallest arena made on a shared budget. */
  static final long MIN_ARENA = 64L << 10;

  /** A reservation for one memtable: a spare to recycle, or a grant to make a new one with. */
  record Reservation(MemTable spare, MemTablePool.Grant grant) {}

  private static final Reservation OWN = new Reservation(null, null);

  private final MemTableFactory factory;
  private final long capacity;
  private final long memTableSize;
  private final int limit;
  /** The shared budget's account; null on a budget of the database's own. */
  private final MemTablePool.Account account;
  private final Map<MemTable, MemTablePool.Grant> grants = new IdentityHashMap<>(); // this
  private MemTable spare; // guarded by this
  private int inUse; // guarded by this
  private boolean closed; // guarded by this
  private long recycled; // guarded by this

  /**
   * A source on the database's own budget.
   *
   * @param factory makes new memtables
   * @param capacity the capacity of each, in bytes
   * @param limit how many memtables (in use and spare) the budget allows, at least 2
   */
  MemTableSource(MemTableFactory factory, long capacity, int limit) {
    this.factory = factory;
    this.capacity = capacity;
    this.memTableSize = Long.MAX_VALUE;
    this.limit = limit;
    this.account = null;
  }

  /**
   * A source on a shared budget.
   *
   * @param factory makes new memtables
   * @param memTableSize the database's {@code memTableSize}
   * @param limit how many memtables (in use and spare) the database may hold, at least 2
   * @param account the database's account in the shared pool
   */
  MemTableSource(MemTableFactory factory, long memTableSize, int limit,
      MemTablePool.Account account) {
    this.factory = factory;
    this.capacity = arenaFor(memTableSize);
    this.memTableSize = memTableSize;
    this.limit = limit;
    this.account = account;
  }

  /**
   * The arena size on a shared budget that holds {@code bytes} of entries, slack included.
   *
   * @param bytes the entries' footprint
   * @return bytes, a multiple of 4 KiB, at least {@link #MIN_ARENA}
   */
  static long arenaFor(long bytes) {
    long c = bytes + bytes / 15 + 1;
    return Math.max(MIN_ARENA, (c + 4095) & ~4095L);
  }

  /** The full arena size of this database's memtables on a shared budget. */
  static long fullArena(long memTableSize) {
    return arenaFor(memTableSize);
  }

  /** Whether the memtables are charged to a shared budget. */
  boolean shared() {
    return account != null;
  }

  /**
   * The most bytes a memtable of {@code capacityBytes} may be filled to by the write path, besides
   * {@code memTableSize}: unbounded on a database's own budget (every memtable is full size), the
   * capacity less a sixteenth of slack on a shared one.
   */
  private long sizeLimit(long capacityBytes) {
    return account == null || capacityBytes >= capacity ? memTableSize
        : Math.min(memTableSize, capacityBytes - capacityBytes / 16);
  }

  /**
   * Whether a commit of {@code need} bytes cannot go into {@code handle} even empty, so a bigger
   * memtable must replace it (only on a shared budget, where memtables may be small).
   */
  boolean tooSmall(MemTableHandle handle, long need) {
    return account != null
        && handle.table().sizeBytes() + need > handle.sizeLimit()
        && arenaFor(need) > handle.table().capacityBytes();
  }

  /**
   * A new, empty memtable handle for the WAL {@code walId}, to receive new commits: on a shared
   * budget a small one (the database may stay idle), else as {@link #create()}.
   */
  MemTableHandle newHandle(long walId) {
    if (account == null) {
      return new MemTableHandle(create(), walId, this, memTableSize, false);
    }
    MemTablePool.Grant g = account.tryAcquire(capacity, MIN_ARENA, true);
    if (g == null) {
      g = account.force(Math.min(capacity, account.allowanceBytes())); // not at open: see pool
    }
    synchronized (this) {
      inUse++;
    }
    return make(walId, new Reservation(null, g));
  }

  /**
   * A new, empty memtable of the full size for replaying the WAL {@code walId} at open: on a
   * shared budget it is charged whatever the pool holds (the entries must go somewhere).
   */
  MemTableHandle newReplayHandle(long walId) {
    if (account == null) {
      return newHandle(walId);
    }
    MemTablePool.Grant g = account.force(capacity);
    synchronized (this) {
      inUse++;
    }
    return make(walId, new Reservation(null, g));
  }

  /**
   * A new memtable of {@code capacityBytes} rather than the usual capacity, for one that never
   * takes writes (a read-only open's mutable memtable): no full arena for nothing. Not charged to
   * a shared budget (it is tiny).
   */
  MemTableHandle newSmallHandle(long walId, long capacityBytes) {
    synchronized (this) {
      inUse++;
    }
    return new MemTableHandle(factory.create(Math.min(capacity, capacityBytes)), walId, this,
        memTableSize, false);
  }

  /**
   * Reserves memory for the next memtable without waiting (the write leader, at rotation). On a
   * database's own budget it always succeeds (the count of memtables is the caller's check).
   *
   * @param need the footprint of the commit the memtable is made for, 0 if none
   * @param small whether a small memtable is wanted (a seal no commit waits for)
   * @return the reservation, or {@code null} when the shared pool has no room now: the caller
   *     waits until the account's client is woken and asks again
   */
  Reservation tryReserve(long need, boolean small) {
    if (account == null) {
      return OWN;
    }
    long min = arenaFor(need);
    synchronized (this) {
      if (spare != null && !small && spare.capacityBytes() >= min) {
        MemTable s = spare;
        spare = null;
        inUse++;
        return new Reservation(s, grants.remove(s));
      }
    }
    MemTablePool.Grant g = account.tryAcquire(capacity, min, small);
    if (g == null) {
      return null;
    }
    synchronized (this) {
      inUse++;
    }
    return new Reservation(null, g);
  }

  /** Gives back a reservation that was not used (the rotation failed). */
  void cancel(Reservation r) {
    if (r == OWN) {
      return;
    }
    boolean keep;
    synchronized (this) {
      inUse--;
      keep = r.spare() != null && !closed && spare == null;
      if (keep) {
        spare = r.spare();
        grants.put(spare, r.grant());
      }
    }
    if (!keep) {
      if (r.spare() != null) {
        r.spare().release();
      }
      account.release(r.grant());
    }
  }

  /** Makes the memtable a reservation is for. */
  MemTableHandle newHandle(long walId, Reservation r) {
    if (r == OWN) {
      return newHandle(walId);
    }
    return make(walId, r);
  }

  private MemTableHandle make(long walId, Reservation r) {
    MemTable t = null;
    try {
      if (r.spare() != null) {
        t = r.spare().recycle();
        if (t == null) {
          long bytes = r.spare().capacityBytes();
          r.spare().release();
          t = factory.create(bytes);
        } else {
          synchronized (this) {
            recycled++;
          }
        }
      } else {
        t = factory.create(r.grant().bytes());
      }
    } finally {
      if (t == null) { // the factory failed: nothing was made
        synchronized (this) {
          inUse--;
        }
        account.release(r.grant());
      }
    }
    synchronized (this) {
      grants.put(t, r.grant());
    }
    account.reclaimed(); // a new mutable memtable: the pool may ask about it again
    return new MemTableHandle(t, walId, this, sizeLimit(t.capacityBytes()),
        r.grant().allowance());
  }

  /** A new, empty memtable of the full size: the spare's memory if there is one, else fresh. */
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
   * the database is open, and a shared pool is not crowded), released otherwise.
   */
  void done(MemTable table) {
    MemTablePool.Grant g;
    synchronized (this) {
      inUse--;
      g = grants.get(table);
      boolean keep = !closed && spare == null && inUse < limit
          && (account == null || (g != null && !g.allowance() && !account.crowded()));
      if (keep) {
        spare = table;
        return;
      }
      grants.remove(table);
    }
    table.release();
    if (g != null) {
      account.release(g);
    }
  }

  /** Releases the spare, giving its memory back (the shared pool asked for memory). */
  void dropSpare() {
    MemTable s;
    MemTablePool.Grant g;
    synchronized (this) {
      s = spare;
      spare = null;
      g = s == null ? null : grants.remove(s);
    }
    if (s != null) {
      s.release();
      if (g != null) {
        account.release(g);
      }
    }
  }

  /** Releases the spare; memtables let go of from now on are released at once. */
  void close() {
    synchronized (this) {
      closed = true;
    }
    dropSpare();
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
