package dev.sett.kv.cli;

import dev.sett.kv.Db;
import dev.sett.kv.Item;
import dev.sett.kv.Options;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.ValuePointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
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
 *
 * <p>With {@code --sweep NAME=V1,V2,...} the same run is made once per value of one database
 * option, each in a fresh JVM, and collected into a CSV file and plots ({@link BenchSweep}). A
 * point is an ordinary {@code bench} run given the value with {@code --option} and told with the
 * hidden {@code --result-file} where to write its figures as one line ({@link PointResult}).
 */
@Command(
    name = "bench",
    header = "Load and read back a random workload; print throughput and latency.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Loads random keys into a fresh database, reads them all back in random order"
        + " verifying each value, and prints ops/s, MB/s and latency percentiles per phase."
        + " The directory's previous contents are deleted first. Progress goes to stderr, the"
        + " summary to stdout.",
    footer = {
      "",
      "Sweeps: --sweep NAME=V1,V2,... --out DIR runs the bench once per value, each in a fresh JVM"
          + " (same java, JVM options and module path) and a fresh directory, with the same seed."
          + " DIR/results.csv has a row per point: sweep_name, sweep_value, sweep_value_numeric,"
          + " load_ops_per_s, load_mb_per_s, read_ops_per_s, read_mb_per_s, put_p50_us,"
          + " put_p99_us, put_p999_us, get_p50_us, get_p99_us, get_p999_us (per timed call),"
          + " write_amp (disk bytes written: WAL, tables, value log / key and value bytes),"
          + " space_amp (disk bytes after close / key and value bytes), lsm_write_amp (the tree's"
          + " own), user_bytes, disk_bytes_written, disk_bytes, value_log_bytes, peak_heap_bytes,"
          + " peak_rss_bytes, point_seconds; MB = 10^6 bytes. DIR/index.html shows the plots"
          + " (throughput.svg, write-amplification.svg, space-amplification.svg,"
          + " read-latency.svg).",
      "",
      "Example: sett bench --keys 1m --value-size uniform:128..64k --sweep"
          + " valueThreshold=64,1k,4k,16k,64k,1m --out sweep-vt --settle-seconds 0"
    })
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
      paramLabel = "SIZE",
      converter = ValueSizes.Converter.class,
      description = "Bytes per value, e.g. 128 or 16k, or sizes drawn per key from the seed,"
          + " uniform:MIN..MAX, e.g. uniform:128..64k (default: 128).")
  private ValueSizes valueSizes = ValueSizes.fixed(128);

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

  @Option(
      names = "--overwrites",
      paramLabel = "N",
      description = "After the load, write every key N more times (same values, new versions),"
          + " timed as an overwrite phase: the garbage that value log GC must reclaim"
          + " (default: ${DEFAULT-VALUE}).")
  private int overwrites;

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
      description = "Seed of keys, values, value sizes and read order, e.g. 0x5eed (default:"
          + " random, printed; a sweep uses one for every point).")
  private Long seed;

  @Option(
      names = "--option",
      paramLabel = "NAME=VALUE",
      converter = OptionSetting.Converter.class,
      completionCandidates = OptionSetters.Names.class,
      description = "Set any database option with a simple type by its Options name, e.g."
          + " baseTableSize=4m or numCompactors=2 (repeatable). NAME is one of:"
          + " ${COMPLETION-CANDIDATES}; compaction is short for compactionStrategy. Sizes take"
          + " k/m/g, durations ms/s/m/h.")
  private List<OptionSetting> extraOptions = new ArrayList<>();

  @Option(
      names = "--sweep",
      paramLabel = "NAME=V1,V2,...",
      converter = SweepSpec.Converter.class,
      description = "Run the bench once per value of one database option, each in a fresh JVM"
          + " and directory, e.g. valueThreshold=64,1k,4k,16k,64k,1m or"
          + " compaction=leveled,tiered or memTable=skiplist,concurrent-skiplist; NAME is any"
          + " name --option takes. Needs --out.")
  private SweepSpec sweep;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where a sweep writes results.csv, the SVG plots, index.html and each"
          + " point's output (new, empty, or an earlier sweep's).")
  private Path out;

  /** Set by a sweep's parent on each point: where to write the point's figures. */
  @Option(names = "--result-file", hidden = true)
  private Path resultFile;

  @Override
  public Integer call() throws IOException {
    List<OptionSetting> settings = settings();
    Options options = options(settings);
    checkWorkload(options);
    // Unseeded on purpose: runs differ unless asked not to, and the seed is printed to pin one.
    // A sweep draws one seed for all its points: they must differ only in the swept option.
    long runSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
    if (sweep != null) {
      return sweep(settings, runSeed);
    }
    if (out != null) {
      throw usage("--out is only used with --sweep");
    }
    BenchWorkload workload = new BenchWorkload(runSeed, keys, valueSizes);

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
      if (overwrites > 0) {
        phases.add(overwrite(db, workload, memory));
      }
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
    DiskFootprint disk = DiskFootprint.measure(lsm.stats(), dir, workload.userBytes(),
        workload.userBytes() * (1 + overwrites));

    printResults(report, phases, openNanos, closeNanos, check, memory);
    lsm.print(report);
    disk.print(report);
    if (!check.passed()) {
      throw new CliFailure("read-back verification failed: " + check.failures()
          + " (seed " + SeedConverter.format(runSeed) + ")");
    }
    if (resultFile != null) {
      PointResult result = PointResult.of(phases.get(0), phases.get(phases.size() - 1), disk,
          lsm.stats().writeAmplification(), memory.peakHeapUsed(), PeakMemory.peakRss());
      Files.writeString(resultFile, result.toLine() + "\n", StandardCharsets.UTF_8);
    }
    return 0;
  }

  /**
   * Checks every point of the sweep as this run's own options were checked, so that a value out
   * of range or a batch that does not fit fails before the first point runs; then runs them.
   */
  private int sweep(List<OptionSetting> settings, long runSeed) throws IOException {
    if (out == null) {
      throw usage("--sweep needs --out DIR, the directory for results.csv and the plots");
    }
    if (spec.commandLine().getParseResult().hasMatchedOption("--dir")) {
      throw usage("--dir is not used with --sweep: each point has its own database under --out");
    }
    if (resultFile != null) {
      throw usage("--result-file is not used with --sweep");
    }
    for (OptionSetting point : sweep.points()) {
      List<OptionSetting> all = new ArrayList<>(settings);
      all.add(point);
      try {
        checkWorkload(options(all));
      } catch (ParameterException e) {
        throw usage("--sweep " + point + ": " + e.getMessage());
      }
    }
    String seedText = SeedConverter.format(runSeed);
    CommandArgs args = CommandArgs.of(spec);
    List<String> child = new ArrayList<>(args.before());
    child.add(spec.name());
    child.addAll(args.ownWithout(Set.of("--sweep", "--out", "--dir", "--seed", "--result-file")));
    child.addAll(List.of("--seed", seedText));

    new BenchSweep(sweep, out, child, workloadSummary(settings, seedText),
        "sett bench " + rerunArgs(seedText), root.out(), root.err(), root.terminal()).run();
    return 0;
  }

  /** One line on what every point runs, for the sweep's report and the plots' subtitle. */
  private String workloadSummary(List<OptionSetting> settings, String seedText) {
    StringBuilder s = new StringBuilder(BenchReport.count(keys) + " keys, values "
        + valueSizes.describe() + ", "
        + (batch == 1 ? "single puts" : BenchReport.count(batch) + " puts per commit")
        + (threads == 1 ? "" : ", " + threads + " threads") + ", seed " + seedText);
    for (OptionSetting setting : settings) {
      s.append(", ").append(setting);
    }
    return s.toString();
  }

  private static void printResults(BenchReport report, List<PhaseResult> phases, long openNanos,
      long closeNanos, ReadBackCheck check, PeakMemory memory) {
    report.gap();
    report.phases(phases);
    report.gap();
    report.line("latency", "load: " + phases.get(0).latencyOf()
        + "; read: " + phases.get(phases.size() - 1).latencyOf());
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

  /**
   * The database options this run sets: the named options of this command that were given, then
   * each {@code --option}, in order. One option set twice is a usage error, whichever ways it was
   * given: a silent winner would measure something other than what was asked for.
   */
  private List<OptionSetting> settings() {
    List<OptionSetting> settings = new ArrayList<>();
    if (sync) {
      settings.add(OptionSetters.find("syncWrites").given(true, "--sync"));
    }
    named(settings, "memTable", memTable, "--mem-table");
    named(settings, "memTableSize", memTableSize, "--mem-table-size");
    named(settings, "compactionStrategy", compaction, "--compaction");
    named(settings, "valueThreshold", valueThreshold, "--value-threshold");
    named(settings, "blockCacheSize", blockCacheSize, "--block-cache-size");
    settings.addAll(extraOptions);
    return settings;
  }

  /** Adds a named option if given; a name (a provider) is checked against the registered ones. */
  private void named(List<OptionSetting> settings, String name, Object value, String option) {
    if (value == null) {
      return;
    }
    OptionSetter setter = OptionSetters.find(name);
    try {
      settings.add(value instanceof String text
          ? setter.setting(text, option)
          : setter.given(value, option));
    } catch (IllegalArgumentException e) {
      throw usage(option + ": " + e.getMessage());
    }
  }

  /** Builds the database options; an out-of-range value is a usage error, like a bad number. */
  private Options options(List<OptionSetting> settings) {
    Map<String, OptionSetting> seen = new HashMap<>();
    Options.Builder b = Options.builder(dir);
    for (OptionSetting s : settings) {
      OptionSetting earlier = seen.put(s.name(), s);
      if (earlier != null) {
        throw usage(s.name() + " is given twice: by " + earlier.givenBy() + " ("
            + earlier.text() + ") and by " + s.givenBy() + " (" + s.text() + ")");
      }
      try {
        s.apply(b);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    }
    if (settleSeconds < 0) {
      throw usage("--settle-seconds must be at least 0, got " + settleSeconds);
    }
    try {
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
    if (batch < 1) {
      throw usage("--batch must be at least 1, got " + batch);
    }
    if (threads < 1 || threads > MAX_THREADS) {
      throw usage("--threads must be in [1, " + MAX_THREADS + "], got " + threads);
    }
    if (overwrites < 0 || overwrites > 1000) {
      throw usage("--overwrites must be in [0, 1000], got " + overwrites);
    }
    // An entry's footprint is bounded by key + value (or a pointer, for a value the value log
    // takes) + MAX_ENTRY_OVERHEAD: the rule commits obey. The largest entry has the largest
    // value the tree keeps, or a pointer if every value is separated.
    long threshold = options.vlogPercentile() == 0 ? options.valueThreshold() : Long.MAX_VALUE;
    long inTree = valueSizes.min() < threshold ? Math.min(valueSizes.max(), threshold - 1) : 0;
    long largestValue = valueSizes.max() >= threshold
        ? Math.max(inTree, ValuePointer.ENCODED_LENGTH) : inTree;
    long perEntry = BenchWorkload.KEY_SIZE + largestValue + MemTable.MAX_ENTRY_OVERHEAD;
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
    String threshold = " (valueThreshold " + BenchReport.bytes(options.valueThreshold()) + ")";
    if (valueSizes.isFixed()) {
      int size = valueSizes.min();
      report.line("values", size + " B each, random bytes (incompressible), "
          + (size >= options.valueThreshold() ? "in the value log" : "in the tree") + threshold);
    } else {
      report.line("values", valueSizes.describe() + ", random bytes (incompressible), those of"
          + " at least the threshold in the value log" + threshold);
    }
    report.line("load", (batch == 1
        ? "single puts, one db.update each"
        : BenchReport.count(batch) + " puts per db.update")
        + (threads == 1 ? "" : ", " + threads + " threads committing at once (a slice each)"));
    report.line("read", "every key once in random order, db.view + get, value verified");
    report.line("sync",
        options.syncWrites() ? "syncWrites on (fsync per commit)" : "syncWrites off");
    report.line("memtable", (options.memTable() == null ? "default provider" : options.memTable())
        + ", " + BenchReport.bytes(options.memTableSize()));
    if (!extraOptions.isEmpty()) {
      report.line("options", String.join(", ",
          extraOptions.stream().map(OptionSetting::toString).toList()));
    }
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
    List<String> args = CommandArgs.of(spec).ownWithout(Set.of("--seed", "--result-file"));
    args.add("--seed");
    args.add(seedText);
    return CommandArgs.shellLine(args);
  }

  private PhaseResult load(Db db, BenchWorkload workload, PeakMemory memory) {
    int b = (int) batch;
    String latencyOf = (b == 1 ? "one db.update with 1 put" : "one db.update with " + b + " puts")
        + (threads == 1 ? "" : ", over " + threads + " threads");
    PhaseRecorder rec = new PhaseRecorder("load", latencyOf, keys, workload.userBytes(), memory,
        root.err(), root.terminal());
    if (threads == 1) {
      loadSlice(db, workload, 0, keys, rec::record, () -> false);
    } else {
      loadConcurrently(db, workload, rec);
    }
    return rec.finish();
  }

  /** Writes every key {@code --overwrites} more times, one thread, as the load does. */
  private PhaseResult overwrite(Db db, BenchWorkload workload, PeakMemory memory) {
    String latencyOf = batch == 1 ? "one db.update with 1 put"
        : "one db.update with " + batch + " puts";
    PhaseRecorder rec = new PhaseRecorder("overwrite", latencyOf, keys * overwrites,
        workload.userBytes() * overwrites, memory, root.err(), root.terminal());
    for (int pass = 0; pass < overwrites; pass++) {
      loadSlice(db, workload, 0, keys, rec::record, () -> false);
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
    // Reused for every commit: Txn.set copies key and value, so refilling them is safe. A value
    // array is replaced only when the next value has another length (never with a fixed size).
    byte[][] ks = new byte[b][BenchWorkload.KEY_SIZE];
    byte[][] vs = new byte[b][0];
    for (long i = from; i < to && !stop.getAsBoolean(); i += b) {
      int n = (int) Math.min(b, to - i);
      for (int j = 0; j < n; j++) {
        workload.key(i + j, ks[j]);
        vs[j] = sized(vs[j], workload.valueSize(i + j));
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
        workload.userBytes(), memory, root.err(), root.terminal());
    byte[] key = new byte[BenchWorkload.KEY_SIZE];
    byte[] expected = new byte[0];
    for (int i : order) {
      workload.key(i, key);
      long begin = System.nanoTime();
      byte[] actual = db.view(txn -> {
        Item item = txn.get(key);
        return item == null ? null : item.value();
      });
      rec.record(begin, System.nanoTime(), 1);
      expected = sized(expected, workload.valueSize(i));
      workload.value(i, expected);
      check.accept(key, expected, actual);
    }
    return rec.finish();
  }

  /** The array if it has this length, else a new one: values are handed over as whole arrays. */
  private static byte[] sized(byte[] array, int length) {
    return array.length == length ? array : new byte[length];
  }
}
