package dev.sett.kv.core;

import dev.sett.kv.ConflictException;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.Entry;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.TxnTooBigException;
import dev.sett.kv.Txn;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.levels.LevelsController;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.EntryMeta;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.StoredValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A transaction: a read timestamp, the writes buffered until commit and, for read-write
 * transactions with conflict detection, the fingerprints of the keys read. Not thread-safe.
 */
final class Transaction implements Txn {
  private static final long[] NO_READS = new long[0];
  /** {@code commitTs} of a managed transaction until {@link #commitAt} gives it one. */
  static final long MANAGED = -1;

  private final SettDb db;
  private final boolean update;
  private final long readTs;
  private final boolean trackReads;
  private final PendingWrites pending = new PendingWrites();
  private List<DbIterator> iterators; // created with the first iterator
  private long[] reads = NO_READS; // grown on the first read of a conflict-detecting update
  /** Ranges its iterators covered (conflict-detecting updates only), created with the first. */
  private List<ReadRange> ranges;
  private int nReads;
  private long size;
  private boolean finished;
  private String finishedHow;
  /** 0: the oracle picks it; {@link #MANAGED}: commitAt picks it; else a write batch's. */
  private long commitTs;
  private final boolean batch;

  /**
   * @param commitTs 0 for a transaction of a database that hands out timestamps, {@link
   *     #MANAGED} for one of managed mode, or the commit timestamp of a managed write batch's
   */
  Transaction(SettDb db, boolean update, long readTs, boolean detectConflicts, long commitTs) {
    this.db = db;
    this.update = update;
    this.readTs = readTs;
    this.trackReads = update && detectConflicts;
    this.commitTs = commitTs;
    this.batch = commitTs > 0;
  }

  /** Checks a commit timestamp given by the application. */
  static void checkCommitTs(long commitTs) {
    if (commitTs < 1) {
      throw new IllegalArgumentException("commitTs must be at least 1, got " + commitTs);
    }
  }

  /** The commit timestamp the application chose, or 0 if the oracle chooses it. */
  long commitTs() {
    return Math.max(0, commitTs);
  }

  /** Whether this is a managed write batch's transaction (it reads nothing). */
  boolean isBatch() {
    return batch;
  }

  void checkOpen() {
    if (finished) {
      throw new DbClosedException("the transaction was already " + finishedHow);
    }
    db.checkOpen();
  }

  @Override
  public Item get(byte[] key) {
    Keys.check(key);
    checkOpen();
    db.banned().check(key);
    if (update) {
      PendingWrites.Write w = pending.get(key);
      if (w != null) {
        if ((w.meta() & EntryMeta.DELETE) != 0 || EntryMeta.isDeletedOrExpired(w.meta(),
            w.expiresAt(), db.nowSeconds())) {
          return null;
        }
        return new ItemImpl(key.clone(), new StoredValue(readTs, w.meta(), w.userMeta(),
            w.expiresAt(), w.value()), db.nowSeconds(), db.values());
      }
      recordRead(key);
    }
    StoredValue sv = db.find(key, readTs);
    if (sv == null) {
      return null;
    }
    long now = db.nowSeconds();
    if (EntryMeta.isDeletedOrExpired(sv.meta(), sv.expiresAt(), now)) {
      return null;
    }
    return new ItemImpl(key.clone(), sv, now, db.values());
  }

  /** Ranges kept apart at most; beyond, the commit checks their union (conservative, bounded). */
  static final int MAX_RANGES = 64;

  /**
   * Registers the range an iterator starts to cover, or returns {@code null} if this transaction
   * does not detect conflicts; the iterator widens it as it moves.
   */
  ReadRange newRange(byte[] lo, byte[] hi, boolean hiInclusive) {
    if (!trackReads) {
      return null;
    }
    if (ranges == null) {
      ranges = new ArrayList<>();
    }
    ReadRange r = new ReadRange(lo, hi, hiInclusive);
    ranges.add(r);
    return r;
  }

