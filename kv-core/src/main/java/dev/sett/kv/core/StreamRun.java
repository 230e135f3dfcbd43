package dev.sett.kv.core;

import dev.sett.kv.DbClosedException;
import dev.sett.kv.KeyValue;
import dev.sett.kv.KvException;
import dev.sett.kv.StreamProgress;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.internal.Uninterruptibles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One run of a {@link SnapshotStream}: cuts the prefix into key ranges ({@link KeySplits}),
 * starts the workers ({@link StreamWorker}), and on the calling thread takes their batches
 * ({@link StreamBatches}) and calls the {@code send} hook and the progress listener.
 *
 * <p>Concurrency notes. Threads: the caller of {@code run()} (the sender) and the workers,
 * {@code sett-stream-N} daemon threads started and joined by this run. Who writes what: workers
 * add to {@code keysScanned} (a {@link LongAdder}) and may {@link #fail}; the sender alone counts
 * what was sent (plain fields) and may fail too. {@code failure} is set once, by whichever thread
 * fails first: that failure is what {@code run()} throws; later ones (often caused by the
 * cancellation itself) are dropped. Failing cancels the hand-off (waking every waiter) and
 * interrupts the workers, so a hook blocked in a worker gives way. Invariants: {@code run()}
 * returns or throws only after every worker has ended, each having closed its own transaction;
 * the snapshot transaction, registered with the oracle before the first worker starts and ended
 * after the last one stopped, keeps the read timestamp in the oracle's active reads for the
 * whole run, so compactions and value log garbage collection keep every version the workers may
 * still read (in managed mode the application's discard timestamp decides instead, as for any
 * managed read).
 */
final class StreamRun {
  private static final System.Logger LOG = System.getLogger(StreamRun.class.getName());
  /** Ranges per worker: more, smaller ranges even out workers whose ranges turn out dense. */
  private static final int RANGES_PER_THREAD = 4;
  private static final AtomicInteger THREAD_IDS = new AtomicInteger();

  private final SettDb db;
  private final SnapshotStream config;
  private final Transaction snapshot;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean cancelled;
  private final LongAdder keysScanned = new LongAdder();
  private final List<Thread> workers = new ArrayList<>();
  private StreamBatches batches;
  private long started;
  private long records;
  private long bytes;
  private long sent;

  /**
   * @param snapshot the read-only transaction whose read timestamp the run reads at; the run
   *     closes it
   */
  StreamRun(SettDb db, SnapshotStream config, Transaction snapshot) {
    this.db = db;
    this.config = config;
    this.snapshot = snapshot;
  }

  boolean cancelled() {
    return cancelled;
  }

  void keyScanned() {
    keysScanned.increment();
  }

  /** Records the first failure and cancels the run; later failures are dropped. */
  void fail(Throwable t) {
    if (!failure.compareAndSet(null, t)) {
      return;
    }
    cancelled = true;
    StreamBatches b = batches;
    if (b != null) {
      b.cancel();
    }
    synchronized (workers) {
      for (Thread w : workers) {
        if (w != Thread.currentThread()) {
          w.interrupt();
        }
      }
    }
  }

  StreamProgress run() {
    started = System.nanoTime();
    boolean interrupted = false;
    try {
      startWorkers();
      interrupted = sendAll();
    } catch (Throwable t) {
      fail(t);
    } finally {
      for (Thread w : workers) {
        Uninterruptibles.join(w);
      }
      snapshot.close();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable f = failure.get();
    if (f != null) {
      throw rethrown(f);
    }
    StreamProgress done = progress(true);
    report(done);
    return done;
  }

  private void startWorkers() {
    List<KeySplits.Range> ranges;
    try (var tables = db.tables()) {
      int wanted = config.threads * RANGES_PER_THREAD;
      ranges = KeySplits.split(config.prefix, tables.splitKeys(wanted), wanted);
    }
    int n = Math.min(config.threads, ranges.size());
    batches = new StreamBatches(n, n);
    ConcurrentLinkedQueue<KeySplits.Range> queue = new ConcurrentLinkedQueue<>(ranges);
    LOG.log(System.Logger.Level.INFO, () -> config.logPrefix + ": streaming "
        + (config.prefix.length == 0 ? "every key" : "prefix " + Keys.describe(config.prefix))
        + " at read timestamp " + snapshot.readTs() + " with " + n + " worker(s) over "
        + ranges.size() + " key range(s)");
    synchronized (workers) { // fail() may interrupt them from a worker that already runs
      for (int i = 0; i < n; i++) {
        Thread t = new Thread(new StreamWorker(this, db, snapshot.readTs(), config, queue,
            batches), "sett-stream-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        workers.add(t);
        t.start();
      }
    }
  }

  /**
   * Takes batches and sends them until the workers are done or the run is cancelled, reporting
   * progress every interval in between.
   *
   * @return whether the calling thread was interrupted (the run is then cancelled)
   * @throws Exception what {@code send} or the listener threw
   */
  private boolean sendAll() throws Exception {
    long interval = config.progressInterval.toNanos();
    long nextReport = started + interval;
    while (true) {
      List<KeyValue> batch;
      try {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        batch = batches.take(nextReport - System.nanoTime());
      } catch (InterruptedException e) {
        fail(new KvException(config.logPrefix + ": interrupted; the stream was cancelled", e));
        return true;
      }
      if (batch == StreamBatches.END) {
        return false;
      }
      if (batch != null) {
        try {
          config.send.send(batch);
        } catch (InterruptedException e) {
          fail(e);
          return true; // the hook's interrupt: the caller keeps its flag
        }
        records += batch.size();
        for (KeyValue kv : batch) {
          bytes += kv.sizeBytes();
        }
        sent++;
      }
      if (System.nanoTime() - nextReport >= 0) {
        report(progress(false));
        nextReport = System.nanoTime() + interval;
      }
      if (db.isClosed()) {
        throw new DbClosedException(config.logPrefix + ": the database was closed during the"
            + " stream");
      }
    }
  }

  private StreamProgress progress(boolean finished) {
    return new StreamProgress(snapshot.readTs(), keysScanned.sum(), records, bytes, sent,
        Duration.ofNanos(System.nanoTime() - started), finished);
  }

  private void report(StreamProgress p) {
    LOG.log(System.Logger.Level.INFO, () -> String.format("%s: %s%.1f s elapsed, %d keys"
        + " scanned (%.0f/s), sent %d records in %d batches, %d bytes (%.0f bytes/s)",
        config.logPrefix, p.finished() ? "done, " : "", p.elapsed().toMillis() / 1000.0,
        p.keysScanned(), p.keysPerSecond(), p.records(), p.batches(), p.bytes(),
        p.bytesPerSecond()));
    config.progress.accept(p);
  }

  /**
   * What {@code run()} throws for the first failure: a {@link DbClosedException} if the database
   * closed meanwhile (whatever the closing made fail), else the failure itself if unchecked, else
   * a {@link KvException} around it.
   */
  private RuntimeException rethrown(Throwable f) {
    if (db.isClosed() && !(f instanceof DbClosedException)) {
      DbClosedException closed = new DbClosedException(config.logPrefix + ": the database was"
          + " closed during the stream");
      closed.initCause(f);
      return closed;
    }
    if (f instanceof RuntimeException r) {
      return r;
    }
    if (f instanceof Error e) {
      throw e;
    }
    return new KvException(config.logPrefix + ": " + f, f);
  }
}
