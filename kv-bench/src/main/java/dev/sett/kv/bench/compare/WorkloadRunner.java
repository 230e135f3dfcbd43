package dev.sett.kv.bench.compare;

import dev.sett.kv.bench.peers.KvStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Runs a {@link Workload} against a {@link KvStore}: the load phase (every record, random order,
 * batches of 1000: setup, not compared) and the measured phase, timing every call.
 *
 * <p>Threads: the measured phase runs on {@link Workload#threads()} threads, each with its own
 * random source, histogram and counters, merged at the end; only YCSB's insert counter is shared
 * (an {@link AtomicLong}). Every operation stops at the deadline, and the result says so.
 */
final class WorkloadRunner {
  /** Entries per call when loading before a run. */
  static final int LOAD_BATCH = 1000;
  /** Entries read after each seek of {@code seekrandom}. */
  static final int SEEK_NEXTS = 10;
  /** The longest scan of YCSB E (YCSB's default {@code maxscanlength}). */
  static final int YCSB_MAX_SCAN = 100;

  private final Workload w;
  private final KeySpace space;
  private final long seed;
  private final long deadlineNanos;
  /** YCSB: records in the store (loaded, then inserted), shared by the workload's threads. */
  private final AtomicLong inserted;

  /**
   * Prepares a runner.
   *
   * @param w the workload
   * @param seed the seed of the key order, choices and values
   * @param maxSeconds the measured phase's time limit
   */
  WorkloadRunner(Workload w, long seed, long maxSeconds) {
    this.w = w;
    this.space = new KeySpace(seed);
    this.seed = seed;
    this.deadlineNanos = maxSeconds * 1_000_000_000L;
    this.inserted = new AtomicLong(w.records());
  }

  /** The key of record {@code i}: YCSB spreads records over the key space by a hash. */
  private byte[] key(long i) {
    return KeySpace.key(w.kind().isYcsb() ? KeySpace.mix(i) : i);
  }

  private byte[] value(long i, int round) {
    return space.value(i, round, w.sizes().pick(KeySpace.mix(i ^ seed)));
  }

  /**
   * Loads every record in random order, in batches of {@link #LOAD_BATCH}.
   *
   * @param store the store
   * @return the load's result
   */
  PhaseResult load(KvStore store) {
    return runThreads(1, (t, r) -> writeAll(store, t, r, permutation(), LOAD_BATCH));
  }

  /**
   * Runs the measured phase.
   *
   * @param store the store, loaded if the workload needs it
   * @return the result
   */
  PhaseResult run(KvStore store) {
    Workload.Kind k = w.kind();
    return switch (k) {
      case FILLSEQ -> runThreads(1, (t, r) -> writeAll(store, t, r, null, w.batch()));
      case FILLRANDOM -> runThreads(1, (t, r) -> writeAll(store, t, r, permutation(), w.batch()));
      case READSEQ, READREVERSE -> runThreads(1, (t, r) -> {
        long start = System.nanoTime();
        t.bytes += store.scan(null, w.records(), k == Workload.Kind.READREVERSE);
        t.latency.recordValue(System.nanoTime() - start);
        t.ops = w.records();
      });
      default -> runThreads(w.threads(), (t, r) -> operations(store, t, r));
    };
  }

  /** A random permutation of the record indexes (Fisher-Yates from the seed). */
  private int[] permutation() {
    int n = Math.toIntExact(w.records());
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int x = p[i];
      p[i] = p[j];
      p[j] = x;
    }
    return p;
  }

  private void writeAll(KvStore store, Tally t, SplittableRandom r, int[] order, int batch) {
    long n = w.records();
    byte[][] keys = new byte[batch][];
    byte[][] values = new byte[batch][];
    for (long done = 0; done < n && !t.pastDeadline(); ) {
      int m = (int) Math.min(batch, n - done);
      for (int j = 0; j < m; j++) {
        long i = order == null ? done + j : order[(int) (done + j)];
        keys[j] = key(i);
        values[j] = value(i, 0);
        t.bytes += keys[j].length + values[j].length;
      }
      long start = System.nanoTime();
      if (batch == 1) {
        store.put(keys[0], values[0]);
      } else {
        store.putBatch(keys, values, m);
      }
      t.latency.recordValue(System.nanoTime() - start);
      done += m;
      t.ops = done;
    }
  }

  /** The measured phase of every workload made of single operations. */
  private void operations(KvStore store, Tally t, SplittableRandom r) {
    long n = w.records();
    long ops = n / w.threads();
    if (w.kind() == Workload.Kind.SEEKRANDOM) {
      ops = Math.max(1, ops / SEEK_NEXTS); // as many entries read as readrandom reads
    }
    Zipfian zipf = new Zipfian(n, r);
    for (long op = 0; op < ops && !t.pastDeadline(); op++) {
      long start = System.nanoTime();
      switch (w.kind()) {
        case OVERWRITE -> write(store, t, r.nextLong(n), 1);
        case READRANDOM -> read(store, t, r.nextLong(n), true);
        case READMISSING -> {
          byte[] k = KeySpace.missingKey(r.nextLong(n));
          t.found += store.get(k) == null ? 0 : 1;
        }
        case SEEKRANDOM -> t.bytes += store.scan(key(r.nextLong(n)), SEEK_NEXTS, false);
        case MIXED -> {
          if (r.nextBoolean()) {
            read(store, t, r.nextLong(n), true);
          } else {
            write(store, t, r.nextLong(n), 1);
          }
        }
        default -> ycsb(store, t, r, zipf);
      }
      t.latency.recordValue(System.nanoTime() - start);
      t.ops = op + 1;
    }
  }

  private void ycsb(KvStore store, Tally t, SplittableRandom r, Zipfian zipf) {
    long count = inserted.get();
    double p = r.nextDouble();
    switch (w.kind()) {
      case YCSB_A -> readOrUpdate(store, t, pick(r, zipf, count), p < 0.5);
      case YCSB_B -> readOrUpdate(store, t, pick(r, zipf, count), p < 0.95);
      case YCSB_C -> read(store, t, pick(r, zipf, count), true);
      case YCSB_D -> {
        if (p < 0.95) {
          // YCSB's "latest": the newest records are the most popular.
          long back = w.zipfian() ? zipf.next(count) : r.nextLong(count);
          read(store, t, count - 1 - back, true);
        } else {
          write(store, t, inserted.getAndIncrement(), 0);
        }
      }
      case YCSB_E -> {
        if (p < 0.95) {
          t.bytes += store.scan(key(pick(r, zipf, count)), 1 + r.nextInt(YCSB_MAX_SCAN), false);
        } else {
          write(store, t, inserted.getAndIncrement(), 0);
        }
      }
      case YCSB_F -> {
        long i = pick(r, zipf, count);
        read(store, t, i, true);
        if (p >= 0.5) {
          write(store, t, i, 1); // read-modify-write: the read above, then the write
        }
      }
      default -> throw new IllegalStateException(w.kind().toString());
    }
  }

  private long pick(SplittableRandom r, Zipfian zipf, long count) {
    return w.zipfian() ? zipf.next(count) : r.nextLong(count);
  }

  private void readOrUpdate(KvStore store, Tally t, long i, boolean read) {
    if (read) {
      read(store, t, i, true);
    } else {
      write(store, t, i, 1);
    }
  }

  private void read(KvStore store, Tally t, long i, boolean shouldFind) {
    byte[] v = store.get(key(i));
    if (v != null) {
      t.found++;
      t.bytes += KeySpace.KEY_BYTES + v.length;
    }
    if (shouldFind) {
      t.expectedFound++;
    }
  }

  private void write(KvStore store, Tally t, long i, int round) {
    byte[] k = key(i);
    byte[] v = value(i, round);
    store.put(k, v);
    t.bytes += k.length + v.length;
  }

  /** One thread's counters; merged by {@link #runThreads}. */
  private final class Tally {
    final Histogram latency = new Histogram(3);
    final long startNanos = System.nanoTime();
    long ops;
    long bytes;
    long found;
    long expectedFound;
    boolean capped;

    boolean pastDeadline() {
      if (System.nanoTime() - startNanos > deadlineNanos) {
        capped = true;
      }
      return capped;
    }
  }

  private interface Body {
    void run(Tally t, SplittableRandom r) throws Exception;
  }

  private PhaseResult runThreads(int threads, Body body) {
    List<Tally> tallies = new ArrayList<>();
    long start = System.nanoTime();
    if (threads == 1) {
      Tally t = new Tally();
      tallies.add(t);
      try {
        body.run(t, new SplittableRandom(seed * 31 + 1));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          Tally t = new Tally();
          tallies.add(t);
          SplittableRandom r = new SplittableRandom(seed * 31 + 1 + i);
          futures.add(pool.submit(() -> {
            body.run(t, r);
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a workload thread failed: " + e.getCause(), e.getCause());
      } finally {
        pool.shutdownNow();
      }
    }
    long nanos = System.nanoTime() - start;
    Histogram all = new Histogram(3);
    long ops = 0;
    long bytes = 0;
    long found = 0;
    long expected = 0;
    boolean capped = false;
    for (Tally t : tallies) {
      all.add(t.latency);
      ops += t.ops;
      bytes += t.bytes;
      found += t.found;
      expected += t.expectedFound;
      capped |= t.capped;
    }
    return new PhaseResult(ops, bytes, nanos, all, found, expected, capped);
  }
}
