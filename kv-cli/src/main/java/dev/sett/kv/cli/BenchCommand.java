package dev.sett.kv.cli;

import dev.sett.kv.Db;
import dev.sett.kv.Item;
import dev.sett.kv.Options;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.ValuePointer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sett bench}: loads random keys into a fresh database, reads every one back in random
 * order, verifies each value, and prints throughput and latency percentiles per phase.
 *
 * <p>The load phase times each {@code db.update} call (one put, or {@code --batch} puts in one
 * transaction): with a batch, the latency is that of a whole commit while ops/s counts entries.
 * A {@link dev.sett.kv.WriteBatch} is not used because its commits run behind the caller's back,
 * so there would be no per-operation latency to report. The read phase times each {@code db.view}
 * holding one {@code get} and copying the value out. Keys and values are made before the clock
 * starts, so the figures are the store's and not the generator's.
 *
 * <p>With {@code --threads N} the load phase runs on N threads at once, each committing its own
 * contiguous slice of the key indexes (the keys themselves are scattered, so no slice is a key
 * range): the same keys and values as with one thread, only committed concurrently, which is what
 * exercises the write path's group commit and its hand-over of the lead. Each thread times its
 * own commits into its own histogram ({@link PhaseRecorder.Lane}); they are merged at the end, so
 * the percentiles and the maximum are over every commit of every thread. The read phase stays on
 * one thread.
 */
@Command(
    name = "bench",
    header = "Load and read back a random workload; print throughput and latency.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Loads random keys into a fresh database, reads them all back in random order"
        + " verifying each value, and prints ops/s, MB/s and latency percentiles per phase."
        + " The directory's previous contents are deleted first. Progress goes to stderr, the"
        + " summary to stdout.")
final class BenchCommand implements Callable<Integer> {
  private static final long MAX_KEYS = 1_000_000_000L;
  private static final int MAX_THREADS = 1024;

  @Spec private CommandSpec spec;

  @ParentCommand private SettCli root;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Database directory; emptied first (default: ${DEFAULT-VALUE}).")
  private Path dir = Path.of("sett-data", "bench");

  @Option(
      names = "--keys",
      paramLabel = "N",
      converter = CountConverter.class,
      description = "Number of keys of 16 random bytes, e.g. 2000, 10k, 1m (default: 1m).")
  private long keys = 1_000_000;

  @Option(
      names = "--value-size",
      paramLabel = "BYTES",
      converter = ByteSizeConverter.class,
      description = "Bytes per value, e.g. 128, 1k (default: 128).")
  private long valueSize = 128;

