package dev.sett.kv;

import dev.sett.kv.internal.BudgetAccess;
import dev.sett.kv.internal.MemTablePool;
import dev.sett.kv.internal.SharedCaches;

/**
 * One memory budget shared by several databases in one process, for applications that open many
 * (a Kafka Streams instance opens one store per partition): give the same object to each
 * database's options with {@link Options.Builder#memoryBudget(MemoryBudget)}. A database on its
 * own needs none: {@link Options.Builder#memoryBudget(long)} (default {@value
 * Options#DEFAULT_MEMORY_BUDGET} bytes) splits a budget of its own at open.
 *
 * <p>The budget is split as a database's own is: half is the memtable pool, the rest is three
 * quarters block cache and one quarter index cache.
 *
 * <ul>
 *   <li><b>Caches.</b> The databases share one block cache and one index cache of those sizes,
 *       created when the first database opens and dropped when the last one closes. Each
 *       database's table ids are kept apart in them.
 *   <li><b>Memtables.</b> Each database charges the arenas of the memtables it holds to the
 *       pool. The size of each new memtable is chosen when it is created: a database's first
 *       memtable, and any memtable that replaces one sealed for lack of memory, is small (at most
 *       {@value #ALLOWANCE_BYTES} bytes, less for a small {@link Options#memTableSize()}); a
 *       memtable created because the last one filled up gets up to its full {@code
 *       memTableSize}, but never more than half of what the pool has free and never less than
 *       the commit waiting for it. So an idle database costs one small arena, and busy ones share
 *       what is left. When less than an eighth of the pool is free, the database holding the
 *       largest mutable memtable is asked to seal and flush it (on its own threads). A writer
 *       waits only when the whole pool is taken, until another database's flush frees memory.
 * </ul>
 *
 * <p><b>The bound.</b> The memtables of all attached databases take at most {@link
 * #memTablePoolBytes()} plus {@value #ALLOWANCE_BYTES} bytes per database (the small memtable
 * each database may always hold, so that sealing and flushing can never wait for memory), and
 * the caches at most {@code bytes() - memTablePoolBytes()}. Two things may add to this for a
 * while: a WAL replayed at open after a crash is held whole until flushed, and a memtable a slow
 * reader still holds after its database closed keeps its charge until the reader lets go. The
 * process needs more than the budget: the JVM, and memory the garbage collector has not given
 * back yet (a released off-heap arena is freed when its buffer object is collected).
 *
 * <p>Thread-safe. The object holds no resources: the caches go with the last database.
 */
public final class MemoryBudget {
  /** The smallest budget: {@value} bytes (16 MiB), as for a database's own budget. */
  public static final long MIN_BYTES = 16L << 20;
  /** The largest budget: 1 TiB. */
  public static final long MAX_BYTES = 1L << 40;
  /**
   * The memtable each attached database may always hold, whatever the pool holds: {@value}
   * bytes (256 KiB), or less when the database's full memtable is smaller.
   */
  public static final long ALLOWANCE_BYTES = 256L << 10;

  static {
    BudgetAccess.install(new BudgetAccess.Accessor() {
      @Override
      public MemTablePool pool(MemoryBudget budget) {
        return budget.pool;
      }

      @Override
      public SharedCaches caches(MemoryBudget budget) {
        return budget.caches;
      }
    });
  }

  private final long bytes;
  private final MemTablePool pool;
  private final SharedCaches caches;

  private MemoryBudget(long bytes) {
    this.bytes = bytes;
    long poolBytes = bytes / 2;
    long rest = bytes - poolBytes;
    long block = rest / 4 * 3;
    this.pool = new MemTablePool(poolBytes);
    this.caches = new SharedCaches(block, rest - block);
  }

  /**
   * Creates a budget to share.
   *
   * @param bytes in [{@value #MIN_BYTES}, {@value #MAX_BYTES}]
   * @return a new budget, used by no database yet
   * @throws IllegalArgumentException if out of range
   */
  public static MemoryBudget of(long bytes) {
    if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "memoryBudget must be in [" + MIN_BYTES + ", " + MAX_BYTES + "], got " + bytes);
    }
    return new MemoryBudget(bytes);
  }

  /**
   * The budget.
   *
   * @return bytes
   */
  public long bytes() {
    return bytes;
  }

  /**
   * The memtable pool: half the budget.
   *
   * @return bytes
   */
  public long memTablePoolBytes() {
    return pool.limit();
  }

  /**
   * The shared block cache's capacity: three quarters of what the pool leaves.
   *
   * @return bytes
   */
  public long blockCacheBytes() {
    return caches.blockCapacity();
  }

  /**
   * The shared index cache's capacity: a quarter of what the pool leaves.
   *
   * @return bytes
   */
  public long indexCacheBytes() {
    return caches.indexCapacity();
  }

  /**
   * The memtable arenas charged now, by every attached database (and by readers still holding
   * memtables of closed ones).
   *
   * @return bytes
   */
  public long memTableBytes() {
    return pool.chargedBytes();
  }

  /**
   * What the shared block and index caches hold now; 0 when no database is attached.
   *
   * @return bytes
   */
  public long cacheBytes() {
    return caches.sizeBytes();
  }

  /**
   * The databases open on this budget.
   *
   * @return the count
   */
  public int databases() {
    return caches.attached();
  }

  @Override
  public String toString() {
    return "MemoryBudget[" + bytes + " bytes, " + databases() + " database(s), memtables "
        + memTableBytes() + " of " + memTablePoolBytes() + ", caches " + cacheBytes() + "]";
  }
}