  /** The ranges to check at commit, or {@code null}: at most {@value #MAX_RANGES}. */
  ReadRange[] readRanges() {
    if (ranges == null || ranges.isEmpty()) {
      return null;
    }
    if (ranges.size() <= MAX_RANGES) {
      return ranges.toArray(new ReadRange[0]);
    }
    ReadRange all = ranges.get(0);
    for (int i = 1; i < ranges.size(); i++) {
      all = ReadRange.union(all, ranges.get(i));
    }
    return new ReadRange[] {all};
  }

  void recordRead(byte[] key) {
    if (!trackReads) {
      return;
    }
    if (nReads == reads.length) {
      reads = Arrays.copyOf(reads, Math.max(8, nReads * 2));
    }
    reads[nReads++] = Oracle.fingerprint(key);
  }

  @Override
  public void set(byte[] key, byte[] value) {
    Objects.requireNonNull(value, "value");
    modify(key, value, (byte) 0, (byte) 0, 0, true);
  }

  @Override
  public void setEntry(Entry entry) {
    Objects.requireNonNull(entry, "entry");
    long expiresAt = entry.expiresAt();
    Duration ttl = entry.ttl();
    if (ttl != null) {
      long secs = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
      expiresAt = db.nowSeconds() + secs;
    }
    modify(entry.key(), entry.value(), (byte) 0, entry.userMeta(), expiresAt, false);
  }

  @Override
  public void delete(byte[] key) {
    modify(key, new byte[0], EntryMeta.DELETE, (byte) 0, 0, true);
  }

  /** Writes {@code value} as a merge operand of {@code key} (see {@link KeyMergeOperator}). */
  void setMergeOperand(byte[] key, byte[] value) {
    Objects.requireNonNull(value, "value");
    modify(key, value, EntryMeta.MERGE, (byte) 0, 0, true);
  }

  private void modify(byte[] key, byte[] value, byte meta, byte userMeta, long expiresAt,
      boolean copy) {
    Keys.check(key);
    checkOpen();
    db.banned().check(key);
    if (!update) {
      throw new IllegalStateException("cannot write in a read-only transaction; use"
          + " db.newTransaction(true) or db.update");
    }
    Options o = db.options();
    SeparatedValues values = db.values();
    boolean separate = values.separate(key.length, value.length, meta);
    if (separate && value.length > values.maxSeparatedValue()) {
      throw new IllegalArgumentException("value of " + value.length + " bytes exceeds the"
          + " maximum of " + values.maxSeparatedValue() + " bytes (a value log file of"
          + " valueLogFileSize=" + o.valueLogFileSize() + " bytes must hold it)");
    }
    if (!separate && value.length > o.maxValueSize()) {
      throw new IllegalArgumentException("value of " + value.length + " bytes exceeds the"
          + " maximum of " + o.maxValueSize() + " bytes for a value kept in the LSM tree (15% of"
          + " memTableSize); values of at least valueThreshold=" + o.valueThreshold()
          + " bytes go to the value log");
    }
    PendingWrites.Write w = new PendingWrites.Write(copy ? key.clone() : key,
        copy ? value.clone() : value, meta, userMeta, expiresAt, separate);
    // The limits count what enters the memtable: a pointer for a separated value (as Badger).
    long entrySize = w.footprint();
    PendingWrites.Write old = pending.get(key);
    long oldSize = old == null ? 0 : old.footprint();
    int count = pending.size() + (old == null ? 1 : 0);
    if (count > o.maxBatchCount() || size - oldSize + entrySize > o.maxBatchSize()) {
      throw new TxnTooBigException("transaction would hold " + count + " entries and "
          + (size - oldSize + entrySize) + " bytes; one commit holds at most "
          + o.maxBatchCount() + " entries and " + o.maxBatchSize() + " bytes");
    }
    pending.put(w);
    size += entrySize - oldSize;
  }

  @Override
  public KvIterator newIterator(IteratorOptions options) {
    Objects.requireNonNull(options, "options");
    return newIterator(options, null);
  }

  @Override
  public KvIterator newKeyIterator(byte[] key, IteratorOptions options) {
    Keys.check(key);
    Objects.requireNonNull(options, "options");
    return newIterator(options, key.clone());
  }

