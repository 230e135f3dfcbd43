package dev.sett.kv.bench.compare;

import dev.sett.kv.cli.ValueSizes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./sett bench --compare rocksdb,lmdb}: runs each workload on Sett and the named peers
 * back to back (workloads outer, stores inner, so a drift in the machine's speed hits every store
 * of a row alike), each phase in a fresh JVM and a fresh directory, with the OS page cache dropped
 * before every run that follows a load; prints the ratio and detail tables and writes them with
 * CSV files into {@code --out}.
 */
@Command(name = "bench --compare", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measures Sett side by side with RocksDB and LMDB, each phase in a fresh JVM.")
public final class CompareCommand implements Callable<Integer> {
  @Option(names = "--compare", split = ",", required = true, paramLabel = "STORE",
      description = "The peers to run beside Sett: rocksdb, lmdb.")
  List<String> peers;

  @Option(names = "--workloads", split = ",", paramLabel = "ID",
      description = "Rows to run, by identifier (fillrandom-128) or prefix (ycsb-a, readrandom);"
          + " default: all. --list shows them. Selection is by the rows' default identifiers.")
  List<String> workloads = List.of();

  @Option(names = "--list", description = "List the rows and exit.")
  boolean list;

  @Option(names = "--scale", description = "Factor on the record counts (1M x 128 B, 500k x"
      + " 1 KiB, 100k x 16 KiB); default ${DEFAULT-VALUE}.")
  double scale = 1.0;

  @Option(names = "--records", description = "Records of every row (overrides --scale).")
  Long records;

  @Option(names = "--value-size", converter = ValueSizes.Converter.class,
      description = "Value sizes of every row: 128, 16k or uniform:MIN..MAX.")
  ValueSizes valueSizes;

  @Option(names = "--batch", description = "Entries per write call of every fill/overwrite row.")
  Integer batch;

  @Option(names = "--threads", description = "Threads of every row that is not a fill or scan.")
  Integer threads;

  @Option(names = "--sync", description = "fsync every write on every store (default: none).")
  boolean sync;

  @Option(names = "--option", paramLabel = "NAME=VALUE",
      description = "A Sett option (any Options.Builder setter), as bench --option takes it.")
  List<String> options = new ArrayList<>();

  @Option(names = "--max-seconds", description = "Time limit of each measured phase;"
      + " default ${DEFAULT-VALUE}.")
  long maxSeconds = 120;

  @Option(names = "--heap", description = "-Xmx of each measured JVM; default ${DEFAULT-VALUE}.")
  String heap = "2g";

  @Option(names = "--seed", description = "Seed of key orders, choices and values.")
  long seed = 42;

  @Option(names = "--dir", description = "Where the stores' data goes (each run's directory is"
      + " deleted after it); default ${DEFAULT-VALUE}.")
  Path dir = Path.of("sett-data", "compare", "data");

  @Option(names = "--out", description = "Where results.md, results.csv, ratios.csv and the"
      + " child JVMs' logs go; default ${DEFAULT-VALUE}.")
  Path out = Path.of("sett-data", "compare");

  @Spec CommandSpec spec;

  private final PrintStream console;

  /** A command printing to standard output. */
  public CompareCommand() {
    this(System.out);
  }

  CompareCommand(PrintStream console) {
    this.console = console;
  }

  /**
   * Runs the command line.
   *
   * @param args the arguments ({@code bench}, if first, is skipped: the {@code sett} script
   *     passes its whole command line)
   */
  public static void main(String[] args) {
    String[] a = args.length > 0 && args[0].equals("bench")
        ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
    System.exit(new CommandLine(new CompareCommand()).execute(a));
  }

  /**
   * The rows this command line selects.
   *
   * @return the rows, in suite order, with overrides applied
   */
  List<Workload> rows() {
    List<Workload> rows = new ArrayList<>();
    List<Workload> suite = Workload.suite(scale);
    // A token that names a row selects that row only; any other token selects by prefix.
    List<String> exact = suite.stream().map(Workload::id).filter(workloads::contains).toList();
    for (Workload w : suite) {
      boolean writes = !w.kind().needsLoad() || w.kind() == Workload.Kind.OVERWRITE;
      Workload o = new Workload(w.kind(), valueSizes != null ? valueSizes : w.sizes(),
          records != null ? records : w.records(),
          batch != null && writes ? batch : w.batch(),
          threads != null ? threads : w.threads(), w.zipfian());
      if (workloads.isEmpty() || workloads.stream().anyMatch(
          t -> w.id().equals(t) || !exact.contains(t) && w.id().startsWith(t + "-"))) {
        if (rows.stream().noneMatch(r -> r.id().equals(o.id()))) {
          rows.add(o);
        }
      }
    }
    if (rows.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--workloads " + workloads + " selects no row; --list shows them");
    }
    return rows;
  }

  @Override
  public Integer call() throws IOException {
    List<String> stores = new ArrayList<>(List.of("sett"));
    for (String p : peers) {
      if (!Stores.NAMES.contains(p) || p.equals("sett")) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--compare takes rocksdb and/or lmdb, not '" + p + "'");
      }
      if (!stores.contains(p)) {
        stores.add(p);
      }
    }
    List<Workload> rows = rows();
    if (list) {
      rows.forEach(r -> console.println(r.id() + "  (" + r.records() + " records)"));
      return 0;
    }
    String header = header(stores);
    console.println(header);
    CompareReport report = new CompareReport(stores, header);
    ChildLauncher launcher = new ChildLauncher(heap);
    for (Workload w : rows) {
      for (String store : stores) {
        report.add(runOne(launcher, w, store));
        report.write(out);
      }
    }
    console.println();
    console.println(report.ratioTable());
    console.println(report.detailTable());
    console.println("written: " + out.resolve("results.md") + ", results.csv, ratios.csv");
    return 0;
  }

  private StoreRun runOne(ChildLauncher launcher, Workload w, String store) throws IOException {
    Path data = dir.resolve(w.id() + "-" + store);
    deleteTree(data);
    Path log = out.resolve("logs").resolve(w.id() + "-" + store + ".log");
    Files.deleteIfExists(log);
    boolean cold = false;
    try {
      if (w.kind().needsLoad()) {
        launcher.run(childArgs(w, store, data, "load"), log);
        cold = PageCache.drop();
      }
      ChildLauncher.Outcome o = launcher.run(childArgs(w, store, data, "run"), log);
      StoreRun r = StoreRun.parse(w.id(), store, o.resultLine(), o.peakRssBytes(),
          spaceOf(data), cold);
      console.printf(Locale.ROOT, "%-28s %-8s %,12.0f ops/s  p99 %8.1f us  max %7.1f ms"
              + "  RSS %5.0f MiB%s%n", w.id(), store, r.opsPerSecond(), r.p99() / 1e3,
          r.max() / 1e6, r.peakRssBytes() / 1048576.0, r.lostReads() ? "  LOST READS" : "");
      return r;
    } finally {
      deleteTree(data);
    }
  }

  private List<String> childArgs(Workload w, String store, Path data, String phase) {
    List<String> a = new ArrayList<>(List.of("--store", store, "--dir", data.toString(),
        "--phase", phase, "--kind", w.kind().label, "--value-size", w.sizes().toString(),
        "--records", Long.toString(w.records()), "--batch", Integer.toString(w.batch()),
        "--threads", Integer.toString(w.threads()), "--zipfian", Boolean.toString(w.zipfian()),
        "--seed", Long.toString(seed), "--max-seconds", Long.toString(maxSeconds),
        "--sync", Boolean.toString(sync)));
    for (String o : options) {
      a.add("--option");
      a.add(o);
    }
    return a;
  }

  private String header(List<String> stores) {
    boolean canDrop = PageCache.drop();
    return String.format(Locale.ROOT, "# sett bench --compare %s%n%n"
            + "- date: %s%n- machine: %s, %d cores, %s memory; %s %s%n"
            + "- JVM: %s, -Xmx%s per measured JVM, one fresh JVM and directory per phase%n"
            + "- durability: %s%n- page cache: %s%n- sett options: %s; seed %d; time limit %d s"
            + " per phase%n- stores: %s",
        String.join(",", stores.subList(1, stores.size())), Instant.now(), cpuModel(),
        Runtime.getRuntime().availableProcessors(), memory(), System.getProperty("os.name"),
        System.getProperty("os.version"), System.getProperty("java.vm.name") + " "
            + System.getProperty("java.version"), heap,
        sync ? "fsync per write on every store" : "no fsync per write (each store's default)",
        canDrop ? "dropped before every run that follows a load (reads are cold)"
            : "NOT dropped (needs root on Linux): reads after a load may be warm",
        options.isEmpty() ? "defaults" : String.join(" ", options), seed, maxSeconds,
        String.join(", ", stores));
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
    } catch (IOException | UncheckedIOException e) {
      return System.getProperty("os.arch");
    }
  }

  private static String memory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return String.format(Locale.ROOT, "%.0f GiB", os.getTotalMemorySize() / 1073741824.0);
    }
    return "unknown";
  }

  /** The bytes of every file under {@code d} (their lengths). */
  static long spaceOf(Path d) throws IOException {
    if (!Files.exists(d)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(d)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    }
  }

  private static void deleteTree(Path d) throws IOException {
    if (!Files.exists(d)) {
      return;
    }
    try (Stream<Path> files = Files.walk(d)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
