package dev.sett.kv.core;

import dev.sett.kv.KeyValue;
import dev.sett.kv.CorruptionException;
import dev.sett.kv.Db;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.DbStats;
import dev.sett.kv.MemoryBudget;
import dev.sett.kv.internal.BudgetAccess;
import dev.sett.kv.internal.MemTablePool;
import dev.sett.kv.internal.SharedCaches;
import dev.sett.kv.KvException;
import dev.sett.kv.LoadResult;
import dev.sett.kv.Match;
import dev.sett.kv.MergeOperator;
import dev.sett.kv.Options;
import dev.sett.kv.Sequence;
import dev.sett.kv.StreamWriter;
import dev.sett.kv.StorageException;
import dev.sett.kv.Stream;
import dev.sett.kv.Subscription;
import dev.sett.kv.Txn;
import dev.sett.kv.ValueLogFileStats;
import dev.sett.kv.VerifyReport;
import dev.sett.kv.WriteBatch;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.internal.Registries;
import dev.sett.kv.internal.SyncBehind;
import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.io.NioStorage;
import dev.sett.kv.io.ReadOnlyStorage;
import dev.sett.kv.io.Storage;
import dev.sett.kv.io.StorageLock;
import dev.sett.kv.levels.LevelsConfig;
import dev.sett.kv.levels.LevelsController;
import dev.sett.kv.levels.Manifest;
import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.BlockCacheFactory;
import dev.sett.kv.spi.CompactionStrategy;
import dev.sett.kv.spi.CompactionStrategyProvider;
import dev.sett.kv.spi.MemTableFactory;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.spi.TableFormat;
import dev.sett.kv.spi.ValueLog;
import dev.sett.kv.spi.ValueLogFormat;
import dev.sett.kv.spi.ValueSeparationPolicy;
import java.io.IOException;
import java.time.Duration;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@code core} engine's {@link Db}. {@link #open} follows Badger's open sequence, one named
 * step per method; steps that later issues fill (key registry, value log) are marked where they
 * go. A failure at any step undoes the earlier ones and releases the lock.
 *
 * <p>Concurrency: reads go to {@link WritePipeline#memTables()} (a volatile snapshot) and then to
 * the {@link LevelsController} (a reference-counted table set), without locks. The memtables are
 * read before the tables: a flush publishes its table before it drops the memtable, so a reader
 * sees the data in one or the other. Writes go through the oracle and the write pipeline;
 * {@code closed} is a CAS flag so close runs once.
 */
final class SettDb implements Db {
  private static final System.Logger LOG = System.getLogger(SettDb.class.getName());

  private final Options options;
  private final AtomicBoolean closed = new AtomicBoolean();
  private Storage storage;
  private StorageLock lock;
  private MemTableSource memTableSource;
  /** On a shared memory budget: this database's side of its pool; null on a budget of its own. */
  private BudgetMember budgetMember;
  private MemTablePool.Account budgetAccount;
  private SharedCaches sharedCaches;
  /** Set once the shared budget's account and caches were given back (at close or failed open). */
  private final AtomicBoolean budgetDetached = new AtomicBoolean();
  /** Syncs the WAL being written in the background, so its fsync at rotation is short. */
  private SyncBehind walSync;
  private TableFormat tableFormat;
  private BlockCache blockCache;
  private BlockCache indexCache;
  private CompactionStrategy strategy;
  private String strategyName;
  private Manifest manifest;
  private LevelsController levels;
  private Oracle oracle;
  private WritePipeline pipeline;
  private Flusher flusher;
  private ValueLogFormat valueLogFormat;
  private ValueSeparationPolicy separationPolicy;
  private SeparatedValues values;
  private ValueLogGc gc;
  private BannedNamespaces banned;
  /** Notified after each flush drops a memtable (see {@link #awaitFlushed}). */
  private final Object flushMonitor = new Object();
  private final FailureState failureState = new FailureState();
  private long memTableCapacity;
  private final Subscriptions subscriptions = new Subscriptions();
  /** The open stream writer, if any: commits are refused while it is (see checkNoBulkLoad). */
  private final java.util.concurrent.atomic.AtomicReference<TableStreamWriter> streamWriter =
      new java.util.concurrent.atomic.AtomicReference<>();
  /** Running merge operators, stopped at close. */
  private final java.util.Set<KeyMergeOperator> mergeOperators =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Sequences take turns at leasing (see {@link LeasedSequence}). */
  private final java.util.concurrent.locks.ReentrantLock sequenceLock =
      new java.util.concurrent.locks.ReentrantLock();
  private boolean flushInBackground = true;

  private SettDb(Options options) {
    this.options = options;
  }

  static SettDb open(Options options) {
    return open(options, true);
  }

  /**
   * Opens, optionally without starting the flusher (a seam for the WAL tests, which damage sealed
   * WALs: full memtables and their WALs then stay until close, where a flusher would race them).
   *
   * @param flushInBackground whether full memtables are flushed while the database is open
   */
  static SettDb open(Options options, boolean flushInBackground) {
    long t0 = System.nanoTime();
    SettDb db = new SettDb(options);
    db.flushInBackground = flushInBackground;
    try {
      db.resolveProviders();
      db.createDirectoryAndLock();
      db.openManifest();
      // (4) key registry: with encryption, later.
      db.openLevels();
      // (7) value log discard stats: opened with the levels; entries of vanished files dropped here.
      db.openValueLog();
      db.replayWals();
      db.startBackgroundWork();
      LOG.log(System.Logger.Level.INFO, "opened {0} in {1} ms: {2} memtable(s), {3} table(s),"
          + " last version {4}", db.storage.describe(), (System.nanoTime() - t0) / 1_000_000,
          db.pipeline.memTables().all.length, db.levels.levelStats().stream()
              .mapToInt(l -> l.tables()).sum(), db.oracle.appliedTs());
      return db;
    } catch (IOException e) {
      db.abortOpen(e);
      throw new StorageException(null, "cannot open " + describe(options) + ": " + e, e);
    } catch (RuntimeException | Error e) {
      db.abortOpen(e);
      throw e;
    }
  }

  private static String describe(Options o) {
    return o.isInMemory() ? "in-memory database" : String.valueOf(o.dir());
  }

  /** Step 1: every provider through its registry (or the instance given in the options). */
  private void resolveProviders() {
    MemTableFactory memTableFactory = options.memTableFactory() != null
        ? options.memTableFactory()
        : Registries.memTables().select(options.memTable());
    BlockCacheFactory caches = options.blockCacheFactory() != null
        ? options.blockCacheFactory()
        : Registries.blockCaches().select(options.blockCache());
    MemoryBudget shared = options.sharedMemoryBudget();
    if (shared == null) {
      // Room for one more commit past the soft limit: a full commit always fits after the check.
      memTableCapacity = options.memTableArenaBytes();
      memTableSource = new MemTableSource(memTableFactory, memTableCapacity,
          options.numMemtables());
      blockCache = caches.create(options.blockCacheSize());
      indexCache = caches.create(options.indexCacheSize());
    } else {
      memTableCapacity = MemTableSource.fullArena(options.memTableSize());
      budgetMember = new BudgetMember(options.readOnly());
      budgetAccount = BudgetAccess.pool(shared).attach(budgetMember,
          Math.min(MemoryBudget.ALLOWANCE_BYTES, memTableCapacity));
      memTableSource = new MemTableSource(memTableFactory, options.memTableSize(),
          options.numMemtables(), budgetAccount);
      budgetMember.attached(budgetAccount, memTableSource);
      sharedCaches = BudgetAccess.caches(shared);
      SharedCaches.View view = sharedCaches.attach(caches);
      blockCache = view.block();
      indexCache = view.index();
    }
    walSync = new SyncBehind("sett-wal-sync", options.bytesPerSync());
    tableFormat = options.tableFormatProvider() != null
        ? options.tableFormatProvider()
        : Registries.tableFormats().select(options.tableFormat());
    CompactionStrategyProvider strategies = options.compactionStrategyProvider() != null
        ? options.compactionStrategyProvider()
        : Registries.compactionStrategies().select(options.compactionStrategy());
    strategyName = strategies.name();
    valueLogFormat = options.valueLogFormatProvider() != null
        ? options.valueLogFormatProvider()
        : Registries.valueLogFormats().select(options.valueLogFormat());
    ValueSeparationPolicy policies = options.valueSeparationPolicyProvider() != null
        ? options.valueSeparationPolicyProvider()
        : Registries.valueSeparationPolicies().select(options.valueSeparationPolicy());
    separationPolicy = policies.newInstance(options.valueThreshold(),
        options.maxValueThreshold(), options.vlogPercentile());
    strategy = strategies.create(new CompactionStrategy.Settings(options.maxLevels(),
        options.memTableSize(), options.baseTableSize(), options.baseLevelSize(),
        options.levelSizeMultiplier(), options.tableSizeMultiplier(),
        options.numLevelZeroTables()));
  }

  /** Step 2: the directory and its lock (shared when read-only). */
  private void createDirectoryAndLock() throws IOException {
    if (options.storage() != null) {
      storage = options.storage();
    } else if (options.isInMemory()) {
      storage = new MemoryStorage();
    } else {
      if (options.readOnly() && !java.nio.file.Files.isDirectory(options.dir())) {
        throw new StorageException(null, "no database at " + options.dir() + " to open"
            + " read-only: the directory does not exist", null);
      }
      storage = new NioStorage(options.dir());
    }
    if (options.readOnly()) {
      storage = new ReadOnlyStorage(storage);
      if (!storage.exists(FileNames.LOCK)) {
        throw new StorageException(FileNames.LOCK, "cannot open " + storage.describe()
            + ": it has no " + FileNames.LOCK + " file to lock shared (every database gets one"
            + " at its first read-write open)", null);
      }
    }
    lock = storage.lock(FileNames.LOCK);
  }

  /** Step 3: the MANIFEST, which gives the database its id. */
  private void openManifest() throws IOException {
    if (Manifest.exists(storage)) {
      manifest = Manifest.open(storage);
      return;
    }
    if (options.readOnly()) {
      throw new StorageException(Manifest.FILE_NAME, "cannot open " + storage.describe()
          + ": it has no MANIFEST, so it holds no database", null);
    }
    for (String name : storage.list()) {
      if (FileNames.walId(name) >= 0 || name.endsWith(".sst") || name.endsWith(".vlog")) {
        throw new CorruptionException(Manifest.FILE_NAME, 0, "the MANIFEST is missing but "
            + name + " exists; refusing to start a new database over old data");
      }
    }
    manifest = Manifest.create(storage);
    LOG.log(System.Logger.Level.INFO, "created a new database in {0}", storage.describe());
  }

  /**
   * Step 9: the value log files (before the WAL replay, which checks that the pointers it replays
   * name value log bytes that survived).
   */
  private void openValueLog() throws IOException {
    ValueLog log = valueLogFormat.open(storage, manifest.dbId(), options.valueLogFileSize(),
        options.valueLogMaxEntries(), options.bytesPerSync());
    levels.discardStats().retainFiles(log.fileIds()); // (7) forget files that are gone
    banned = BannedNamespaces.open(storage, manifest.dbId(), options.namespaceOffset());
    // A file holds its header and at least one record: the value, the key and a record header.
    long maxValue = options.valueLogFileSize() - Options.MAX_KEY_SIZE - 1024;
    values = new SeparatedValues(log, separationPolicy, maxValue);
  }

  /** Step 6: the levels controller over the tables the MANIFEST lists. */
  private void openLevels() throws IOException {
    LevelsConfig c = new LevelsConfig(storage, manifest.dbId(), tableFormat,
        tableFormats(tableFormat),
        blockCache, indexCache, options.blockSize(), options.compression(),
        options.bloomFalsePositive(), strategy, strategyName, options.maxLevels(),
        options.memTableSize(), options.numCompactors(), options.numVersionsToKeep(),
        options.numLevelZeroTablesStall(), options.maxOpenFiles(), options.clock());
    levels = LevelsController.open(c, manifest);
  }

  /**
   * Finds the format of an existing table by the name the MANIFEST records: the configured one
   * (which may be an instance given in the options) or the registry's.
   */
  static Function<String, TableFormat> tableFormats(TableFormat configured) {
    return name -> name.equals(configured.name()) ? configured
        : Registries.tableFormats().select(name);
  }

  /** Steps 8 and 11: the compactors and the flusher (none when read-only). */
  private void startBackgroundWork() {
    gc = new ValueLogGc(this, values.log(), levels.discardStats(), options.numVersionsToKeep(),
        options.valueLogFileSize());
    if (options.readOnly()) {
      return; // nothing may change the files: no compaction, flush or collection
    }
    levels.startCompactors(oracle::discardAtOrBelow,
        cause -> failureState.fail(cause, "compaction"));
    if (options.numCompactors() == 0) {
      LOG.log(System.Logger.Level.WARNING, "numCompactors=0: nothing compacts L0, so it grows"
          + " with every flush and reads slow down as it does; writes are neither slowed nor"
          + " stalled for it. Call flatten() or reopen with compactors to bring the levels into"
          + " shape");
    }
    if (flushInBackground) {
      flusher.start();
    }
    if (!options.valueLogGcInterval().isZero()) {
      gc.startBackground(options.valueLogGcInterval(), options.valueLogGcDiscardRatio());
    }
  }

  private void flushProgressed() {
    synchronized (flushMonitor) {
      flushMonitor.notifyAll();
    }
    ValueLogGc g = gc;
    if (g != null) {
      g.flushed();
    }
  }

  /**
   * Waits until every memtable whose WAL id is at most {@code walId} has been flushed.
   *
   * @throws DbFailedException if the database failed meanwhile (the flush may never come)
   * @throws DbClosedException if it was closed meanwhile
   */
  void awaitFlushed(long walId) {
    if (!flushInBackground) {
      return; // the test seam without a flusher: memtables stay until close
    }
    boolean interrupted = false;
    synchronized (flushMonitor) {
      while (oldestMemTableWal() <= walId) {
        pipeline.checkWritable();
        checkOpen();
        try {
          flushMonitor.wait();
        } catch (InterruptedException e) {
          interrupted = true; // a manual garbage collection round is short; finish it
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The lowest WAL id among memtables that hold entries (an empty mutable memtable holds no
   * pointer a replay could check), {@code Long.MAX_VALUE} if none does.
   */
  long oldestMemTableWal() {
    long oldest = Long.MAX_VALUE;
    for (MemTableHandle h : pipeline.memTables().all) {
      if (h.table().count() > 0) {
        oldest = Math.min(oldest, h.walId());
      }
    }
    return oldest;
  }

  /**
   * Steps 5, 10 and 11: replay the WALs into memtables, set the oracle from the highest version
   * found, and build the write path and the flusher over the recovered memtables.
   */
  private void replayWals() throws IOException {
    byte[] dbId = manifest.dbId();
    WalRecovery.Recovered r = new WalRecovery(storage, dbId, memTableSource, walSync,
        options.memTableSize(), values).recover(manifest.state().walFlushedThrough());
    oracle = new Oracle(Math.max(r.maxVersion(), levels.maxVersion()), options.detectConflicts(),
        options.managedTxns());
    // Without compactors nothing will ever empty L0: slowing writes down would only delay them.
    int slowdownL0 = options.numCompactors() == 0 ? Integer.MAX_VALUE
        : options.numLevelZeroTables()
            + (options.numLevelZeroTablesStall() - options.numLevelZeroTables() + 1) / 2;
    MemTableList memTables = new MemTableList(r.memTables());
    WriteThrottle throttle = new WriteThrottle(levels, slowdownL0);
    failureState.onFailure(throttle::wake);
    failureState.onFailure(this::flushProgressed);
    flusher = new Flusher(memTables, levels, storage, failureState, () -> {
      throttle.wake();
      flushProgressed();
    });
    pipeline = new WritePipeline(storage, dbId, memTableSource, walSync,
        options.memTableSize(),
        options.numMemtables(), options.syncWrites() && !options.isInMemory(),
        oracle, memTables, throttle, failureState, r.wal(), r.nextWalId(), flusher::wake,
        values.log(), subscriptions);
    if (budgetMember != null) {
      budgetMember.start(pipeline);
    }
  }

  /**
   * Gives the shared budget back what this database attached to (once): it is no longer asked for
   * memory, and the last database on the budget drops the shared caches. Memtables still held by
   * readers keep their charges until released.
   */
  private void detachBudget() {
    if (budgetMember == null || !budgetDetached.compareAndSet(false, true)) {
      return;
    }
    budgetMember.close();
    budgetAccount.close();
    if (blockCache != null) {
      sharedCaches.detach();
    }
  }

  private void abortOpen(Throwable cause) {
    if (memTableSource != null) {
      memTableSource.close(); // memtables of a failed replay are released as they are dropped
    }
    try {
      detachBudget();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
    if (walSync != null) {
      walSync.close();
    }
    try {
      if (flusher != null) {
        flusher.stop();
      }
      if (pipeline != null) {
        oracle.close();
        pipeline.close();
        pipeline.releaseMemTables(); // their memory (and shared-budget charges) go back
      }
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cause.addSuppressed(e);
    }
    if (levels != null) {
      levels.close();
    }
    try {
      if (values != null) {
        values.close();
      }
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
    try {
      if (manifest != null) {
        manifest.close();
      }
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
    try {
      if (lock != null) {
        lock.close();
      }
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }

  // ---------------------------------------------------------------- used by transactions

  void checkOpen() {
    if (closed.get()) {
      throw new DbClosedException("the database is closed");
    }
  }

  /** The value log and the separation policy. */
  SeparatedValues values() {
    return values;
  }

  long nowSeconds() {
    return options.clock().instant().getEpochSecond();
  }

  MemTables memTables() {
    return pipeline.memTables();
  }

  /** The memtables, each referenced; give them back with {@link MemTableList#release}. */
  MemTables acquireMemTables() {
    return pipeline.acquireMemTables();
  }

  /** The levels (a seam for tests that drive compactions by hand). */
  LevelsController levels() {
    return levels;
  }

  /** The write path (a seam for tests that check its statistics). */
  WritePipeline pipeline() {
    return pipeline;
  }

  /** The newest version of {@code key} at or below {@code readTs}, tombstones included. */
  StoredValue find(byte[] key, long readTs) {
    StoredValue best = null;
    MemTables mts = pipeline.acquireMemTables();
    try {
      for (MemTableHandle h : mts.all) {
        StoredValue v = h.table().get(key, readTs);
        if (v != null && (best == null || v.version() > best.version())) {
          best = v;
          if (v.version() == readTs) {
            break;
          }
        }
      }
    } finally {
      MemTableList.release(mts);
    }
    // Memtables normally hold newer versions than every table, so the tables are skipped. Value
    // log garbage collection rewrites values at their original versions into the memtable: a
    // version not above every table's may be shadowed by a newer one in a table, so compare.
    if (best != null && best.version() > levels.maxVersion()) {
      return best;
    }
    StoredValue inTables = options.managedTxns() ? levels.getNewestInAnyLevel(key, readTs)
        : levels.get(key, readTs);
    if (best == null) {
      return inTables;
    }
    // Equal versions: the memtable's copy is the newer write (a rewrite's new pointer).
    return inTables != null && inTables.version() > best.version() ? inTables : best;
  }

  /** Pins the tables for an iterator. */
  LevelsController.Snapshot tables() {
    return levels.snapshot();
  }

  void transactionDone(long readTs) {
    oracle.endRead(readTs);
  }

  /** Starts a commit: conflict check, timestamp, queued, and written now if the path is free. */
  WriteRequest commitAsync(Transaction txn, WriteRequest r) {
    checkOpen();
    pipeline.checkWritable();
    checkNoBulkLoad();
    // Recorded even without conflict detection: value log rewrites are checked against them.
    long[] writes = txn.writeFingerprints(r);
    Oracle.Enqueuer enqueue = (ts, seq) -> {
      r.commitTs = ts;
      r.seq = seq;
      pipeline.enqueue(r);
    };
    ReadRange[] ranges = txn.readRanges();
    if (txn.commitTs() > 0) {
      oracle.commitAt(txn.readTs(), txn.sortedReads(), txn.readCount(), writes, ranges, r.keys,
          txn.commitTs(), !txn.isBatch(), enqueue);
    } else {
      oracle.commit(txn.readTs(), txn.sortedReads(), txn.readCount(), writes, ranges, r.keys,
          enqueue);
    }
    pipeline.tryLead(r);
    return r;
  }

  /**
   * Waits for a commit started by {@link #commitAsync}, helping to write it.
   *
   * @throws RuntimeException the commit's failure, as the caller should see it
   */
  void awaitCommit(WriteRequest r) {
    pipeline.await(r);
    try {
      r.done.join();
    } catch (CompletionException e) {
      throw unwrap(e);
    }
  }

  void commit(Transaction txn, WriteRequest r) {
    awaitCommit(commitAsync(txn, r));
  }

  /**
   * Commits a value log rewrite (see {@link ValueLogGc}) and waits for it, unless commits after
   * {@code readTs} wrote some of its keys.
   *
   * @return the fingerprints of those keys (nothing was written), or an empty array
   */
  long[] commitRewrite(WriteRequest r, Oracle.RewriteRead read, long[] sortedKeyFingerprints) {
    long[] conflicts = startRewrite(r, read, sortedKeyFingerprints, null);
    if (conflicts.length == 0) {
      awaitCommit(r);
    }
    return conflicts;
  }

  /**
   * Starts a rewrite's commit as {@link #commitRewrite} does, without waiting for it (wait with
   * {@link #awaitCommit} when it returns no conflicts).
   *
   * @param recordKeys see {@link Oracle#commitRewrite}
   */
  long[] startRewrite(WriteRequest r, Oracle.RewriteRead read, long[] sortedKeyFingerprints,
      byte[][] recordKeys) {
    checkOpen();
    pipeline.checkWritable();
    checkNoBulkLoad();
    long[] conflicts = oracle.commitRewrite(read, sortedKeyFingerprints, recordKeys,
        (ts, seq) -> {
          r.commitTs = ts;
          r.seq = seq;
          pipeline.enqueue(r);
        });
    if (conflicts.length == 0) {
      pipeline.tryLead(r);
    }
    return conflicts;
  }

  Oracle oracle() {
    return oracle;
  }

  /** Value log garbage collection (a seam for tests). */
  ValueLogGc valueLogGc() {
    return gc;
  }

  @Override
  public boolean runValueLogGc(double discardRatio) {
    if (!(discardRatio > 0 && discardRatio < 1)) {
      throw new IllegalArgumentException("discardRatio must be in (0, 1), got " + discardRatio);
    }
    checkOpen();
    checkWritable("runValueLogGc");
    try {
      return gc.runRound(discardRatio, true);
    } catch (IOException e) {
      throw new StorageException(null, "value log garbage collection failed: " + e, e);
    }
  }

  /** The failure behind a failed commit future, as the caller should see it. */
  static RuntimeException unwrap(CompletionException e) {
    Throwable c = e.getCause();
    if (c instanceof RuntimeException r) {
      return r;
    }
    if (c instanceof Error err) {
      throw err;
    }
    return new KvException("commit failed: " + c, c);
  }

  // ---------------------------------------------------------------- Db

  @Override
  public Transaction newTransaction(boolean update) {
    checkOpen();
    if (options.managedTxns()) {
      throw new IllegalStateException("newTransaction and update are not available in managed"
          + " mode (managedTxns): use newTransactionAt(readTs, update) and commitAt(commitTs)");
    }
    if (update) {
      checkWritable("newTransaction(true)");
    }
    return new Transaction(this, update, oracle.beginRead(), options.detectConflicts(), 0);
  }

  @Override
  public Transaction newTransactionAt(long readTs, boolean update) {
    checkOpen();
    checkManaged("newTransactionAt");
    if (readTs < 0) {
      throw new IllegalArgumentException("readTs must be at least 0, got " + readTs);
    }
    if (update) {
      checkWritable("newTransactionAt(readTs, true)");
    }
    return new Transaction(this, update, oracle.beginReadAt(readTs), options.detectConflicts(),
        Transaction.MANAGED);
  }

  @Override
  public Stream newStream() {
    checkOpen();
    if (options.managedTxns()) {
      throw new IllegalStateException("newStream is not available in managed mode"
          + " (managedTxns): use newStreamAt(readTs)");
    }
    return new SnapshotStream(this, SnapshotStream.NEWEST);
  }

  @Override
  public Stream newStreamAt(long readTs) {
    checkOpen();
    checkManaged("newStreamAt");
    if (readTs < 0) {
      throw new IllegalArgumentException("readTs must be at least 0, got " + readTs);
    }
    return new SnapshotStream(this, readTs);
  }

  /**
   * A read-only transaction for a stream worker at {@code readTs}, in either mode: the run's
   * snapshot transaction already holds that read timestamp, and each worker needs a transaction of
   * its own because a transaction serves one thread at a time.
   */
  Transaction newStreamReader(long readTs) {
    checkOpen();
    return new Transaction(this, false, oracle.beginReadAt(readTs), false,
        options.managedTxns() ? Transaction.MANAGED : 0);
  }

  /** A write batch's transaction; in managed mode it commits at {@code commitTs}. */
  Transaction newBatchTransaction(long commitTs) {
    if (commitTs == 0) {
      return newTransaction(true);
    }
    checkOpen();
    // It reads nothing: registered at the top so that it holds back no reader-bound cleanup.
    return new Transaction(this, true, oracle.beginReadAt(Long.MAX_VALUE), false, commitTs);
  }

  /** Refuses a call that writes when the database is open read-only. */
  private void checkWritable(String call) {
    if (options.readOnly()) {
      throw new IllegalStateException(call + " writes, and the database is open read-only"
          + " (Options.readOnly); open it without readOnly to write");
    }
  }

  private void checkManaged(String call) {
    if (!options.managedTxns()) {
      throw new IllegalStateException(call + " needs managed mode (Options.managedTxns(true));"
          + " this database hands out timestamps itself: use newTransaction, update or"
          + " newWriteBatch");
    }
  }

  @Override
  public <T> T view(Function<? super Txn, ? extends T> fn) {
    try (Transaction txn = options.managedTxns() ? newTransactionAt(Long.MAX_VALUE, false)
        : newTransaction(false)) {
      return fn.apply(txn);
    }
  }

  @Override
  public void update(Consumer<? super Txn> fn) {
    try (Transaction txn = newTransaction(true)) {
      fn.accept(txn);
      txn.commit();
    }
  }

  @Override
  public WriteBatch newWriteBatch() {
    checkOpen();
    if (options.managedTxns()) {
      throw new IllegalStateException("newWriteBatch is not available in managed mode"
          + " (managedTxns): use newWriteBatchAt(commitTs)");
    }
    checkWritable("newWriteBatch");
    return new BatchWriter(this, 0);
  }

  @Override
  public WriteBatch newWriteBatchAt(long commitTs) {
    checkOpen();
    checkManaged("newWriteBatchAt");
    Transaction.checkCommitTs(commitTs);
    checkWritable("newWriteBatchAt");
    return new BatchWriter(this, commitTs);
  }

  @Override
  public void setDiscardTs(long ts) {
    checkOpen();
    checkManaged("setDiscardTs");
    if (ts < 0) {
      throw new IllegalArgumentException("discard timestamp must be at least 0, got " + ts);
    }
    oracle.setDiscardTs(ts);
  }

  /** The timestamp at or below which shadowed versions may be dropped (see {@link Oracle}). */
  long discardTs() {
    return oracle.discardAtOrBelow();
  }

  @Override
  public Subscription subscribe(List<Match> matches, Consumer<List<KeyValue>> callback,
      int maxPendingChanges) {
    Objects.requireNonNull(matches, "matches");
    Objects.requireNonNull(callback, "callback");
    if (matches.isEmpty()) {
      throw new IllegalArgumentException("subscribe needs at least one Match (Match.prefix(new"
          + " byte[0]) matches every key)");
    }
    if (maxPendingChanges < 1) {
      throw new IllegalArgumentException("maxPendingChanges must be at least 1, got "
          + maxPendingChanges);
    }
    for (Match m : matches) {
      Objects.requireNonNull(m, "a Match in matches");
    }
    checkOpen();
    return subscriptions.add(matches, callback, maxPendingChanges);
  }

  @Override
  public void banNamespace(long ns) {
    checkOpen();
    checkWritable("banNamespace");
    if (!banned.enabled()) {
      throw new IllegalStateException("banNamespace needs a namespace offset"
          + " (Options.namespaceOffset): without one keys belong to no namespace");
    }
    try {
      banned.ban(ns);
    } catch (IOException e) {
      throw new StorageException(BannedNamespaces.FILE_NAME, "cannot record the ban of namespace "
          + Long.toUnsignedString(ns) + "; it is not in effect", e);
    }
  }

  /** The banned namespaces (reads and writes check them). */
  BannedNamespaces banned() {
    return banned;
  }

  @Override
  public Sequence getSequence(byte[] key, long bandwidth) {
    Keys.check(key);
    if (bandwidth < 1) {
      throw new IllegalArgumentException("bandwidth must be at least 1, got " + bandwidth);
    }
    checkOpen();
    checkWritable("getSequence");
    if (options.managedTxns()) {
      throw new IllegalStateException("getSequence is not available in managed mode"
          + " (managedTxns): a lease is a commit at a timestamp the database would choose");
    }
    return new LeasedSequence(this, key.clone(), bandwidth, sequenceLock);
  }

  @Override
  public StreamWriter newStreamWriter() {
    checkOpen();
    checkWritable("newStreamWriter");
    // First without registering: while registered, even for a moment, commits are refused, and a
    // load into a database that holds data must never refuse the commits made beside it.
    checkStillEmpty();
    // Tables of the base size, as flushes and compactions make them at the first levels.
    TableStreamWriter w = new TableStreamWriter(this, levels.bulkTables(options.baseTableSize()));
    if (!streamWriter.compareAndSet(null, w)) {
      throw new IllegalStateException("another stream writer is open on this database");
    }
    try {
      checkStillEmpty();
    } catch (RuntimeException e) {
      streamWriter.compareAndSet(w, null);
      throw e;
    }
    return w;
  }

  /**
   * Refuses a bulk load into a database that holds anything: a table, or an entry in a memtable.
   */
  void checkStillEmpty() {
    for (MemTableHandle h : pipeline.memTables().all) {
      if (h.table().count() > 0) {
        throw new IllegalStateException("a stream writer needs an empty database, and this one"
            + " holds recent writes (call dropAll first)");
      }
    }
    for (List<Long> level : levels.tableIds()) {
      if (!level.isEmpty()) {
        throw new IllegalStateException("a stream writer needs an empty database, and this one"
            + " holds tables (call dropAll first)");
      }
    }
  }

  /** A stream writer if the database is empty and none is open, else null (load's fast path). */
  TableStreamWriter tryStreamWriter() {
    try {
      return (TableStreamWriter) newStreamWriter();
    } catch (IllegalStateException notEmpty) {
      return null;
    }
  }

  void streamWriterEnded(TableStreamWriter w) {
    streamWriter.compareAndSet(w, null);
  }

  /** Refuses a commit while a stream writer loads the database. */
  private void checkNoBulkLoad() {
    if (streamWriter.get() != null) {
      throw new IllegalStateException("a stream writer is loading this database: other writes"
          + " are refused until it is flushed or cancelled");
    }
  }

  @Override
  public MergeOperator getMergeOperator(byte[] key, BinaryOperator<byte[]> fn,
      Duration interval) {
    Keys.check(key);
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    checkOpen();
    checkWritable("getMergeOperator");
    if (options.managedTxns()) {
      throw new IllegalStateException("getMergeOperator is not available in managed mode"
          + " (managedTxns): an operand is a commit at a timestamp the database would choose");
    }
    KeyMergeOperator op = new KeyMergeOperator(this, key.clone(), fn,
        Math.max(1, interval.toNanos()));
    mergeOperators.add(op);
    if (closed.get()) { // closed meanwhile: close() may have missed it
      mergeOperators.remove(op);
      throw new DbClosedException("the database is closed");
    }
    op.start();
    return op;
  }

  /** Stops a merge operator at close: a failing last merge is logged, the close goes on. */
  private static void stopQuietly(KeyMergeOperator op) {
    try {
      op.stop();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "a merge operator's last merge failed at close (its"
          + " operands stay, and are merged by the next operator of the key)", e);
    }
  }

  void mergeOperatorStopped(KeyMergeOperator op) {
    mergeOperators.remove(op);
  }

  @Override
  public long dropAll() {
    return dropPrefix(new byte[0]);
  }

  @Override
  public long dropPrefix(byte[]... prefixes) {
    Objects.requireNonNull(prefixes, "prefixes");
    if (prefixes.length == 0) {
      throw new IllegalArgumentException("dropPrefix needs at least one prefix (dropAll drops"
          + " every key)");
    }
    for (byte[] p : prefixes) {
      Objects.requireNonNull(p, "a prefix in prefixes");
      if (p.length > Options.MAX_KEY_SIZE) {
        throw new IllegalArgumentException("a prefix of " + p.length + " bytes is longer than"
            + " any key (at most " + Options.MAX_KEY_SIZE + " bytes)");
      }
    }
    checkOpen();
    checkWritable("dropAll and dropPrefix");
    if (options.managedTxns()) {
      throw new IllegalStateException("dropAll and dropPrefix are not available in managed mode"
          + " (managedTxns): delete the keys with newWriteBatchAt(commitTs) at a timestamp of"
          + " your choosing");
    }
    try {
      return Drops.drop(this, prefixes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KvException("interrupted while reclaiming the space of dropped keys (they are"
          + " deleted; later compactions reclaim it)", e);
    }
  }

  @Override
  public long backup(OutputStream out, long sinceTs) {
    Objects.requireNonNull(out, "out");
    if (sinceTs < 0) {
      throw new IllegalArgumentException("sinceTs must be at least 0, got " + sinceTs);
    }
    checkOpen();
    try {
      return DbBackup.write(this, out, sinceTs);
    } catch (IOException e) {
      throw new StorageException(null, "backup failed: " + e, e);
    }
  }

  @Override
  public LoadResult load(InputStream in, int maxPendingWrites) {
    Objects.requireNonNull(in, "in");
    if (maxPendingWrites < 1) {
      throw new IllegalArgumentException("maxPendingWrites must be at least 1, got "
          + maxPendingWrites);
    }
    checkOpen();
    checkWritable("load");
    try {
      return new BackupLoader(this, maxPendingWrites).run(in);
    } catch (IOException e) {
      throw new StorageException(null, "load failed: " + e, e);
    }
  }

  /** The database's id (from the MANIFEST). */
  byte[] dbId() {
    return manifest.dbId();
  }

  @Override
  public void sync() {
    checkOpen();
    if (options.readOnly()) {
      return; // nothing was written
    }
    pipeline.sync();
  }

  @Override
  public DbStats stats() {
    checkOpen();
    MemTables mts = pipeline.memTables();
    long memTableBytes = memTableSource.spareBytes();
    for (MemTableHandle h : mts.all) {
      memTableBytes += h.table().capacityBytes();
    }
    return new DbStats(levels.levelStats(), mts.all.length, memTableBytes, pipeline.walBytes(),
        levels.flushBytesWritten(), levels.compactionBytesRead(),
        levels.compactionBytesWritten(), levels.compactions(), levels.flushes(),
        pipeline.stallNanos(), pipeline.slowdownNanos(), blockCache.sizeBytes(),
        indexCache.sizeBytes(), options.memoryBudget(), valueLogFiles(),
        pipeline.valueLogBytes(), gc.filesDeleted(),
        gc.valuesRewritten());
  }

  private List<ValueLogFileStats> valueLogFiles() {
    ValueLog log = values.log();
    SortedMap<Long, Long> garbage = levels.discardStats().snapshot();
    List<ValueLogFileStats> out = new ArrayList<>();
    for (long id : log.fileIds()) {
      long size;
      try {
        size = log.fileSize(id);
      } catch (IOException e) {
        continue; // deleted meanwhile
      }
      out.add(new ValueLogFileStats(id, size, garbage.getOrDefault(id, 0L)));
    }
    return out;
  }

  @Override
  public void flatten(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    checkOpen();
    checkWritable("flatten");
    try {
      levels.flatten(workers);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KvException("interrupted while flattening", e);
    }
  }

  @Override
  public VerifyReport verify() {
    checkOpen();
    return Verifier.verifyOpen(storage, manifest, levels, tableFormat.name(), values.log(),
        valueLogFormat);
  }

  @Override
  public Options options() {
    return options;
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    close(true);
  }

  /**
   * Closes, optionally without flushing: then it is like a process that died right after its last
   * write reached the operating system, and the WALs stay for the next open to replay (a seam for
   * the WAL tests).
   *
   * @param flush whether the memtables are flushed to tables
   */
  void close(boolean flush) {
    if (!closed.get()) {
      // While the database is open: each merges its operands once more, as stop() promises.
      for (KeyMergeOperator op : mergeOperators.toArray(new KeyMergeOperator[0])) {
        stopQuietly(op);
      }
    }
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long t0 = System.nanoTime();
    StorageException failure = null;
    // One started meanwhile (it merges nothing more: the database is closed).
    for (KeyMergeOperator op : mergeOperators.toArray(new KeyMergeOperator[0])) {
      stopQuietly(op);
    }
    TableStreamWriter bulk = streamWriter.get();
    if (bulk != null) {
      bulk.cancel(); // waits for a write in progress; its tables are deleted
    }
    flushProgressed(); // a manual GC round waiting for a flush sees the close and ends
    gc.stop(); // before the write path stops: a round in progress ends at its next batch
    oracle.close();
    try {
      pipeline.close();
    } catch (IOException e) {
      failure = new StorageException(null, "cannot sync the WAL at close", e);
    }
    subscriptions.closeAll(); // after the last commit: subscribers deliver it, then end
    if (budgetMember != null) {
      budgetMember.close(); // a seal in progress ended when the write path closed
    }
    int flushed = 0;
    try {
      flusher.stop();
      if (flush && failure == null && !pipeline.failed() && !options.readOnly()) {
        // Flush what is left, oldest first, so the next open replays nothing. After a write
        // failure a memtable may hold part of a transaction: then the WALs are replayed instead.
        MemTables m = pipeline.memTables();
        for (int i = m.immutables.length - 1; i >= 0; i--) {
          flusher.flush(m.immutables[i], false);
          flushed++;
        }
        flusher.flush(m.mutable, true);
        flushed++;
        gc.deletePending(true); // no WAL is replayed any more: rewritten files may go
        if (options.compactL0OnClose()) {
          levels.compactLevelZero();
        }
      }
    } catch (IOException | RuntimeException e) {
      if (failure == null) {
        failure = e instanceof StorageException se ? se
            : new StorageException(null, "cannot flush memtables at close: " + e, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pipeline.releaseMemTables(); // each memtable goes when its last open iterator closes
    memTableSource.close(); // and is released then, not kept as a spare
    walSync.close(); // the WALs are closed: the pipeline detached them
    levels.close();
    detachBudget(); // after the levels: no table reads the shared caches any more
    try {
      values.close();
    } catch (IOException e) {
      if (failure == null) {
        failure = new StorageException(null, "cannot close the value log", e);
      }
    }
    try {
      manifest.close();
    } catch (IOException e) {
      if (failure == null) {
        failure = new StorageException(Manifest.FILE_NAME, "cannot close the MANIFEST", e);
      }
    }
    try {
      lock.close();
    } catch (IOException e) {
      if (failure == null) {
        failure = new StorageException(FileNames.LOCK, "cannot release the directory lock", e);
      }
    }
    LOG.log(System.Logger.Level.INFO, "closed {0} in {1} ms: flushed {2} memtable(s); writes"
        + " stalled {3} ms and were slowed down {4} ms in all; flushes waited {5} ms for L0 room",
        storage.describe(), (System.nanoTime() - t0) / 1_000_000, flushed,
        pipeline.stallNanos() / 1_000_000, pipeline.slowdownNanos() / 1_000_000,
        flusher.stallNanos() / 1_000_000);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "SettDb[" + storage.describe() + (closed.get() ? ", closed" : "") + "]";
  }
}
