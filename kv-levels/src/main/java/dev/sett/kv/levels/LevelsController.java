package dev.sett.kv.levels;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.DbFailedException;
import dev.sett.kv.LevelStats;
import dev.sett.kv.StorageException;
import dev.sett.kv.spi.CompactionStrategy;
import dev.sett.kv.spi.CompactionStrategy.Plan;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.spi.Table;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The levels of the LSM tree, as kv-core sees them: which tables exist in which level, point reads
 * and iterators over them, flushing memtables into L0 and running compactions chosen by the
 * {@link CompactionStrategy}. A façade over the parts that do each job:
 * <ul>
 *   <li>{@link TableSetLoader}: opening (MANIFEST check, orphan deletion, the first table set);
 *   <li>{@link LevelState}: the shared state, its lock and the installation of new table sets;
 *   <li>{@link LevelsReader}: point reads, snapshot iterators, table ids and level stats;
 *   <li>{@link LevelZeroFlush}: flushes into L0 and the wait for L0 room;
 *   <li>{@link CompactionAdmission}: the checks of a compaction plan and the marks of running ones;
 *   <li>{@link CompactionScheduler}: the background compactors, running compactions, pause;
 *   <li>{@link ManualCompactions}: flatten, compactNow and compactLevelZero;
 *   <li>{@link DiscardStats}: the value log garbage compactions find, persisted in
 *       {@value DiscardStats#FILE_NAME}, for value log garbage collection.
 * </ul>
 *
 * <p>Concurrency notes (details in each part's own notes).
 * <ul>
 *   <li>Readers (any thread) pin the current {@link TableSet} and read without a lock; the set is
 *       immutable.
 *   <li>Writers of the structure are the flusher (adds an L0 table) and the compactions (replace
 *       inputs by outputs). Each change is made durable in the MANIFEST first, then a new set is
 *       published under the levels lock ({@link LevelState#install}), then the old set's reference
 *       is dropped; obsolete tables are deleted when the last set holding them is released.
 *   <li>One lock, {@code LevelState.lock}, guards the replacement of the current set, the
 *       compacting tables and in-flight ranges, the pause and running counts and the failure
 *       count; its {@code changed} condition is signalled whenever the levels change or a
 *       compaction ends, which is what compactors and a flusher waiting for L0 room wait for (no
 *       polling). This class holds no state of its own besides its parts.
 *   <li>Invariant: a table is in at most one running compaction; two running compactions never
 *       write overlapping key ranges into the same level; older data never sits above newer data
 *       for the same key (checked on every plan, see {@link CompactionAdmission}).
 * </ul>
 */
public final class LevelsController implements Closeable {
  private final LevelState state;
  private final LevelsReader reader;
  private final LevelZeroFlush flusher;
  private final CompactionScheduler scheduler;
  private final ManualCompactions manual;
  private final DiscardStats discardStats;

  private LevelsController(LevelState state, DiscardStats discardStats) {
    this.state = state;
    this.discardStats = discardStats;
    CompactionAdmission admission = new CompactionAdmission(state);
    this.reader = new LevelsReader(state, admission);
    this.flusher = new LevelZeroFlush(state);
    this.scheduler = new CompactionScheduler(state, admission, discardStats);
    this.manual = new ManualCompactions(state, admission, scheduler);
  }

  /**
   * Opens the tables the MANIFEST lists and deletes table files it does not list (orphans of a
   * crash during a flush or compaction); reads the value log discard statistics
   * ({@link DiscardStats#open}: a damaged file is logged and they start from zero).
   *
   * @param config the providers and options
   * @param manifest the replayed MANIFEST
   * @return the controller; call {@link #startCompactors} to run compactions
   * @throws CorruptionException if a listed table is missing or damaged, levels overlap, or the
   *     {@value DiscardStats#FILE_NAME} file belongs to another database
   * @throws IOException if the directory cannot be read
   */
  public static LevelsController open(LevelsConfig config, Manifest manifest) throws IOException {
    // First: it holds no file open, so nothing is to undo if the tables fail to open.
    DiscardStats discard = DiscardStats.open(config.storage(), config.dbId());
    return new LevelsController(TableSetLoader.open(config, manifest), discard);
  }

  // ------------------------------------------------------------------------------------ reads

  /**
   * The newest version of {@code key} at or below {@code readTs} in the tables: every L0 table
   * whose range holds the key (bloom filter first), then one table per deeper level, stopping at
   * the first level that has a version (deeper levels hold only older ones).
   *
   * @param key the user key
   * @param readTs the read timestamp
   * @return the version, tombstones included, or {@code null}
   * @throws StorageException if a table cannot be read
   * @throws DbClosedException if the levels are closed
   */
  public StoredValue get(byte[] key, long readTs) {
    return reader.get(key, readTs, false);
  }

  /**
   * As {@link #get(byte[], long)}, for a tree whose deeper levels may hold newer versions of a
   * key than shallower ones (managed mode, where commits come in any timestamp order): every
   * level is read and the newest version at or below {@code readTs} wins, as in Badger.
   *
   * @param key the user key
   * @param readTs the read timestamp
   * @return the version, tombstones included, or {@code null}
   */
  public StoredValue getNewestInAnyLevel(byte[] key, long readTs) {
    return reader.get(key, readTs, true);
  }

  /**
   * Pins the current tables for an iterator.
   *
   * @return the snapshot; close it when the iterator closes
   * @throws DbClosedException if the levels are closed
   */
  public Snapshot snapshot() {
    return new Snapshot(state.acquire());
  }

  /**
   * A table of a {@link Snapshot}.
   *
   * @param level its level
   * @param fileName its file's name
   * @param table the open table, readable until the snapshot closes
   */
  public record PinnedTable(int level, String fileName, Table table) {}

  /** Tables pinned for reading: they stay open until {@link #close()}. */
  public static final class Snapshot implements AutoCloseable {
    private final TableSet set;
    private boolean closed;

    private Snapshot(TableSet set) {
      this.set = set;
    }

    /**
     * Iterators over the pinned tables, newest data first: one per L0 table, then one per
     * non-empty deeper level.
     *
     * @return new unpositioned iterators; the caller closes them
     */
    public List<EntryIterator> iterators() {
      return LevelsReader.iterators(set);
    }

    /**
     * Where a key range can be cut into parts that hold comparable amounts of table data, for
     * parallel scans (as Badger's {@code KeySplits}): the smallest key of every pinned table,
     * and, with fewer than {@code wanted} tables, keys sampled from each table's index too.
     *
     * @param wanted how many cuts the caller would like, at least 1
     * @return the keys, sorted, without duplicates; the caller must not modify them
     * @throws StorageException if a table's index cannot be read
     */
    public List<byte[]> splitKeys(int wanted) {
      return set.splitKeys(wanted);
    }

    /**
     * The pinned tables, level by level (L0 newest first, deeper levels in key order).
     *
     * @return every table with its level and file name; valid until {@link #close()}
     */
    public List<PinnedTable> tables() {
      List<PinnedTable> all = new ArrayList<>();
      for (int level = 0; level < set.levels.length; level++) {
        for (TableHandle t : set.levels[level]) {
          all.add(new PinnedTable(level, t.fileName, t.table));
        }
      }
      return all;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        set.unref();
      }
    }
  }

  /**
   * The highest version in any table, to restart the timestamps from.
   *
   * @return the version, 0 without tables
   */
  public long maxVersion() {
    return reader.maxVersion();
  }

  /**
   * The number of tables in L0 now.
   *
   * @return the count
   */
  public int levelZeroTables() {
    return state.levelZeroTables();
  }

  /**
   * The ids of the tables in each level, L0 newest first (for tests and tools).
   *
   * @return one list per level
   */
  public List<List<Long>> tableIds() {
    return reader.tableIds();
  }

  // ----------------------------------------------------------------------------------- flush

  /**
   * Writes every entry of {@code source} into a new L0 table, makes it durable and lists it in
   * the MANIFEST together with {@code walFlushedThrough}; then publishes it to readers. An empty
   * source writes no table but still records the WAL as flushed.
   *
   * @param source a memtable's iterator; closed by the caller
   * @param newestCommit the newest commit timestamp in the memtable, which may exceed every
   *     version in it (value log garbage collection rewrites values at their original versions);
   *     the table sorts in level 0 by it
   * @param walFlushedThrough the highest WAL id now fully in tables, 0 for none
   * @throws IOException if the table or the MANIFEST cannot be written
   */
  public void flush(EntryIterator source, long newestCommit, long walFlushedThrough)
      throws IOException {
    flusher.flush(source, newestCommit, walFlushedThrough);
  }

  /**
   * Waits while L0 holds {@code numLevelZeroTablesStall} tables or more and compactors run,
   * as Badger's flush does (but woken by compactions, not by polling).
   *
   * <p>Without compactors ({@code numCompactors = 0}) nothing would ever make room, so it does
   * not wait: L0 grows until {@link #flatten} or a reopen with compactors.
   *
   * @param stop ends the wait early when it turns true (checked at each wake-up; see
   *     {@link #wakeWaiters()})
   * @return nanoseconds waited
   * @throws DbFailedException if the compactors failed for good (the room will never come)
   * @throws InterruptedException if interrupted
   */
  public long awaitLevelZeroRoom(BooleanSupplier stop) throws InterruptedException {
    return flusher.awaitLevelZeroRoom(stop);
  }

  /** The failure that stopped the compactors, or null. @return the cause */
  public Throwable failure() {
    return state.failure();
  }

  /**
   * Waits until the levels change or {@code nanos} pass; used by writers slowing down.
   *
   * @param nanos the longest wait
   * @throws InterruptedException if interrupted
   */
  public void awaitChange(long nanos) throws InterruptedException {
    state.awaitChange(nanos);
  }

  /** Wakes every thread waiting on a change of the levels, so it can re-check why it waits. */
  public void wakeWaiters() {
    state.wakeWaiters();
  }

  // ------------------------------------------------------------------------------ compaction

  /**
   * Starts the compactor threads.
   *
   * @param discardTs the timestamp at or below which only the newest version of a key is needed
   *     by any reader (the oldest read timestamp in use)
   * @param onFailure told once when compactions fail for good: the MANIFEST cannot be written,
   *     a table is damaged, or {@value CompactionScheduler#MAX_CONSECUTIVE_FAILURES} compactions
   *     in a row failed
   */
  public void startCompactors(LongSupplier discardTs, Consumer<Throwable> onFailure) {
    scheduler.start(discardTs, onFailure);
  }

  /**
   * Compacts until every table is in one level: repeatedly merges the shallowest non-empty level
   * with the next non-empty one below it (or the last level) into that level. The background
   * compactors are paused meanwhile.
   *
   * @param workers threads running the sub-compactions
   * @throws StorageException if a compaction fails
   * @throws InterruptedException if interrupted
   */
  public void flatten(int workers) throws InterruptedException {
    manual.flatten(workers);
  }

  /**
   * Runs one plan now on the calling thread, with the background compactors paused: the same
   * checks as a plan from the strategy, so a plan that breaks a rule is refused.
   *
   * @param plan the compaction
   * @return {@code false} if the plan was refused or failed (the reason is logged)
   * @throws InterruptedException if interrupted
   */
  public boolean compactNow(Plan plan) throws InterruptedException {
    return manual.compactNow(plan);
  }

  /**
   * Starts writing tables for a bulk load into the last level (see {@link BulkTables}).
   *
   * @param targetTableSize the size at which a table is closed
   * @return the writer; install or close it
   */
  public BulkTables bulkTables(long targetTableSize) {
    return new BulkTables(state, targetTableSize);
  }

  /**
   * Compacts every table holding keys in {@code [lo, hi]} down into the last level, so that
   * tombstones written over the range meet the versions they delete and both go (a drop reclaims
   * its space this way). The background compactors are paused meanwhile.
   *
   * @param lo the smallest key of the range
   * @param hi the largest key of the range
   * @throws StorageException if a compaction fails
   * @throws InterruptedException if interrupted
   */
  public void compactRange(byte[] lo, byte[] hi) throws InterruptedException {
    manual.compactRange(lo, hi);
  }

  /**
   * Compacts all of L0 once into the first non-empty level below it (or the last level), for
   * {@code compactL0OnClose}.
   *
   * @throws InterruptedException if interrupted
   */
  public void compactLevelZero() throws InterruptedException {
    manual.compactLevelZero();
  }

  // ----------------------------------------------------------------------------------- stats

  /**
   * The shape of every level with the strategy's targets and scores.
   *
   * @return one entry per level, L0 first
   */
  public List<LevelStats> levelStats() {
    return reader.levelStats();
  }

  /** Bytes of tables written by flushes. @return bytes */
  public long flushBytesWritten() {
    return flusher.bytesWritten();
  }

  /** Flushes done. @return the count */
  public long flushes() {
    return flusher.count();
  }

  /** Bytes of tables read by compactions. @return bytes */
  public long compactionBytesRead() {
    return scheduler.bytesRead();
  }

  /** Bytes of tables written by compactions. @return bytes */
  public long compactionBytesWritten() {
    return scheduler.bytesWritten();
  }

  /** Compactions done. @return the count */
  public long compactions() {
    return scheduler.count();
  }

  /** Table files open now. @return the count */
  public int openFiles() {
    return state.openFiles();
  }

  /**
   * The value log garbage found by compactions, per value log file: what value log garbage
   * collection picks a file by, and removes a file from when it deletes it; kv-core calls
   * {@link DiscardStats#retainFiles} once the value log is open.
   *
   * @return the statistics (thread-safe); persisted by the compactions and at {@link #close()}
   */
  public DiscardStats discardStats() {
    return discardStats;
  }

  /**
   * Stops the compactors (a running compaction is cancelled and its output deleted), closes
   * every table and writes pending discard statistics (a failure to is logged). Idempotent. Not
   * cut short by an interrupt, which is kept for the caller.
   */
  @Override
  public void close() {
    if (!state.beginClose()) {
      return;
    }
    scheduler.stop();
    state.releaseCurrent();
    discardStats.close();
  }
}
