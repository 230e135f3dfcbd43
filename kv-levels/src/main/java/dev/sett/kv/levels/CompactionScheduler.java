package dev.sett.kv.levels;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.StorageException;
import dev.sett.kv.internal.Uninterruptibles;
import dev.sett.kv.levels.CompactionAdmission.Admitted;
import dev.sett.kv.spi.CompactionStrategy.Plan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The background compactions: {@code numCompactors} threads that each ask the strategy for a
 * plan, have it admitted ({@link CompactionAdmission}) and {@link #execute} it, waiting on the
 * levels' {@code changed} condition when there is nothing to do. A failed compaction is retried
 * after a back-off (50 ms, doubling with each failure in a row); a damaged table, an unwritable
 * MANIFEST or the {@value #MAX_CONSECUTIVE_FAILURES}th failure in a row fails the levels for good
 * (the compactors stop, every wait on the levels ends, the failure listener is told once).
 * {@link #pause()} and {@link #resume()} stop and restart them around a manual compaction.
 *
 * <p>Concurrency notes.
 * <ul>
 *   <li>The compactor threads and the callers of {@link ManualCompactions} run {@link #execute};
 *       it writes the levels only through {@link LevelState#install} after the MANIFEST record is
 *       durable.
 *   <li>The levels lock ({@code LevelState.lock}) guards {@code consecutiveFailures} (written at
 *       the end of every compaction, read for the back-off) and the shared {@code paused} and
 *       {@code running} counts ({@link #pause()}, {@link #resume()}; admission and the end of a
 *       compaction). A compactor picks and admits a plan under that lock in one step, so the
 *       strategy is only ever called under it.
 *   <li>{@code discardTs}, {@code onFailure} and {@code subcompactions} are set once by
 *       {@link #start} (before the threads start) and read afterwards; {@code compactors} is
 *       written only by {@link #start} and read only by {@link #stop()}. The counters are atomic.
 *   <li>Invariant: a compactor never dies silently: it ends on closing or failure, or records its
 *       unexpected throwable as the failure.
 *   <li>{@link DiscardStats} is thread-safe: a compaction adds its value log garbage after its
 *       result is installed and persists the file after it released its tables, outside the
 *       levels lock (see {@link #execute}).
 * </ul>
 */
final class CompactionScheduler {
  private static final System.Logger LOG = System.getLogger(CompactionScheduler.class.getName());

  /** Failed compactions in a row after which the compactors give up (the database fails). */
  static final int MAX_CONSECUTIVE_FAILURES = 5;
  /** The first retry delay after a failed compaction; it doubles with each further failure. */
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final LevelState state;
  private final CompactionAdmission admission;
  private final DiscardStats discardStats;
  private final List<Thread> compactors = new ArrayList<>();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicLong count = new AtomicLong();
  private ExecutorService subcompactions;
  private LongSupplier discardTs = () -> 0;
  private Consumer<Throwable> onFailure = e -> { };
  private int consecutiveFailures; // guarded by lock: failed compactions since the last success

  CompactionScheduler(LevelState state, CompactionAdmission admission,
      DiscardStats discardStats) {
    this.state = state;
    this.admission = admission;
    this.discardStats = discardStats;
  }

  /**
   * Starts the compactor threads (none if {@code numCompactors} is 0).
   *
   * @param discardTs the timestamp at or below which only the newest version of a key is needed
   * @param onFailure told once when compactions fail for good
   */
  void start(LongSupplier discardTs, Consumer<Throwable> onFailure) {
    this.discardTs = discardTs;
    this.onFailure = onFailure;
    int n = state.config().numCompactors();
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

  /** Daemon threads named {@code name-0}, {@code name-1}, ... */
  static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }

  /** The sub-compaction threads of the background compactors; {@code null} without compactors. */
  ExecutorService subcompactions() {
    return subcompactions;
  }

  private void compactorLoop(int id) {
    try {
      boolean backOff = false;
      while (true) {
        Admitted job;
        state.lock.lock();
        try {
          while (true) {
            if (state.closing() || state.failure() != null) {
              return;
            }
            if (!state.manifest().isWritable()) {
              throw new StorageException(Manifest.FILE_NAME, "compactions stop: the MANIFEST"
                  + " cannot be written after an earlier failure", null);
            }
            job = state.paused > 0 || backOff ? null : pickLocked(id);
            if (job != null) {
              break;
            }
            if (backOff) {
              backOff = false;
              // After a failure, wait before retrying: 50 ms, doubling with each failure in a row.
              state.changed.awaitNanos(
                  FIRST_BACKOFF_NANOS << Math.min(consecutiveFailures - 1, 10));
            } else {
              state.changed.await();
            }
          }
        } finally {
          state.lock.unlock();
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

  private Admitted pickLocked(int compactorId) {
    TableSet s = state.current();
    Plan plan = state.config().strategy().pick(admission.viewLocked(s), compactorId);
    if (plan == null) {
      return null;
    }
    return admission.admitLocked(s, plan);
  }

  /**
   * Runs an admitted compaction and installs its result; returns false if it failed. A failure of
   * a background compaction ({@code background}) that cannot be got past, a damaged table, an
   * unwritable MANIFEST or the {@value #MAX_CONSECUTIVE_FAILURES}th failure in a row, fails the
   * levels (see {@link #fail}); user-run compactions report their failure to their caller.
   *
   * <p>The value log garbage the compaction found is added to the {@link DiscardStats} right
   * after the install (never for a failed or cancelled compaction: its inputs stay in the tree)
   * and persisted once the compaction has released its tables. A crash between the MANIFEST
   * record and that write loses the count, never adds one the tree does not reflect.
   *
   * @param workers runs the sub-compactions; {@code null} to run them on this thread
   */
  boolean execute(Admitted r, ExecutorService workers, boolean background) {
    LevelsConfig config = state.config();
    long t0 = System.nanoTime();
    boolean ok = false;
    Exception failed = null;
    boolean fatal = false;
    boolean garbageFound = false;
    try {
      long now = config.clock().instant().getEpochSecond();
      CompactionJob job = new CompactionJob(state, r.sources(), r.bottom(),
          r.plan().outputLevel(), r.plan().targetTableSize(), discardTs.getAsLong(), now,
          config.numVersionsToKeep(), r.hasOverlap(), state::closing);
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
        out.forEach(TableHandle::discard);
        throw e;
      }
      try {
        state.manifest().apply(changes, 0);
      } catch (IOException | RuntimeException e) {
        // The record may have reached the file: keep the tables for the next open to sort out.
        out.forEach(TableHandle::closeKeepingFile);
        throw e;
      }
      state.install(r.inputIds(), r.plan().outputLevel(), out);
      if (!job.discarded().isEmpty()) {
        discardStats.add(job.discarded());
        garbageFound = true;
      }
      bytesRead.addAndGet(read);
      bytesWritten.addAndGet(written);
      count.incrementAndGet();
      ok = true;
      LOG.log(System.Logger.Level.DEBUG, "compacted {0} (score {1}): {2} tables, {3} bytes in,"
          + " {4} tables, {5} bytes out, {6} ms", r.plan().reason(), r.plan().score(),
          r.inputIds().size(), read, out.size(), written, (System.nanoTime() - t0) / 1_000_000);
    } catch (CancellationException e) {
      LOG.log(System.Logger.Level.DEBUG, "compaction {0} cancelled by close", r.plan().reason());
    } catch (IOException | RuntimeException e) {
      failed = e;
    } finally {
      state.lock.lock();
      try {
        if (ok) {
          consecutiveFailures = 0;
        } else if (failed != null && !state.closing()) {
          consecutiveFailures++;
          if (failed instanceof CorruptionException || !state.manifest().isWritable()
              || consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
            fatal = true;
          }
        }
        admission.releaseLocked(r);
        state.changed.signalAll();
      } finally {
        state.lock.unlock();
      }
      r.set().unref();
    }
    if (garbageFound) {
      discardStats.persistQuietly(); // a hint: a failure is logged, the change stays pending
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
    state.lock.lock();
    try {
      return consecutiveFailures;
    } finally {
      state.lock.unlock();
    }
  }

  /**
   * Records a failure the compactors cannot get past: they stop, waits on the levels end, and
   * the listener given to {@link #start} moves the database to the failed state.
   */
  private void fail(Throwable cause) {
    if (state.recordFailure(cause)) {
      onFailure.accept(cause);
    }
  }

  /**
   * Stops the background compactors until the matching {@link #resume()}, waiting for the
   * running compactions to finish.
   *
   * @throws InterruptedException if interrupted while waiting (then no resume is due)
   */
  void pause() throws InterruptedException {
    state.lock.lock();
    try {
      state.paused++;
      state.changed.signalAll();
      while (state.running > 0) {
        try {
          state.changed.await();
        } catch (InterruptedException e) {
          state.paused--; // the caller's resume() will not run
          state.changed.signalAll();
          throw e;
        }
      }
    } finally {
      state.lock.unlock();
    }
  }

  /** Lets the background compactors run again after a {@link #pause()}. */
  void resume() {
    state.lock.lock();
    try {
      state.paused--;
      state.changed.signalAll();
    } finally {
      state.lock.unlock();
    }
  }

  /**
   * Waits for the compactor threads to end (the caller has begun closing), then for compactions
   * on user threads (cancelled by closing), then stops the sub-compaction threads. Not cut short
   * by an interrupt, which is kept: files must not be used after the directory lock goes.
   */
  void stop() {
    for (Thread t : compactors) {
      Uninterruptibles.join(t);
    }
    state.awaitNoneRunning(); // flatten or compactNow on a user thread: cancelled via closing
    if (subcompactions != null) {
      subcompactions.shutdownNow();
    }
  }

  /** Bytes of tables read by compactions. */
  long bytesRead() {
    return bytesRead.get();
  }

  /** Bytes of tables written by compactions. */
  long bytesWritten() {
    return bytesWritten.get();
  }

  /** Compactions done. */
  long count() {
    return count.get();
  }
}
