package dev.sett.kv.internal;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The memtable part of a shared {@link dev.sett.kv.MemoryBudget}: every database attached to the
 * budget charges the arenas of its memtables here while it holds them (RocksDB's {@code
 * WriteBufferManager}, with the engine choosing each arena's size from what is free).
 *
 * <p>The bound. Two kinds of charge exist. A <em>pool</em> charge is granted only while it fits:
 * the pool charges never exceed {@link #limit()} (a WAL replayed at open is the one exception,
 * {@link Account#force}, since its entries must go somewhere). Besides, each account may hold one
 * <em>allowance</em>: a memtable of at most {@link Account#allowanceBytes()} that is granted
 * whatever the pool holds. So the memtables of all attached databases take at most {@code limit
 * + (databases × allowance)} bytes, plus what replays force. The allowance is what makes progress
 * certain: a database asked to seal its memtable needs a fresh one before the old one can be
 * flushed, and an idle database needs one to exist at all; both can always take their allowance,
 * or, if an immutable memtable holds it, that memtable's flush (which needs no memory) returns
 * it.
 *
 * <p>Pressure. When a pool grant leaves less than an eighth of the limit free, or a request
 * cannot be granted, the pool asks the account with the most reclaimable memory (see {@link
 * Client#reclaimableBytes()}), not asked already, to seal and flush ({@link Client#reclaim()}).
 * The client does that on its own threads; the call never blocks. A request that cannot be
 * granted returns {@code null}; the caller waits and is woken ({@link Client#wake()}) after the
 * next release, and tries again.
 *
 * <p>Concurrency notes. Who writes: any thread of an attached database, through its {@link
 * Account} (the write leader acquiring, the flusher or a reader releasing, close detaching). All
 * counts are guarded by this object's monitor, which is held only for arithmetic: clients are
 * called after it is released, so a client may take its own locks in {@code wake} and {@code
 * reclaim} (a caller of {@link Account#tryAcquire} may hold its own locks; it must not hold a
 * lock that another database's {@code wake} takes). Who reads: anyone, through the read-outs.
 * Invariants: {@code poolCharged <= limit} except for forced charges; {@code allowanceCharged}
 * is the sum of the allowances held; a waiting account is woken by the first release after it
 * was marked waiting (it is marked under the monitor that the release takes, so no wake-up is
 * lost).
 */
public final class MemTablePool {

  /** What the pool needs from an attached database. Every method must return quickly. */
  public interface Client {
    /**
     * Memory the database could give back by sealing and flushing its mutable memtable (or
     * dropping a spare one): 0 when it has nothing worth sealing.
     *
     * @return bytes
     */
    long reclaimableBytes();

    /**
     * Asks the database to give memory back: seal its mutable memtable so it is flushed. Runs on
     * the caller's thread but must not block: the work goes to the database's own threads. It
     * must be harmless when the database is closing.
     */
    void reclaim();

    /** Wakes a writer of the database waiting for a grant, so that it asks again. */
    void wake();
  }

  /**
   * A grant: what a memtable of the account may take.
   *
   * @param bytes the arena size granted
   * @param allowance whether it is the account's allowance rather than a pool charge
   */
  public record Grant(long bytes, boolean allowance) {}

  private final long limit;
  private final CopyOnWriteArrayList<Account> accounts = new CopyOnWriteArrayList<>();
  private long poolCharged; // guarded by this
  private long allowanceCharged; // guarded by this

  /**
   * @param limit the bytes pool charges may take in all
   */
  public MemTablePool(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    this.limit = limit;
  }

  /**
   * Attaches a database.
   *
   * @param client how the pool reaches the database
   * @param allowanceBytes the size of the memtable the database may always hold
   * @return the database's account; {@link Account#close()} it when the database closes
   */
  public Account attach(Client client, long allowanceBytes) {
    Account a = new Account(client, allowanceBytes);
    accounts.add(a);
    return a;
  }

  /** @return the most bytes pool charges take (allowances and forced charges aside) */
  public long limit() {
    return limit;
  }

  /** @return bytes charged now: pool charges and allowances */
  public synchronized long chargedBytes() {
    return poolCharged + allowanceCharged;
  }

  /** @return bytes of pool charges now */
  public synchronized long poolChargedBytes() {
    return poolCharged;
  }

  /** @return accounts attached and not closed */
  public int accounts() {
    return accounts.size();
  }

  /** Asks the account with the most reclaimable memory, not asked yet, to reclaim it. */
  private void askForMemory() {
    Account victim = null;
    long most = 0;
    for (Account a : accounts) {
      if (a.asked) {
        continue;
      }
      long r = a.client.reclaimableBytes();
      if (r > most) {
        most = r;
        victim = a;
      }
    }
    if (victim != null) {
      victim.asked = true; // a racing second ask is harmless: reclaim is idempotent
      victim.client.reclaim();
    }
  }

  /** One database's charges. Thread-safe. */
  public final class Account {
    private final Client client;
    private final long allowanceBytes;
    private boolean allowanceHeld; // guarded by the pool
    private boolean waiting; // guarded by the pool
    private boolean closed; // guarded by the pool
    private long charged; // guarded by the pool: this account's bytes, both kinds
    /** Asked to reclaim and not done yet; skipped when the pool looks for memory. */
    private volatile boolean asked;

    private Account(Client client, long allowanceBytes) {
      this.client = client;
      this.allowanceBytes = allowanceBytes;
    }

    /** @return the size of the memtable this account may always hold */
    public long allowanceBytes() {
      return allowanceBytes;
    }

    /**
     * Asks for memory for a new memtable, without waiting.
     *
     * @param wanted the size the database would like (its full memtable)
     * @param minNeeded the least that will do (room for the commit that needs the memtable)
     * @param small whether a small memtable is preferred (one that may stay idle: at open, or
     *     replacing a sealed memtable no commit waits for)
     * @return the grant, or {@code null}: then the caller waits for {@link Client#wake()} and
     *     asks again (the pool has asked another database to give memory back)
     */
    public Grant tryAcquire(long wanted, long minNeeded, boolean small) {
      Grant g;
      boolean pressure;
      MemTablePool pool = MemTablePool.this;
      synchronized (pool) {
        long free = limit - poolCharged;
        boolean allowanceFits = !allowanceHeld && minNeeded <= allowanceBytes;
        long size = small ? Math.max(minNeeded, Math.min(allowanceBytes, wanted))
            : Math.min(Math.max(wanted, minNeeded),
                Math.max(minNeeded, Math.max(allowanceBytes, free / 2)));
        if (small && allowanceFits) {
          g = grantAllowance();
        } else if (size <= free) {
          poolCharged += size;
          charged += size;
          g = new Grant(size, false);
        } else if (allowanceFits) {
          g = grantAllowance();
        } else {
          g = null;
          waiting = true;
        }
        pressure = g == null || limit - poolCharged < limit / 8;
      }
      if (pressure) {
        askForMemory();
      }
      return g;
    }

    private Grant grantAllowance() {
      allowanceHeld = true;
      allowanceCharged += allowanceBytes;
      charged += allowanceBytes;
      return new Grant(allowanceBytes, true);
    }

    /**
     * Charges a memtable whatever the pool holds: for a WAL replayed at open, whose entries must
     * be held before anything can be flushed.
     *
     * @param bytes the arena size
     * @return the grant
     */
    public Grant force(long bytes) {
      boolean pressure;
      synchronized (MemTablePool.this) {
        poolCharged += bytes;
        charged += bytes;
        pressure = limit - poolCharged < limit / 8;
      }
      if (pressure) {
        askForMemory();
      }
      return new Grant(bytes, false);
    }

    /**
     * Gives a grant back, once, when its memtable is released. Wakes every database waiting for
     * memory.
     *
     * @param g what {@link #tryAcquire} or {@link #force} returned
     */
    public void release(Grant g) {
      java.util.List<Account> wake = new java.util.ArrayList<>();
      synchronized (MemTablePool.this) {
        if (g.allowance()) {
          if (!allowanceHeld) {
            throw new IllegalStateException("allowance released twice");
          }
          allowanceHeld = false;
          allowanceCharged -= allowanceBytes;
        } else {
          poolCharged -= g.bytes();
        }
        charged -= g.bytes();
        for (Account a : accounts) {
          if (a.waiting) {
            a.waiting = false;
            wake.add(a);
          }
        }
      }
      for (Account a : wake) {
        a.client.wake();
      }
    }

    /** The database gave memory back, or tried: the pool may ask it again. */
    public void reclaimed() {
      asked = false;
    }

    /** @return whether less than half the pool is free (spares are not worth keeping) */
    public boolean crowded() {
      synchronized (MemTablePool.this) {
        return limit - poolCharged < limit / 2;
      }
    }

    /** @return bytes this account holds now */
    public long chargedBytes() {
      synchronized (MemTablePool.this) {
        return charged;
      }
    }

    /**
     * Detaches the database: it is no longer asked for memory nor woken. Its memtables still
     * held (by readers that outlive the close) keep their charges until released. Idempotent.
     */
    public void close() {
      synchronized (MemTablePool.this) {
        if (closed) {
          return;
        }
        closed = true;
        waiting = false;
      }
      accounts.remove(this);
    }
  }
}