  private KvIterator newIterator(IteratorOptions options, byte[] onlyKey) {
    checkOpen();
    // Memtables before tables: a flush publishes its table before dropping the memtable.
    MemTables mts = db.acquireMemTables();
    LevelsController.Snapshot tables;
    try {
      tables = db.tables();
    } catch (RuntimeException | Error e) {
      MemTableList.release(mts);
      throw e;
    }
    List<EntryIterator> sources = new ArrayList<>();
    DbIterator it;
    try {
      if (update && !pending.isEmpty()) {
        sources.add(pending.iterator(readTs));
      }
      for (MemTableHandle h : mts.all) {
        sources.add(h.table().iterator());
      }
      sources.addAll(tables.iterators());
      it = new DbIterator(db, this, sources.toArray(new EntryIterator[0]), readTs, options,
          onlyKey, mts, tables);
    } catch (RuntimeException | Error e) {
      sources.forEach(EntryIterator::close);
      tables.close();
      MemTableList.release(mts);
      throw e;
    }
    if (iterators == null) {
      iterators = new ArrayList<>(1);
    }
    iterators.add(it);
    return it;
  }

  void iteratorClosed(DbIterator it) {
    if (iterators != null) {
      iterators.remove(it);
    }
  }

  @Override
  public void commit() {
    checkOpen();
    if (commitTs == MANAGED) {
      throw new IllegalStateException("a transaction of a managed database commits with"
          + " commitAt(commitTs)");
    }
    commitNow();
  }

  @Override
  public void commitAt(long ts) {
    checkOpen();
    if (commitTs != MANAGED) {
      throw new IllegalStateException("commitAt needs managed mode (Options.managedTxns(true));"
          + " this transaction's database hands out timestamps: use commit()");
    }
    checkCommitTs(ts);
    commitTs = ts;
    commitNow();
  }

  private void commitNow() {
    if (!update || pending.isEmpty()) {
      finish("committed");
      return;
    }
    String how = "committed";
    try {
      db.commit(this, prepareCommit());
    } catch (ConflictException e) {
      how = "discarded: its commit failed with a conflict";
      throw e;
    } catch (RuntimeException | Error e) {
      how = "discarded: its commit failed (" + e + ")";
      throw e;
    } finally {
      finish(how);
    }
  }

  /**
   * Starts the commit without waiting for it (used by write batches).
   *
   * @return the request to wait for with {@link SettDb#awaitCommit}, or null if nothing to write
   */
  WriteRequest commitAsync() {
    checkOpen();
    String how = "committed";
    try {
      if (!update || pending.isEmpty()) {
        return null;
      }
      return db.commitAsync(this, prepareCommit());
    } catch (RuntimeException | Error e) {
      how = "discarded: its commit failed (" + e + ")";
      throw e;
    } finally {
      finish(how);
    }
  }

  private WriteRequest prepareCommit() {
    WriteRequest r = new WriteRequest(pending.size());
    int i = 0;
    for (PendingWrites.Write w : pending.inOrder()) {
      r.keys[i] = w.key();
      r.values[i] = w.value();
      r.metas[i] = w.meta();
      r.userMetas[i] = w.userMeta();
      r.expiresAt[i] = w.expiresAt();
      r.separate[i] = w.separate();
      i++;
    }
    return r;
  }

  long[] sortedReads() {
    Arrays.sort(reads, 0, nReads);
    return reads;
  }

  int readCount() {
    return nReads;
  }

  long[] writeFingerprints(WriteRequest r) {
    long[] w = new long[r.count];
    for (int i = 0; i < r.count; i++) {
      w[i] = Oracle.fingerprint(r.keys[i]);
    }
    return w;
  }

  private void finish(String how) {
    if (!finished) {
      finished = true;
      finishedHow = how;
      if (iterators != null && !iterators.isEmpty()) {
        for (DbIterator it : iterators.toArray(new DbIterator[0])) { // close() removes it
          it.close();
        }
      }
      db.transactionDone(readTs);
    }
  }

  @Override
  public long readTs() {
    return readTs;
  }

  @Override
  public boolean isUpdate() {
    return update;
  }

  @Override
  public void close() {
    finish("discarded");
  }

  @Override
  public String toString() {
    return "Txn[readTs=" + readTs + ", update=" + update + ", writes=" + pending.size()
        + (finished ? ", " + finishedHow : "") + "]";
  }
}
