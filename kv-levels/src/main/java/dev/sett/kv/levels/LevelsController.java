package dev.sett.kv.levels;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.DbFailedException;
import dev.sett.kv.LevelStats;
import dev.sett.kv.StorageException;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.spi.CompactionStrategy;
import dev.sett.kv.spi.CompactionStrategy.Input;
import dev.sett.kv.spi.CompactionStrategy.LevelTarget;
import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.Plan;
import dev.sett.kv.spi.CompactionStrategy.TableView;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.spi.Table;
import dev.sett.kv.spi.TableContext;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The levels of the LSM tree: which tables exist in which level, point reads and iterators over
 * them, flushing memtables into L0 and running compactions chosen by the
 * {@link CompactionStrategy}.
 *
 * <p>Concurrency notes.
 * <ul>
 *   <li>Readers (any thread) pin the current {@link TableSet} with {@code tryRef} and read without
 *       a lock; the set is immutable.
 *   <li>Writers of the structure are the flusher (adds an L0 table) and the compactors (replace
 *       inputs by outputs). Each change is made durable in the MANIFEST first, then a new set is
 *       published under {@code lock}, then the old set's reference is dropped; obsolete tables
 *       are deleted when the last set holding them is released.
 *   <li>{@code lock} guards {@code current}'s replacement, {@code compacting}, {@code inFlight},
 *       {@code paused} and {@code running}; {@code changed} is signalled whenever the levels
 *       change or a compaction ends, which is what compactors and a flusher waiting for L0 room
 *       wait for (no polling).
 *   <li>Invariant: a table is in at most one running compaction; two running compactions never
 *       write overlapping key ranges into the same level; older data never sits above newer data
 *       for the same key (checked on every plan, see {@link #checkPlan}).
 * </ul>
 */
public final class LevelsController implements Closeable {
  private static final System.Logger LOG = System.getLogger(LevelsController.class.getName());

  private final LevelsConfig config;
  private final Manifest manifest;
  private final FileHandlePool pool;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Set<Long> compacting = new HashSet<>(); // guarded by lock
  private final List<InFlight> inFlight = new ArrayList<>(); // guarded by lock
  private final AtomicLong nextFileId;
  private final AtomicLong flushBytes = new AtomicLong();
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong compactionBytesRead = new AtomicLong();
  private final AtomicLong compactionBytesWritten = new AtomicLong();
  private final AtomicLong compactions = new AtomicLong();
  private final List<Thread> compactors = new ArrayList<>();
  private volatile TableSet current;
  private volatile boolean closing;
  private int paused; // guarded by lock: flatten or close stopped the background compactors
  private int running; // guarded by lock: compactions in progress
  private ExecutorService subcompactions;
  private LongSupplier discardTs = () -> 0;
  private Consumer<Throwable> onFailure = e -> { };
  /** A failure the compactors cannot get past; ends every wait on the levels. */
  private volatile Throwable failure;
  private int consecutiveFailures; // guarded by lock: failed compactions since the last success
  private String lastRejectedPlan; // guarded by lock: logged once

  private record InFlight(int outputLevel, byte[] lo, byte[] hi) {}

  private LevelsController(LevelsConfig config, Manifest manifest, long nextFileId) {
    this.config = config;
    this.manifest = manifest;
    this.pool = new FileHandlePool(config.storage(), config.maxOpenFiles());
    this.nextFileId = new AtomicLong(nextFileId);
  }

  /**
   * Opens the tables the MANIFEST lists and deletes table files it does not list (orphans of a
   * crash during a flush or compaction).
   *
   * @param config the providers and options
   * @param manifest the replayed MANIFEST
   * @return the controller; call {@link #startCompactors} to run compactions
   * @throws CorruptionException if a listed table is missing or damaged, or levels overlap
   * @throws IOException if the directory cannot be read
   */
  public static LevelsController open(LevelsConfig config, Manifest manifest) throws IOException {
    Map<Long, Manifest.TableEntry> listed = manifest.state().tables();
    // Check before deleting anything: a database that cannot open must stay as it was.
    for (long id : listed.keySet()) {
      if (!config.storage().exists(TableFiles.name(id))) {
        throw new CorruptionException(TableFiles.name(id), 0,
            "the MANIFEST lists this table but the file is missing");
      }
    }
    long maxId = 0;
    for (String name : config.storage().list()) {
      long id = TableFiles.id(name);
      if (id < 0) {
        continue;
      }
      maxId = Math.max(maxId, id);
      if (!listed.containsKey(id)) {
        config.storage().delete(name);
        LOG.log(System.Logger.Level.INFO, "deleted {0}: the MANIFEST does not list it (left by"
            + " a flush or compaction that a crash interrupted)", name);
      }
    }
    for (long id : listed.keySet()) {
      maxId = Math.max(maxId, id);
    }
    LevelsController c = new LevelsController(config, manifest, maxId + 1);
    List<List<TableHandle>> levels = new ArrayList<>();
    for (int i = 0; i < config.maxLevels(); i++) {
      levels.add(new ArrayList<>());
    }
    try {
      for (Map.Entry<Long, Manifest.TableEntry> e : listed.entrySet()) {
        long id = e.getKey();
        int level = e.getValue().level();
        if (level < 0 || level >= config.maxLevels()) {
          throw new CorruptionException(Manifest.FILE_NAME, 0, "table " + TableFiles.name(id)
              + " is in level " + level + " but the database has " + config.maxLevels()
              + " levels (maxLevels)");
        }
        levels.get(level).add(c.openTable(id, e.getValue().format()));
      }
      TableHandle[][] arr = new TableHandle[config.maxLevels()][];
      for (int i = 0; i < arr.length; i++) {
        List<TableHandle> l = levels.get(i);
        l.sort(i == 0 ? TableSet.L0_ORDER : TableSet.KEY_ORDER);
        for (int j = 1; i > 0 && j < l.size(); j++) {
          if (Keys.compare(l.get(j - 1).largest, l.get(j).smallest) >= 0) {
            throw new CorruptionException(Manifest.FILE_NAME, 0, "tables " + l.get(j - 1)
                + " and " + l.get(j) + " overlap in level " + i);
          }
        }
        arr[i] = l.toArray(new TableHandle[0]);
      }
      c.current = new TableSet(arr);
    } catch (IOException | RuntimeException e) {
      for (List<TableHandle> l : levels) {
        for (TableHandle t : l) {
          t.ref();
          t.unref();
        }
      }
      throw e;
    }
    return c;
  }

  LevelsConfig config() {
    return config;
  }

  long newFileId() {
    return nextFileId.getAndIncrement();
  }

  TableHandle openTable(long id, String format) throws IOException {
    String name = TableFiles.name(id);
    FileHandlePool.PooledFile file = pool.file(name);
    try {
      Table t = config.formats().apply(format).open(file,
          new TableContext(config.dbId(), id, config.blockCache(), config.indexCache()));
      return new TableHandle(t, name, config.storage(), config.blockCache(), config.indexCache());
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  private TableSet acquire() {
    while (true) {
      TableSet s = current;
      if (s.tryRef()) {
        return s;
      }
      if (closing && s == current) {
        throw new DbClosedException("the database is closed");
      }
    }
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
   */
  public StoredValue get(byte[] key, long readTs) {
    TableSet s = acquire();
    TableHandle t = null;
    try {
      StoredValue best = null;
      for (TableHandle h : s.levels[0]) { // newest first by max version
        if (best != null && h.maxVersion <= best.version()) {
          break; // this table and the older ones hold nothing newer than best
        }
        t = h;
        if (h.covers(key)) {
          StoredValue v = h.table.get(key, readTs);
          if (v != null && (best == null || v.version() > best.version())) {
            best = v;
          }
        }
      }
      if (best != null) {
        return best;
      }
      for (int i = 1; i < s.levels.length; i++) {
        t = TableSet.find(s.levels[i], key);
        if (t != null) {
          StoredValue v = t.table.get(key, readTs);
          if (v != null) {
            return v;
          }
        }
      }
      return null;
    } catch (IOException e) {
      throw new StorageException(t == null ? null : t.fileName, "cannot read table: " + e, e);
    } finally {
      s.unref();
    }
  }

  /**
   * Pins the current tables for an iterator.
   *
   * @return the snapshot; close it when the iterator closes
   */
  public Snapshot snapshot() {
    return new Snapshot(acquire());
  }

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
      List<EntryIterator> its = new ArrayList<>();
      for (TableHandle t : set.levels[0]) {
        its.add(t.table.iterator(true));
      }
      for (int i = 1; i < set.levels.length; i++) {
        if (set.levels[i].length > 0) {
          its.add(new ConcatIterator(set.levels[i], true));
        }
      }
      return its;
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
    long max = 0;
    for (TableHandle[] level : current.levels) {
      for (TableHandle t : level) {
        max = Math.max(max, t.maxVersion);
      }
    }
    return max;
  }

  /**
   * The number of tables in L0 now.
   *
   * @return the count
   */
  public int levelZeroTables() {
    return current.levels[0].length;
  }

  // ----------------------------------------------------------------------------------- flush

  /**
   * Writes every entry of {@code source} into a new L0 table, makes it durable and lists it in
   * the MANIFEST together with {@code walFlushedThrough}; then publishes it to readers. An empty
   * source writes no table but still records the WAL as flushed.
   *
   * @param source a memtable's iterator; closed by the caller
   * @param walFlushedThrough the highest WAL id now fully in tables, 0 for none
   * @throws IOException if the table or the MANIFEST cannot be written
   */
  public void flush(EntryIterator source, long walFlushedThrough) throws IOException {
    TableWriter w = null;
    TableHandle table = null;
    try {
      source.seekToFirst();
      if (source.valid()) {
        w = new TableWriter(this, newFileId());
        for (; source.valid(); source.next()) {
          w.add(source.key(), source.value());
        }
        table = w.finish();
        config.storage().syncDirectory();
      }
    } catch (IOException | RuntimeException e) {
      if (table != null) {
        discard(table);
      } else if (w != null) {
        w.abandon();
      }
      throw e;
    }
    List<Manifest.Change> changes = table == null ? List.of()
        : List.of(Manifest.Change.create(table.id, 0, config.tableFormat().name()));
    try {
      manifest.apply(changes, walFlushedThrough);
    } catch (IOException | RuntimeException e) {
      if (table != null) {
        close(table); // the record may have reached the file: keep the table for the next open
      }
      throw e;
    }
    if (table != null) {
      install(Set.of(), 0, List.of(table));
      flushBytes.addAndGet(table.sizeBytes);
      flushes.incrementAndGet();
    }
  }

  /**
   * Waits while L0 holds {@code numLevelZeroTablesStall} tables or more and compactors run,
   * as Badger's flush does (but woken by compactions, not by polling).
   *
   * @param stop ends the wait early when it turns true (checked at each wake-up; see
   *     {@link #wakeWaiters()})
   * <p>Without compactors ({@code numCompactors = 0}) nothing would ever make room, so it does
   * not wait: L0 grows until {@link #flatten} or a reopen with compactors.
   *
   * @return nanoseconds waited
   * @throws DbFailedException if the compactors failed for good (the room will never come)
   * @throws InterruptedException if interrupted
   */
  public long awaitLevelZeroRoom(java.util.function.BooleanSupplier stop)
      throws InterruptedException {
    checkNotFailed();
    if (config.numCompactors() == 0 || levelZeroTables() < config.numLevelZeroTablesStall()) {
      return 0;
    }
    long t0 = System.nanoTime();
    lock.lock();
    try {
      while (!closing && paused == 0 && failure == null && !stop.getAsBoolean()
          && levelZeroTables() >= config.numLevelZeroTablesStall()) {
        changed.await();
      }
    } finally {
      lock.unlock();
    }
    checkNotFailed();
    return System.nanoTime() - t0;
  }

  private void checkNotFailed() {
    Throwable f = failure;
    if (f != null) {
      throw new DbFailedException("compactions failed for good (" + f + "); L0 will not make"
          + " room", f);
    }
  }

  /**
   * Records a failure the compactors cannot get past: they stop, waits on the levels end, and
   * the listener given to {@link #startCompactors} moves the database to the failed state.
   */
  private void fail(Throwable cause) {
    lock.lock();
    try {
      if (failure != null) {
        return;
      }
      failure = cause;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    onFailure.accept(cause);
  }

  /** The failure that stopped the compactors, or null. @return the cause */
  public Throwable failure() {
    return failure;
  }

  /**
   * Waits until the levels change or {@code nanos} pass; used by writers slowing down.
   *
   * @param nanos the longest wait
   * @throws InterruptedException if interrupted
   */
  public void awaitChange(long nanos) throws InterruptedException {
    lock.lock();
    try {
      if (!closing) {
        changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Deletes a table no MANIFEST record lists. */
  static void discard(TableHandle t) {
    t.markObsolete();
    t.ref();
    t.unref();
  }

  /** Closes a table without deleting its file. */
  static void close(TableHandle t) {
    t.ref();
    t.unref();
  }

  /** Wakes every thread waiting on a change of the levels, so it can re-check why it waits. */
  public void wakeWaiters() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Publishes a new table set: the old one's tables are released when its readers finish. */
  private void install(Set<Long> removed, int level, List<TableHandle> added) {
    TableSet old;
    lock.lock();
    try {
      old = current;
      current = old.replace(removed, level, added);
      for (TableHandle[] l : old.levels) {
        for (TableHandle t : l) {
          if (removed.contains(t.id)) {
            t.markObsolete();
          }
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    old.unref();
  }

  // ------------------------------------------------------------------------------ compaction

  /** Failed compactions in a row after which the compactors give up (the database fails). */
  static final int MAX_CONSECUTIVE_FAILURES = 5;
  /** The first retry delay after a failed compaction; it doubles with each further failure. */
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /**
   * Starts the compactor threads.
   *
   * @param discardTs the timestamp at or below which only the newest version of a key is needed
   *     by any reader (the oldest read timestamp in use)
   * @param onFailure told once when compactions fail for good: the MANIFEST cannot be written,
   *     a table is damaged, or {@value #MAX_CONSECUTIVE_FAILURES} compactions in a row failed
   */
  public void startCompactors(LongSupplier discardTs, Consumer<Throwable> onFailure) {
    this.discardTs = discardTs;
    this.onFailure = onFailure;
    int n = config.numCompactors();
    if (n == 0) {
      return;
    }
    subcompactions = Executors.newFixedThreadPool(Math.max(2, n), daemon("sett-subcompact"));
    for (int i = 0; i < n; i++) {
      int id = i;
      Thread t = new Thread(() -> compactorLoop(id), "sett-compactor-" + i);
      t.setDaemon(true);
      compactors.add(t);
      t.start();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }

  private void compactorLoop(int id) {
    try {
      boolean backOff = false;
      while (true) {
        Running job;
        lock.lock();
        try {
          while (true) {
            if (closing || failure != null) {
              return;
            }
            if (!manifest.isWritable()) {
              throw new StorageException(Manifest.FILE_NAME, "compactions stop: the MANIFEST"
                  + " cannot be written after an earlier failure", null);
            }
            job = paused > 0 || backOff ? null : pickLocked(id);
            if (job != null) {
              break;
            }
            if (backOff) {
              backOff = false;
              // After a failure, wait before retrying: 50 ms, doubling with each failure in a row.
              changed.awaitNanos(FIRST_BACKOFF_NANOS << Math.min(consecutiveFailures - 1, 10));
            } else {
              changed.await();
            }
          }
        } finally {
          lock.unlock();
        }
        backOff = !execute(job, subcompactions, true);
      }
    } catch (InterruptedException e) {
      // Only close interrupts (through shutdown of nothing): treat as a stop, not a failure.
      Thread.currentThread().interrupt();
    } catch (Throwable e) { // a compactor never dies silently
      fail(e);
    }
  }

  /** A compaction admitted by {@link #pickLocked}: its tables are marked compacting. */
  private record Running(Plan plan, TableSet set, List<TableHandle[]> sources,
      List<TableHandle> bottom, Set<Long> inputIds, InFlight range, boolean hasOverlap) {}

  private LevelsView view(TableSet s) {
    List<List<TableView>> levels = new ArrayList<>();
    for (TableHandle[] level : s.levels) {
      List<TableView> l = new ArrayList<>(level.length);
      for (TableHandle t : level) {
        l.add(new TableView(t.id, t.sizeBytes, t.smallest, t.largest, t.maxVersion,
            compacting.contains(t.id)));
      }
      levels.add(l);
    }
    return new LevelsView(levels);
  }

  private Running pickLocked(int compactorId) {
    TableSet s = current;
    Plan plan = config.strategy().pick(view(s), compactorId);
    if (plan == null) {
      return null;
    }
    return admitLocked(s, plan);
  }

  /** Checks a plan and marks its tables; logs and returns null when it breaks a rule. */
  private Running admitLocked(TableSet s, Plan plan) {
    if (closing) {
      return null;
    }
    String problem = checkPlan(s, plan);
    if (problem != null) {
      String msg = "compaction strategy '" + config.strategyName() + "' proposed an invalid plan ("
          + plan.reason() + "): " + problem + "; skipped";
      if (!msg.equals(lastRejectedPlan)) {
        lastRejectedPlan = msg;
        LOG.log(System.Logger.Level.ERROR, msg);
      }
      return null;
    }
    Map<Long, TableHandle> byId = new HashMap<>();
    for (TableHandle[] l : s.levels) {
      for (TableHandle t : l) {
        byId.put(t.id, t);
      }
    }
    List<TableHandle[]> sources = new ArrayList<>();
    List<TableHandle> bottom = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    byte[] lo = null;
    byte[] hi = null;
    for (Input in : plan.inputs()) {
      List<TableHandle> tables = new ArrayList<>();
      for (long id : in.tableIds()) {
        TableHandle t = byId.get(id);
        tables.add(t);
        ids.add(id);
        lo = lo == null || Keys.compare(t.smallest, lo) < 0 ? t.smallest : lo;
        hi = hi == null || Keys.compare(t.largest, hi) > 0 ? t.largest : hi;
      }
      if (in.level() == 0) {
        tables.sort(TableSet.L0_ORDER);
        for (TableHandle t : tables) {
          sources.add(new TableHandle[] {t});
        }
      } else {
        tables.sort(TableSet.KEY_ORDER);
        sources.add(tables.toArray(new TableHandle[0]));
        if (in.level() == plan.outputLevel()) {
          bottom.addAll(tables);
        }
      }
    }
    bottom.sort(TableSet.KEY_ORDER); // split keys come from it in order
    boolean hasOverlap = plan.outputLevel() == 0;
    for (int i = plan.outputLevel() + 1; i < s.levels.length && !hasOverlap; i++) {
      for (TableHandle t : s.levels[i]) {
        if (t.overlaps(lo, hi)) {
          hasOverlap = true;
          break;
        }
      }
    }
    compacting.addAll(ids);
    InFlight range = new InFlight(plan.outputLevel(), lo, hi);
    inFlight.add(range);
    running++;
    s.tryRef(); // the job reads these tables; released when it ends
    return new Running(plan, s, sources, bottom, ids, range, hasOverlap);
  }

  /**
   * Why {@code plan} breaks a rule of {@link CompactionStrategy}, or {@code null} if it keeps
   * them all.
   */
  private String checkPlan(TableSet s, Plan plan) {
    if (plan.inputs().isEmpty()) {
      return "no inputs";
    }
    int out = plan.outputLevel();
    if (out < 0 || out >= s.levels.length) {
      return "output level " + out + " does not exist";
    }
    if (plan.targetTableSize() <= 0) {
      return "target table size " + plan.targetTableSize();
    }
    Set<Long> ids = new HashSet<>();
    int minLevel = Integer.MAX_VALUE;
    byte[] lo = null;
    byte[] hi = null;
    Set<Integer> levelsSeen = new HashSet<>();
    for (Input in : plan.inputs()) {
      if (!levelsSeen.add(in.level())) {
        return "level " + in.level() + " is listed twice";
      }
      if (in.level() < 0 || in.level() > out) {
        return "input level " + in.level() + " is below the output level " + out;
      }
      minLevel = Math.min(minLevel, in.level());
      for (long id : in.tableIds()) {
        TableHandle t = null;
        for (TableHandle c : s.levels[in.level()]) {
          if (c.id == id) {
            t = c;
            break;
          }
        }
        if (t == null) {
          return "table " + id + " is not in level " + in.level();
        }
        if (compacting.contains(id) || !ids.add(id)) {
          return "table " + id + " is already being compacted or listed twice";
        }
        lo = lo == null || Keys.compare(t.smallest, lo) < 0 ? t.smallest : lo;
        hi = hi == null || Keys.compare(t.largest, hi) > 0 ? t.largest : hi;
      }
    }
    if (ids.isEmpty()) {
      return "no input tables";
    }
    for (int i = Math.max(minLevel, 1); i <= out; i++) {
      for (TableHandle t : s.levels[i]) {
        if ((i > minLevel || i == out) && t.overlaps(lo, hi) && !ids.contains(t.id)) {
          return "table " + t + " in level " + i + " overlaps the range but is not an input";
        }
      }
    }
    if (minLevel == 0 && out > 0) {
      boolean seenInput = false;
      for (TableHandle t : s.levels[0]) { // newest first: inputs must be a suffix (the oldest)
        if (ids.contains(t.id)) {
          seenInput = true;
        } else if (seenInput) {
          return "L0 table " + t + " is older than an input but not an input";
        }
      }
    }
    if (out == 0) { // the output takes the inputs' place in L0, so they must be neighbours
      int first = -1;
      int last = -1;
      TableHandle[] l0 = s.levels[0];
      for (int i = 0; i < l0.length; i++) {
        if (ids.contains(l0[i].id)) {
          first = first < 0 ? i : first;
          last = i;
        }
      }
      if (last - first + 1 != ids.size()) {
        return "the L0 inputs are not adjacent in L0";
      }
    }
    if (minLevel == 0 && out == 0) {
      for (InFlight f : inFlight) {
        if (f.outputLevel() == 0) {
          return "another L0->L0 compaction is running";
        }
      }
    }
    for (InFlight f : inFlight) {
      if (f.outputLevel() == out && out > 0
          && Keys.compare(f.lo(), hi) <= 0 && Keys.compare(f.hi(), lo) >= 0) {
        return "its range overlaps a running compaction into level " + out;
      }
    }
    return null;
  }

  /**
   * Runs an admitted compaction and installs its result; returns false if it failed. A failure of
   * a background compaction ({@code background}) that cannot be got past, a damaged table, an
   * unwritable MANIFEST or the {@value #MAX_CONSECUTIVE_FAILURES}th failure in a row, fails the
   * levels (see {@link #fail}); user-run compactions report their failure to their caller.
   */
  private boolean execute(Running r, ExecutorService workers, boolean background) {
    long t0 = System.nanoTime();
    boolean ok = false;
    Exception failed = null;
    boolean fatal = false;
    try {
      long now = config.clock().instant().getEpochSecond();
      CompactionJob job = new CompactionJob(this, r.sources(), r.bottom(),
          r.plan().outputLevel(), r.plan().targetTableSize(), discardTs.getAsLong(), now,
          config.numVersionsToKeep(), r.hasOverlap(), () -> closing);
      List<TableHandle> out = job.run(workers);
      long read = 0;
      for (TableHandle[] src : r.sources()) {
        for (TableHandle t : src) {
          read += t.sizeBytes;
        }
      }
      long written = 0;
      List<Manifest.Change> changes = new ArrayList<>();
      for (TableHandle t : out) {
        written += t.sizeBytes;
        changes.add(Manifest.Change.create(t.id, r.plan().outputLevel(),
            config.tableFormat().name()));
      }
      for (long id : r.inputIds()) {
        changes.add(Manifest.Change.delete(id));
      }
      try {
        config.storage().syncDirectory();
      } catch (IOException | RuntimeException e) {
        out.forEach(LevelsController::discard);
        throw e;
      }
      try {
        manifest.apply(changes, 0);
      } catch (IOException | RuntimeException e) {
        // The record may have reached the file: keep the tables for the next open to sort out.
        out.forEach(LevelsController::close);
        throw e;
      }
      install(r.inputIds(), r.plan().outputLevel(), out);
      compactionBytesRead.addAndGet(read);
      compactionBytesWritten.addAndGet(written);
      compactions.incrementAndGet();
      ok = true;
      LOG.log(System.Logger.Level.DEBUG, "compacted {0} (score {1}): {2} tables, {3} bytes in,"
          + " {4} tables, {5} bytes out, {6} ms", r.plan().reason(), r.plan().score(),
          r.inputIds().size(), read, out.size(), written, (System.nanoTime() - t0) / 1_000_000);
    } catch (CancellationException e) {
      LOG.log(System.Logger.Level.DEBUG, "compaction {0} cancelled by close", r.plan().reason());
    } catch (IOException | RuntimeException e) {
      failed = e;
    } finally {
      lock.lock();
      try {
        if (ok) {
          consecutiveFailures = 0;
        } else if (failed != null && !closing) {
          consecutiveFailures++;
          if (failed instanceof CorruptionException || !manifest.isWritable()
              || consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
            fatal = true;
          }
        }
        compacting.removeAll(r.inputIds());
        inFlight.remove(r.range());
        running--;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      r.set().unref();
    }
    if (failed != null) {
      if (fatal && background) {
        fail(failed);
      } else {
        LOG.log(System.Logger.Level.ERROR, "compaction " + r.plan().reason() + " failed ("
            + consecutiveFailuresNow() + " in a row); its inputs stay in place"
            + (background ? " and it will be retried" : ""), failed);
      }
    }
    return ok;
  }

  private int consecutiveFailuresNow() {
    lock.lock();
    try {
      return consecutiveFailures;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the background compactors until the matching {@link #resume()}, waiting for the
   * running compactions to finish.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  private void pause() throws InterruptedException {
    lock.lock();
    try {
      paused++;
      changed.signalAll();
      while (running > 0) {
        try {
          changed.await();
        } catch (InterruptedException e) {
          paused--; // the caller's resume() will not run
          changed.signalAll();
          throw e;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void resume() {
    lock.lock();
    try {
      paused--;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
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
    pause();
    ExecutorService pool = workers > 1
        ? Executors.newFixedThreadPool(workers, daemon("sett-flatten")) : null;
    try {
      while (!closing) {
        Running job;
        lock.lock();
        try {
          TableSet s = current;
          int top = -1;
          int below = -1;
          for (int i = 0; i < s.levels.length; i++) {
            if (s.levels[i].length > 0) {
              if (top < 0) {
                top = i;
              } else {
                below = i;
                break;
              }
            }
          }
          if (top < 0 || (below < 0 && (top > 0 || s.levels.length == 1))) {
            return; // empty, or everything already in one level below L0
          }
          int out = below < 0 ? s.levels.length - 1 : below;
          job = admitLocked(s, wholeLevels(s, top, out, "flatten L" + top + "->L" + out));
          if (job == null) {
            throw new IllegalStateException("flatten could not plan L" + top + "->L" + out);
          }
        } finally {
          lock.unlock();
        }
        if (!execute(job, pool, false)) {
          throw new StorageException(null, "flatten failed: a compaction failed (see the log)", null);
        }
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
      resume();
    }
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
    pause();
    try {
      Running job;
      lock.lock();
      try {
        job = admitLocked(current, plan);
      } finally {
        lock.unlock();
      }
      return job != null && execute(job, null, false);
    } finally {
      resume();
    }
  }

  /**
   * The ids of the tables in each level, L0 newest first (for tests and tools).
   *
   * @return one list per level
   */
  public List<List<Long>> tableIds() {
    TableSet s = acquire();
    try {
      List<List<Long>> out = new ArrayList<>();
      for (TableHandle[] level : s.levels) {
        List<Long> ids = new ArrayList<>();
        for (TableHandle t : level) {
          ids.add(t.id);
        }
        out.add(ids);
      }
      return out;
    } finally {
      s.unref();
    }
  }

  /**
   * Compacts all of L0 once into the first non-empty level below it (or the last level), for
   * {@code compactL0OnClose}.
   *
   * @throws InterruptedException if interrupted
   */
  public void compactLevelZero() throws InterruptedException {
    pause();
    try {
      Running job;
      lock.lock();
      try {
        TableSet s = current;
        if (s.levels[0].length == 0) {
          return;
        }
        int out = s.levels.length - 1;
        for (int i = 1; i < s.levels.length; i++) {
          if (s.levels[i].length > 0) {
            out = i;
            break;
          }
        }
        job = admitLocked(s, wholeLevels(s, 0, out, "close L0->L" + out));
      } finally {
        lock.unlock();
      }
      if (job != null) {
        execute(job, subcompactions, false);
      }
    } finally {
      resume();
    }
  }

  /** A plan merging all of level {@code top} with the overlapping tables of level {@code out}. */
  private Plan wholeLevels(TableSet s, int top, int out, String reason) {
    List<Long> topIds = new ArrayList<>();
    byte[] lo = null;
    byte[] hi = null;
    for (TableHandle t : s.levels[top]) {
      topIds.add(t.id);
      lo = lo == null || Keys.compare(t.smallest, lo) < 0 ? t.smallest : lo;
      hi = hi == null || Keys.compare(t.largest, hi) > 0 ? t.largest : hi;
    }
    List<Input> inputs = new ArrayList<>();
    inputs.add(new Input(top, topIds));
    if (out != top) {
      List<Long> bottomIds = new ArrayList<>();
      for (TableHandle t : s.levels[out]) {
        if (t.overlaps(lo, hi)) {
          bottomIds.add(t.id);
        }
      }
      if (!bottomIds.isEmpty()) {
        inputs.add(new Input(out, bottomIds));
      }
    }
    long size = Math.max(config.memTableSize(), 2L << 20);
    return new Plan(inputs, out, size, 0, reason);
  }

  // ----------------------------------------------------------------------------------- stats

  /**
   * The shape of every level with the strategy's targets and scores.
   *
   * @return one entry per level, L0 first
   */
  public List<LevelStats> levelStats() {
    TableSet s = acquire();
    try {
      List<LevelTarget> targets;
      lock.lock();
      try {
        targets = config.strategy().targets(view(s));
      } finally {
        lock.unlock();
      }
      List<LevelStats> out = new ArrayList<>();
      for (int i = 0; i < s.levels.length; i++) {
        LevelTarget t = i < targets.size() ? targets.get(i) : new LevelTarget(0, 0);
        out.add(new LevelStats(i, s.levels[i].length, s.levelBytes(i), t.targetBytes(),
            t.score()));
      }
      return out;
    } finally {
      s.unref();
    }
  }

  /** Bytes of tables written by flushes. @return bytes */
  public long flushBytesWritten() {
    return flushBytes.get();
  }

  /** Flushes done. @return the count */
  public long flushes() {
    return flushes.get();
  }

  /** Bytes of tables read by compactions. @return bytes */
  public long compactionBytesRead() {
    return compactionBytesRead.get();
  }

  /** Bytes of tables written by compactions. @return bytes */
  public long compactionBytesWritten() {
    return compactionBytesWritten.get();
  }

  /** Compactions done. @return the count */
  public long compactions() {
    return compactions.get();
  }

  /** Table files open now. @return the count */
  public int openFiles() {
    return pool.openCount();
  }

  /**
   * Stops the compactors (a running compaction is cancelled and its output deleted) and closes
   * every table. Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closing) {
        return;
      }
      closing = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    for (Thread t : compactors) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true; // finish closing first: files must not be used after the lock goes
        }
      }
    }
    lock.lock();
    try {
      while (running > 0) { // flatten or compactNow on a user thread: cancelled via closing
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
    if (subcompactions != null) {
      subcompactions.shutdownNow();
    }
    current.unref();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