  @Option(
      names = "--batch",
      paramLabel = "N",
      converter = CountConverter.class,
      description = "Puts per committed transaction (default: 1, single puts).")
  private long batch = 1;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads committing at once in the load phase, each its own slice of the keys"
          + " (default: ${DEFAULT-VALUE}).")
  private int threads = 1;

  @Option(names = "--sync", description = "Fsync every commit (syncWrites).")
  private boolean sync;

  @Option(
      names = "--mem-table",
      paramLabel = "NAME",
      description = "Memtable provider, e.g. skiplist or concurrent-skiplist (default: the"
          + " registry's default).")
  private String memTable;

  @Option(
      names = "--mem-table-size",
      paramLabel = "BYTES",
      converter = ByteSizeConverter.class,
      description = "Memtable size, e.g. 64m (default: 64 MiB).")
  private Long memTableSize;

  @Option(
      names = "--compaction",
      paramLabel = "NAME",
      description = "Compaction strategy, e.g. leveled or tiered (default: leveled).")
  private String compaction;

  @Option(
      names = "--value-threshold",
      paramLabel = "BYTES",
      converter = ByteSizeConverter.class,
      description = "Values of at least this size go to the value log, e.g. 1k (default: 1 MiB).")
  private Long valueThreshold;

  @Option(
      names = "--block-cache-size",
      paramLabel = "BYTES",
      converter = ByteSizeConverter.class,
      description = "Block cache budget, e.g. 256m (default: 256 MiB).")
  private Long blockCacheSize;

  @Option(
      names = "--settle-seconds",
      paramLabel = "S",
      description = "After the read phase, wait up to S seconds for compactions to bring every"
          + " level within its target before printing the levels (default: ${DEFAULT-VALUE}).")
  private int settleSeconds = 120;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      converter = SeedConverter.class,
      description = "Seed of keys, values and read order, e.g. 0x5eed (default: random, printed).")
  private Long seed;

  @Override
  public Integer call() throws IOException {
    Options options = options();
    checkWorkload(options);
    // Unseeded on purpose: runs differ unless asked not to, and the seed is printed to pin one.
    long runSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
    BenchWorkload workload = new BenchWorkload(runSeed, keys, (int) valueSize);

    int deleted = BenchDirectory.prepare(dir);
    BenchReport report = new BenchReport(root.out());
    printSettings(report, options, runSeed, deleted);
    root.out().flush(); // the settings belong on screen before the long wait, not after it

    PeakMemory memory = new PeakMemory();
    memory.sample();
    ReadBackCheck check = new ReadBackCheck();
    List<PhaseResult> phases = new ArrayList<>();
    long t0 = System.nanoTime();
    Db db = Db.open(options);
    long openNanos = System.nanoTime() - t0;
    LsmSummary lsm;
    try {
      phases.add(load(db, workload, memory));
      phases.add(read(db, workload, memory, check));
      lsm = LsmSummary.settle(db, settleSeconds, memory);
    } catch (RuntimeException e) {
      try {
        db.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    // Timed on its own, outside the phases: closing drains the write path and syncs the WAL.
    t0 = System.nanoTime();
    db.close();
    long closeNanos = System.nanoTime() - t0;

    printResults(report, phases, openNanos, closeNanos, check, memory);
    lsm.print(report);
    if (!check.passed()) {
      throw new CliFailure("read-back verification failed: " + check.failures()
          + " (seed " + SeedConverter.format(runSeed) + ")");
    }
    return 0;
  }

  private static void printResults(BenchReport report, List<PhaseResult> phases, long openNanos,
      long closeNanos, ReadBackCheck check, PeakMemory memory) {
    report.gap();
    report.phases(phases);
    report.gap();
    report.line("latency", "load: " + phases.get(0).latencyOf()
        + "; read: " + phases.get(1).latencyOf());
    report.line("open", BenchReport.seconds(openNanos));
    report.line("close", BenchReport.seconds(closeNanos)
        + " (drains writes, flushes the memtables)");
    report.line("verified", check.summary());
    long maxHeap = memory.maxHeap();
    report.line("heap", "peak used " + BenchReport.bytes(memory.peakHeapUsed())
        + " (sampled every 100 ms), max "
        + (maxHeap < 0 ? "unlimited" : BenchReport.bytes(maxHeap)));
    OptionalLong rss = PeakMemory.peakRss();
    report.line("rss", rss.isPresent()
        ? "peak " + BenchReport.bytes(rss.getAsLong()) + " (VmHWM)"
        : "n/a (no VmHWM in /proc/self/status)");
  }

  /** Builds the database options; an out-of-range value is a usage error, like a bad number. */
  private Options options() {
    try {
      Options.Builder b = Options.builder(dir).syncWrites(sync);
      if (memTable != null) {
        b.memTable(memTable);
      }
      if (memTableSize != null) {
        b.memTableSize(memTableSize);
      }
      if (compaction != null) {
        b.compactionStrategy(compaction);
      }
      if (blockCacheSize != null) {
        b.blockCacheSize(blockCacheSize);
      }
      if (valueThreshold != null) {
        if (valueThreshold > Options.DEFAULT_MAX_VALUE_THRESHOLD) {
          b.maxValueThreshold(valueThreshold);
        }
        b.valueThreshold(valueThreshold);
      }
      if (settleSeconds < 0) {
        throw new IllegalArgumentException("--settle-seconds must be at least 0, got "
            + settleSeconds);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /**
   * Rejects a workload that cannot run, before anything is deleted or written: a batch too big
   * for one commit would otherwise fail with TxnTooBigException after minutes of loading.
   */
  private void checkWorkload(Options options) {
    if (keys < 1 || keys > MAX_KEYS) {
      throw usage("--keys must be in [1, " + BenchReport.count(MAX_KEYS) + "], got " + keys);
    }
    if (valueSize > Integer.MAX_VALUE - 8) {
      throw usage("--value-size must be at most " + (Integer.MAX_VALUE - 8) + ", got " + valueSize);
    }
    if (batch < 1) {
      throw usage("--batch must be at least 1, got " + batch);
    }
    if (threads < 1 || threads > MAX_THREADS) {
      throw usage("--threads must be in [1, " + MAX_THREADS + "], got " + threads);
    }
    // An entry's footprint is bounded by key + value (or a pointer, for a value the value log
    // takes) + MAX_ENTRY_OVERHEAD: the rule commits obey.
    boolean separated = options.vlogPercentile() == 0 && valueSize >= options.valueThreshold();
    long perEntry = BenchWorkload.KEY_SIZE
        + (separated ? ValuePointer.ENCODED_LENGTH : valueSize) + MemTable.MAX_ENTRY_OVERHEAD;
    long fitBySize = options.maxBatchSize() / perEntry;
    long fit = Math.min(fitBySize, options.maxBatchCount());
    if (batch > fit) {
      throw usage(fit < 1
          ? "one entry of " + perEntry + " bytes (key, value and overhead) does not fit in a"
              + " commit of at most " + options.maxBatchSize() + " bytes; use a larger"
              + " --mem-table-size or a smaller --value-size"
          : "--batch " + batch + " does not fit in one commit: at most " + fit + " entries of "
              + perEntry + " bytes fit with a memtable of "
              + BenchReport.bytes(options.memTableSize()) + " (15% of it per commit)");
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private void printSettings(BenchReport report, Options options, long runSeed, int deleted) {
    String seedText = SeedConverter.format(runSeed);
    report.title("sett bench " + VersionProvider.projectVersion());
    report.line("keys", BenchReport.count(keys) + " random keys of " + BenchWorkload.KEY_SIZE
        + " B, seed " + seedText);
    report.line("values", valueSize + " B each, random bytes (incompressible), "
        + (valueSize >= options.valueThreshold() ? "in the value log" : "in the tree")
        + " (valueThreshold " + BenchReport.bytes(options.valueThreshold()) + ")");
    report.line("load", (batch == 1
        ? "single puts, one db.update each"
        : BenchReport.count(batch) + " puts per db.update")
        + (threads == 1 ? "" : ", " + threads + " threads committing at once (a slice each)"));
    report.line("read", "every key once in random order, db.view + get, value verified");
    report.line("sync",
        options.syncWrites() ? "syncWrites on (fsync per commit)" : "syncWrites off");
    report.line("memtable", (memTable == null ? "default provider" : memTable) + ", "
        + BenchReport.bytes(options.memTableSize()));
    report.line("dir", dir.toAbsolutePath().normalize() + (deleted == 0
        ? " (was empty)"
        : " (deleted " + deleted + " files of a previous run)"));
    report.line("java", Runtime.version() + ", " + System.getProperty("java.vm.name", "?"));
    report.line("os", System.getProperty("os.name", "?") + " "
        + System.getProperty("os.version", "") + " " + System.getProperty("os.arch", "") + ", "
        + Runtime.getRuntime().availableProcessors() + " CPUs");
    report.line("rerun", "sett bench " + rerunArgs(seedText));
  }

  /** The arguments of this run with the seed pinned, so the printed line reproduces the run. */
  private String rerunArgs(String seedText) {
    List<String> all = spec.commandLine().getParseResult().originalArgs();
    // The original arguments start at the root command; this command's follow its name (root
    // options take no values, so the first occurrence of the name is the command).
    List<String> args = new ArrayList<>(all.subList(all.indexOf(spec.name()) + 1, all.size()));
    for (int i = 0; i < args.size(); i++) { // drop a given seed, in either spelling
      if (args.get(i).equals("--seed") && i + 1 < args.size()) {
        args.remove(i + 1);
        args.remove(i--);
      } else if (args.get(i).startsWith("--seed=")) {
        args.remove(i--);
      }
    }
    args.add("--seed");
    args.add(seedText);
    StringBuilder line = new StringBuilder();
    for (String a : args) {
      line.append(line.length() == 0 ? "" : " ").append(shellQuoted(a));
    }
    return line.toString();
  }

  /** Quotes an argument for a POSIX shell when it holds anything but plain characters. */
  private static String shellQuoted(String arg) {
    if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_./:=@%+,-]+")) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  private PhaseResult load(Db db, BenchWorkload workload, PeakMemory memory) {
    int b = (int) batch;
    String latencyOf = (b == 1 ? "one db.update with 1 put" : "one db.update with " + b + " puts")
        + (threads == 1 ? "" : ", over " + threads + " threads");
    PhaseRecorder rec = new PhaseRecorder("load", latencyOf, keys,
        BenchWorkload.KEY_SIZE + valueSize, memory, root.err(), root.terminal());
    if (threads == 1) {
      loadSlice(db, workload, 0, keys, rec::record, () -> false);
    } else {
      loadConcurrently(db, workload, rec);
    }
    return rec.finish();
  }

  /**
   * Runs the load on {@code threads} threads, slice {@code t} being the key indexes [keys * t / n,
   * keys * (t + 1) / n), while this thread draws the progress. The first failure stops the other
   * threads (at their next commit) and is thrown here once they have all ended.
   */
  private void loadConcurrently(Db db, BenchWorkload workload, PhaseRecorder rec) {
    int n = threads;
    CountDownLatch ended = new CountDownLatch(n);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>(n);
    for (int t = 0; t < n; t++) {
      long from = keys * t / n; // keys <= 10^9 and n <= 1024: no overflow
      long to = keys * (t + 1) / n;
      workers.add(new Thread(() -> {
        try {
          loadSlice(db, workload, from, to, rec.newLane()::record, () -> failure.get() != null);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        } finally {
          ended.countDown();
        }
      }, "sett-bench-load-" + t));
    }
    workers.forEach(Thread::start);
    boolean interrupted = false;
    while (true) {
      try {
        if (ended.await(100, TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
        failure.compareAndSet(null, new CliFailure("interrupted during the load phase"));
      }
      rec.watch(System.nanoTime());
    }
    for (Thread w : workers) { // ended already; the join orders their histograms before finish
      while (true) {
        try {
          w.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable f = failure.get();
    if (f instanceof RuntimeException e) {
      throw e;
    } else if (f instanceof Error e) {
      throw e;
    } else if (f != null) {
      throw new IllegalStateException(f);
    }
  }

  /** Where a load slice records each timed commit: the recorder, or a thread's lane. */
  @FunctionalInterface
  private interface Timing {
    void record(long beginNanos, long endNanos, int ops);
  }

  /** Commits the keys of indexes [from, to), {@code --batch} per commit, until {@code stop}. */
  private void loadSlice(Db db, BenchWorkload workload, long from, long to, Timing timing,
      BooleanSupplier stop) {
    int b = (int) batch;
    // Reused for every commit: Txn.set copies key and value, so refilling them is safe.
    byte[][] ks = new byte[b][BenchWorkload.KEY_SIZE];
    byte[][] vs = new byte[b][(int) valueSize];
    for (long i = from; i < to && !stop.getAsBoolean(); i += b) {
      int n = (int) Math.min(b, to - i);
      for (int j = 0; j < n; j++) {
        workload.key(i + j, ks[j]);
        workload.value(i + j, vs[j]);
      }
      long begin = System.nanoTime();
      if (n == 1) {
        db.update(txn -> txn.set(ks[0], vs[0]));
      } else {
        db.update(txn -> {
          for (int j = 0; j < n; j++) {
            txn.set(ks[j], vs[j]);
          }
        });
      }
      timing.record(begin, System.nanoTime(), n);
    }
  }

  private PhaseResult read(Db db, BenchWorkload workload, PeakMemory memory, ReadBackCheck check) {
    int[] order = workload.readOrder(); // before the phase starts: shuffling is not reading
    PhaseRecorder rec = new PhaseRecorder("read", "one db.view with 1 get", keys,
        BenchWorkload.KEY_SIZE + valueSize, memory, root.err(), root.terminal());
    byte[] key = new byte[BenchWorkload.KEY_SIZE];
    byte[] expected = new byte[(int) valueSize];
    for (int i : order) {
      workload.key(i, key);
      long begin = System.nanoTime();
      byte[] actual = db.view(txn -> {
        Item item = txn.get(key);
        return item == null ? null : item.value();
      });
      rec.record(begin, System.nanoTime(), 1);
      workload.value(i, expected);
      check.accept(key, expected, actual);
    }
    return rec.finish();
  }
}
