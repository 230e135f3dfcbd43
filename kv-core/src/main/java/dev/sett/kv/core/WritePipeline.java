package dev.sett.kv.core;

import dev.sett.kv.DbClosedException;
import dev.sett.kv.DbFailedException;
import dev.sett.kv.KvException;
import dev.sett.kv.StorageException;
import dev.sett.kv.internal.SyncBehind;
import dev.sett.kv.io.Storage;
import dev.sett.kv.spi.EntryMeta;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.ValueLog;
import dev.sett.kv.spi.ValuePointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single-writer write path with group commit: WAL append, memtable insert, sync, completion.
 *
 * <p>Implementation notes. Committing threads enqueue a {@link WriteRequest} (in commit-timestamp
 * order, under the {@link Oracle}'s lock) and then try to become the <em>leader</em> by taking
 * {@code leader} without waiting. The leader takes what is queued (up to {@value #MAX_GROUP}
 * requests: one group), encodes it into the WAL buffer, writes it with one system call, fsyncs
 * once if {@code syncWrites}, inserts into the memtable, publishes the new applied timestamp and
 * completes the requests. A thread that cannot lead parks until its request is done or it is
 * offered the lead. This is Badger's {@code doWrites} with one change: the leader is whichever
 * committing thread finds the path free, not a dedicated thread, so a lone writer pays no thread
 * hand-off per commit. The invariants are the same: one thread at a time owns the WAL and the
 * mutable memtable, and groups are applied in timestamp order.
 *
 * <p>No request is stranded. The rule: <em>whoever releases {@code leader} re-checks the queue
 * afterwards</em> and either finds it empty, or leads again, or fails to take the lock (then the
 * thread that holds it is bound by the same rule), or passes the lead to a thread that waits in
 * {@link #await} for a request still queued. Such a thread re-tries to lead every time it is
 * unparked and cannot leave until its request is done, so the lead it is passed is taken (by it,
 * or by whoever beat it to the lock, who is then bound by the rule). A thread whose
 * {@code tryLock} failed did so while the holder had not yet released, so the holder's re-check
 * (which follows its release) sees that thread's request, enqueued before its {@code tryLock}.
 * Every path that takes the lock follows the rule: group commit ({@link #tryLead}), {@link #sync}
 * and {@link #close} (both through {@link #withLead}); rotation and back-pressure run inside a
 * group, while the lock is held.
 *
 * <p>The leader does not starve. After each group, a leader whose own request is done passes the
 * lead to a queued request's waiting thread, if one waits, and returns to its caller (RocksDB's
 * write thread does the same); only when no queued request has a waiting thread (write batches,
 * which commit without waiting) does it go on leading, and then the work it does is bounded by
 * what those batches queue.
 *
 * <p>Interrupts. The write path never gives up a group because its leader was interrupted: the
 * waits of a leader (back-pressure) and of a waiting committer are uninterruptible and restore the
 * interrupt flag afterwards, and the WAL is written through {@code RandomAccessFile}, which an
 * interrupt does not close (see {@code NioStorage}). An interrupt therefore changes no other
 * thread's outcome.
 *
 * <p>Subscriptions. After a segment's requests are completed, the leader hands their writes to
 * {@link Subscriptions#publish}: still in commit order, and never waiting (a subscriber's buffer
 * that would overflow ends that subscription). While anyone subscribes, a request keeps the
 * values its user wrote ({@code userValues}), since encoding puts pointers in their place.
 *
 * <p>The memtables live in a {@link MemTableList} (read by any thread, rotated by the leader,
 * trimmed by the flusher); back-pressure (L0 slowdown, waiting for memtable room) is the
 * {@link WriteThrottle}'s.
 */
final class WritePipeline {
  /** Most requests taken into one group, as Badger (3 x 1000). */
  private static final int MAX_GROUP = 3000;
  /** How many queued requests a leader looks at for a waiting thread to pass the lead to. */
  private static final int HANDOFF_SCAN = 64;

  private final Storage storage;
  private final byte[] dbId;
  private final MemTableSource source;
  private final SyncBehind walSync;
  /** A WAL offset the background syncer may be given, and the value log bytes it depends on. */
  private long walSyncCandidate = -1; // leader only
  private long walSyncCandidateValues; // leader only
  private final long memTableSize;
  /** Committed writes go to them after each segment (see {@link Subscriptions}). */
  private final Subscriptions subscriptions;
  private final int numMemtables;
  private final boolean syncWrites;
  private final Oracle oracle;
  private final Runnable onRotate;
  private final MemTableList memTables;
  private final WriteThrottle throttle;
  private final ValueLog valueLog; // appended to by the leader only

  private final ConcurrentLinkedQueue<WriteRequest> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock leader = new ReentrantLock();
  private final List<WriteRequest> group = new ArrayList<>();

  private final FailureState failure;
  private volatile boolean closing;
  private boolean closed; // guarded by leader: the WAL is sealed
  private WalWriter wal; // owned by the leader
  private long nextWalId; // owned by the leader
  private volatile long walBytes; // written by the leader only
  private volatile long valueLogBytes; // written by the leader only
  private volatile long segmentsWritten; // written by the leader only
  private volatile long requestsWritten; // written by the leader only

  WritePipeline(Storage storage, byte[] dbId, MemTableSource source, SyncBehind walSync,
      long memTableSize,
      int numMemtables, boolean syncWrites, Oracle oracle,
      MemTableList memTables, WriteThrottle throttle, FailureState failure, WalWriter wal,
      long nextWalId, Runnable onRotate, ValueLog valueLog, Subscriptions subscriptions) {
    this.storage = storage;
    this.dbId = dbId;
    this.source = source;
    this.walSync = walSync;
    this.memTableSize = memTableSize;
    this.numMemtables = numMemtables;
    this.syncWrites = syncWrites;
    this.oracle = oracle;
    this.memTables = memTables;
    this.failure = failure;
    this.wal = wal;
    this.nextWalId = nextWalId;
    this.throttle = throttle;
    this.onRotate = onRotate;
    this.valueLog = valueLog;
    this.subscriptions = subscriptions;
  }

  MemTables memTables() {
    return memTables.current();
  }

  /** The memtables, each referenced for a reader; see {@link MemTableList#acquire()}. */
  MemTables acquireMemTables() {
    return memTables.acquire();
  }

  /** Drops the list's references at close, after the last flush. */
  void releaseMemTables() {
    memTables.releaseAll();
  }

  /** Throws {@link DbFailedException} if the database is in the failed state. */
  void checkWritable() {
    failure.check();
  }

  /** Adds a request; called under the oracle's lock so that queue order is timestamp order. */
  void enqueue(WriteRequest r) {
    queue.add(r);
  }

  /**
   * Leads the write path while there is work and the lead is free, until {@code own} is written
   * and the lead could be passed on (see the notes above).
   *
   * @param own the caller's request, or null if the caller has none
   */
  void tryLead(WriteRequest own) {
    while (!queue.isEmpty() && leader.tryLock()) {
      try {
        writeGroup();
      } finally {
        leader.unlock();
      }
      if ((own == null || own.done.isDone()) && passLead()) {
        return;
      }
    }
  }

  /** Wakes the waiting thread of a queued request so that it leads; false if none waits. */
  private boolean passLead() {
    int seen = 0;
    for (WriteRequest r : queue) {
      if (r.waiter != null) {
        r.wake();
        return true;
      }
      if (++seen == HANDOFF_SCAN) {
        break;
      }
    }
    return false;
  }

  /**
   * Waits until {@code r} is written, leading the path whenever it is free. Uninterruptible: the
   * request is in the queue and will be written whatever happens to the caller (an interrupt is
   * kept as the thread's flag).
   */
  void await(WriteRequest r) {
    boolean interrupted = false;
    r.waiter = Thread.currentThread();
    try {
      while (true) {
        tryLead(r);
        if (r.done.isDone()) {
          return;
        }
        LockSupport.park(this);
        interrupted |= Thread.interrupted(); // park returns at once while the flag is set
      }
    } finally {
      r.waiter = null;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Runs {@code action} holding the write path, then re-checks the queue (see the notes). */
  private void withLead(IoAction action) throws IOException {
    leader.lock();
    try {
      action.run();
    } finally {
      leader.unlock();
      tryLead(null);
    }
  }

  /** Work done as the write leader. */
  interface IoAction {
    void run() throws IOException;
  }

  /** Writes one group: what is queued now, up to {@value #MAX_GROUP} requests. */
  private void writeGroup() {
    WriteRequest q;
    while (group.size() < MAX_GROUP && (q = queue.poll()) != null) {
      group.add(q);
    }
    if (group.isEmpty()) {
      return;
    }
    int start = 0;
    try {
      if (closed) {
        throw new DbClosedException("the database is closed");
      }
      checkWritable();
      throttle.slowDown(groupBytes(), closing);
      MemTableHandle table = memTables.current().mutable;
      long pending = 0;
      boolean publishing = !subscriptions.isEmpty();
      for (int i = 0; i < group.size(); i++) {
        WriteRequest r = group.get(i);
        if (publishing && r.versions == null) {
          r.userValues = r.values.clone(); // encode replaces separated values by pointers
        }
        long need = r.footprint(table.table());
        if (table.table().sizeBytes() + pending + need
                > Math.min(memTableSize, table.sizeLimit())
            && (table.table().count() > 0 || pending > 0 || source.tooSmall(table, need))) {
          writeSegment(start, i, table);
          start = i;
          rotate(need, false);
          table = memTables.current().mutable;
          pending = 0;
        }
        encode(r);
        pending += need;
      }
      writeSegment(start, group.size(), table);
    } catch (Throwable t) {
      for (int i = start; i < group.size(); i++) {
        group.get(i).complete(t);
      }
    } finally {
      group.clear();
    }
  }

  private long groupBytes() {
    long bytes = 0;
    for (WriteRequest r : group) {
      for (int i = 0; i < r.count; i++) {
        bytes += r.keys[i].length + r.values[i].length;
      }
    }
    return bytes;
  }

  /**
   * Encodes a request into the WAL buffer. A value that goes to the value log is added to the
   * value log's group first and replaced by its pointer, which is what the WAL and the memtable
   * hold ({@link EntryMeta#VALUE_POINTER}); the group reaches the value log file before the WAL
   * (see {@link #writeSegment}).
   */
  private void encode(WriteRequest r) {
    boolean txn = r.count > 0;
    for (int i = 0; i < r.count; i++) {
      if (r.separate[i]) {
        ValuePointer p = valueLog.add(r.keys[i], r.version(i), r.metas[i], r.userMetas[i],
            r.expiresAt[i], r.values[i]);
        valueLogBytes += p.recordLength(); // single writer: the leader
        r.values[i] = p.encode();
        r.metas[i] |= EntryMeta.VALUE_POINTER;
        r.separate[i] = false;
      }
      byte meta = (byte) (r.metas[i] | (txn ? EntryMeta.TXN : 0));
      wal.add(meta, r.userMetas[i], r.expiresAt[i], r.version(i), r.keys[i], r.values[i]);
    }
    wal.addCommitMarker(r.commitTs);
  }

  /** Writes the WAL for group[from, to), inserts it into {@code table} and completes it. */
  private void writeSegment(int from, int to, MemTableHandle handle) {
    if (from == to) {
      return;
    }
    if (valueLog.pendingEntries() > 0) {
      try {
        valueLog.flush(syncWrites); // values before the pointers to them
      } catch (IOException e) {
        throw fail(new StorageException(null, "cannot write the value log", e));
      }
    }
    try {
      long before = wal.writtenBytes();
      wal.flush(syncWrites);
      walBytes += wal.writtenBytes() - before;
    } catch (IOException e) {
      throw fail(new StorageException(wal.name(), "cannot write the WAL", e));
    }
    if (!syncWrites) {
      syncWalBehind();
    }
    MemTable table = handle.table();
    for (int i = from; i < to; i++) {
      WriteRequest r = group.get(i);
      for (int j = 0; j < r.count; j++) {
        if (!table.put(r.keys[j], r.version(j), r.metas[j], r.userMetas[j], r.expiresAt[j],
            r.values[j])) {
          throw fail(new IllegalStateException("memtable refused an entry it had room for ("
              + table.sizeBytes() + " of " + table.capacityBytes() + " bytes used)"));
        }
      }
    }
    long newest = 0; // in managed mode commit timestamps need not rise along the group
    for (int i = from; i < to; i++) {
      newest = Math.max(newest, group.get(i).commitTs);
    }
    handle.noteCommit(newest);
    oracle.applied(newest, group.get(to - 1).seq);
    segmentsWritten++; // single writer: the leader; volatile for readers of the statistics
    requestsWritten += to - from;
    for (int i = from; i < to; i++) {
      group.get(i).complete(null);
    }
    subscriptions.publish(group, from, to); // after the commits return: writers never wait
  }

  /**
   * Lets the WAL be synced in the background up to a point whose values are all durable: a
   * pointer must never become durable before its value (recovery would find it dangling after a
   * power loss). The point is the WAL's end at some flush, taken together with the value log's
   * written bytes then; it is handed on once the value log's own syncs have passed those bytes.
   */
  private void syncWalBehind() {
    if (walSyncCandidate < 0) {
      walSyncCandidate = wal.writtenBytes();
      walSyncCandidateValues = valueLog.writtenBytes();
    }
    if (valueLog.durableBytes() >= walSyncCandidateValues) {
      wal.syncBehind(walSyncCandidate);
      walSyncCandidate = -1;
    }
  }

  private KvException fail(Exception cause) {
    failure.fail(cause, "the write path");
    return new DbFailedException("write failed: " + cause.getMessage(), cause);
  }

  /**
   * Seals the full WAL and memtable and starts fresh ones, waiting for room if need be: a free
   * place among {@code numMemtables} and, on a shared budget, memory from its pool.
   *
   * @param need the footprint of the commit the new memtable is for (it must fit), 0 if none
   * @param small whether a small memtable will do (no commit waits for it)
   */
  private void rotate(long need, boolean small) {
    MemTableSource.Reservation reserved = awaitMemTableRoom(need, small);
    MemTableHandle next = null;
    try {
      WalWriter fresh;
      try {
        valueLog.sync(); // a sealed WAL is durable: so are the values it points to
        wal.seal();
        fresh = WalWriter.create(storage, nextWalId, dbId, walSync);
        walSyncCandidate = -1; // an offset in the sealed WAL
      } catch (IOException e) {
        throw fail(new StorageException(FileNames.wal(nextWalId), "cannot rotate the WAL", e));
      }
      wal = fresh;
      nextWalId++;
      next = source.newHandle(fresh.id(), reserved);
    } finally {
      if (next == null) {
        source.cancel(reserved);
      }
    }
    memTables.rotate(next);
    onRotate.run();
  }

  private MemTableSource.Reservation awaitMemTableRoom(long need, boolean small) {
    MemTableSource.Reservation[] reserved = new MemTableSource.Reservation[1];
    throttle.awaitRoom(() -> memTables.current().all.length < numMemtables
        && (reserved[0] = source.tryReserve(need, small)) != null, () -> {
          if (closing) {
            throw new DbClosedException("the database was closed while writes waited for"
                + " memtable space");
          }
          checkWritable();
        }, numMemtables);
    return reserved[0];
  }

  /** Wakes a leader waiting for memtable room (the shared pool freed memory). */
  void wakeForRoom() {
    throttle.wake();
  }

  /** WAL writes (each with at most one fsync) so far; fewer than commits when groups form. */
  long segmentsWritten() {
    return segmentsWritten;
  }

  /** Commits written so far. */
  long requestsWritten() {
    return requestsWritten;
  }

  /** Total time writes waited for memtable space. */
  long stallNanos() {
    return throttle.stallNanos();
  }

  /** Total time writes were delayed because L0 was filling up. */
  long slowdownNanos() {
    return throttle.slowdownNanos();
  }

  /** Bytes of records appended to the value log. */
  long valueLogBytes() {
    return valueLogBytes;
  }

  /** Bytes written to WAL files. */
  long walBytes() {
    return walBytes;
  }

  /** Whether the database is in the failed state. */
  boolean failed() {
    return failure.failed();
  }

  /**
   * Seals the mutable memtable (if it holds anything) and starts a fresh one, so the flusher
   * takes it: value log garbage collection asks for this when a manual round wants the files it
   * rewrote deleted now, which needs the WAL holding their old pointers flushed.
   */
  void sealMemTable() {
    leadWritable(wal.name(), "cannot seal the memtable", () -> {
      if (memTables.current().mutable.table().count() > 0) {
        rotate(0, true);
      }
    });
  }

  /**
   * Seals the value log file being written (see {@link ValueLog#sealActiveFile}), holding the
   * write path: value log garbage collection asks for this when that file is mostly garbage.
   * Writers wait for its fsync, as at a rotation.
   */
  void sealValueLog() {
    leadWritable(null, "cannot seal the value log file", valueLog::sealActiveFile);
  }

  /** Forces the WAL to stable storage: every commit acknowledged so far survives a power loss. */
  void sync() {
    leadWritable(wal.name(), "cannot sync the WAL", () -> {
      valueLog.sync(); // before the WAL: a durable pointer never names lost bytes
      wal.flush(true);
    });
  }

  /**
   * Runs {@code action} holding the write path, which must be open and writable. An I/O failure
   * in it fails the database: after a failed fsync or file creation nothing tells what reached
   * the disk, so further writes are refused.
   */
  /**
   * Runs {@code action} as the write leader, which alone appends to the WAL and the value log:
   * the stream writer appends its separated values this way. A failure of the action fails the
   * database, as a failed write does.
   *
   * @param file the file named if the action fails, or null
   * @param what what failed, for the message
   */
  void leadWritable(String file, String what, IoAction action) {
    try {
      withLead(() -> {
        if (closed) {
          throw new DbClosedException("the database is closed");
        }
        checkWritable();
        try {
          action.run();
        } catch (IOException e) {
          throw fail(new StorageException(file, what, e));
        }
      });
    } catch (IOException e) {
      throw new StorageException(file, what, e);
    }
  }

  /**
   * Stops the path: wakes a stalled leader, writes what is queued, seals the WAL. Called after the
   * oracle refuses new commits, so nothing is queued after this.
   */
  void close() throws IOException {
    closing = true;
    throttle.wake();
    withLead(() -> {
      while (!queue.isEmpty()) {
        writeGroup();
      }
      if (closed) {
        return;
      }
      closed = true;
      if (wal == null) {
        return; // read-only: nothing was written
      }
      if (!failure.failed()) {
        valueLog.sync();
        wal.seal();
      } else {
        wal.close();
      }
    });
  }
}
