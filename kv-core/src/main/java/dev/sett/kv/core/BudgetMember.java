package dev.sett.kv.core;

import dev.sett.kv.DbClosedException;
import dev.sett.kv.DbFailedException;
import dev.sett.kv.internal.MemTablePool;
import dev.sett.kv.internal.Uninterruptibles;

/**
 * A database's side of a shared memory budget's memtable pool ({@link MemTablePool.Client}):
 * tells the pool how much memory sealing would give back, seals when asked, and wakes the
 * database's write leader when the pool has freed memory.
 *
 * <p>Concurrency notes. Who calls: any thread of any database on the budget (the pool calls
 * {@link #reclaimableBytes}, {@link #reclaim} and {@link #wake} from whichever thread acquired or
 * released memory); the opening thread ({@link #start}) and the closing thread ({@link #close}).
 * None of the pool's calls blocks: a seal runs on a thread of its own ({@code sett-seal}, at most
 * one per database at a time: {@code sealer}, started and cleared under {@code lock}), which
 * takes this database's write path like any committer, so it may wait for this database's flusher and the pool but never holds up the
 * caller. Invariants: after {@link #close} returns no seal thread runs and none starts; a seal of
 * a closing or failed database ends quietly.
 */
final class BudgetMember implements MemTablePool.Client {
  private static final System.Logger LOG = System.getLogger(BudgetMember.class.getName());

  private final boolean readOnly;
  private final Object lock = new Object();
  private Thread sealer; // guarded by lock
  private volatile MemTableSource source;
  private volatile WritePipeline pipeline;
  private volatile MemTablePool.Account account;
  private volatile boolean closed;

  /** @param readOnly a read-only database never seals (it writes nothing) */
  BudgetMember(boolean readOnly) {
    this.readOnly = readOnly;
  }

  /** Connects the account, once it exists. */
  void attached(MemTablePool.Account account, MemTableSource source) {
    this.account = account;
    this.source = source;
  }

  /** Connects the write path, once it exists (until then nothing is worth reclaiming). */
  void start(WritePipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public long reclaimableBytes() {
    WritePipeline p = pipeline;
    MemTableSource s = source;
    if (p == null || s == null || closed || readOnly) {
      return 0;
    }
    long bytes = s.spareBytes();
    MemTableHandle m = p.memTables().mutable;
    if (!m.allowance() && m.table().count() > 0) {
      bytes += m.table().capacityBytes();
    }
    return bytes;
  }

  @Override
  public void reclaim() {
    if (closed || readOnly) {
      return;
    }
    synchronized (lock) { // held briefly: the caller may hold a lock of its own database
      if (closed || sealer != null) {
        return; // a seal in progress gives back what this one would
      }
      sealer = new Thread(this::seal, "sett-seal");
      sealer.setDaemon(true);
      sealer.start();
    }
  }

  private void seal() {
    try {
      MemTableSource s = source;
      if (s != null) {
        s.dropSpare();
      }
      WritePipeline p = pipeline;
      if (p != null && !closed) {
        p.sealMemTable();
      }
    } catch (DbClosedException | DbFailedException e) {
      // closing or failed: it gives its memory back as it closes
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "sealing a memtable for the shared memory budget"
          + " failed", e);
    } finally {
      synchronized (lock) {
        sealer = null;
      }
      MemTablePool.Account a = account;
      if (a != null) {
        a.reclaimed();
      }
    }
  }

  @Override
  public void wake() {
    WritePipeline p = pipeline;
    if (p != null) {
      p.wakeForRoom();
    }
  }

  /**
   * Stops sealing: waits for a seal in progress (it ends with {@link DbClosedException} once the
   * write path is closed, so call this after closing it).
   */
  void close() {
    Thread t;
    synchronized (lock) {
      closed = true;
      t = sealer;
    }
    if (t != null && t != Thread.currentThread()) {
      Uninterruptibles.join(t);
    }
  }
}
