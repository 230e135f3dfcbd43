package dev.sett.kv.bench.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Sett's Kafka Streams store side by side with Kafka Streams' built-in RocksDB store: restore
 * throughput, a count topology through {@code TopologyTestDriver}, and peak resident memory with
 * many open stores under load. Each measurement of each store runs in a fresh child JVM ({@link
 * KafkaBenchChild}) with the same JVM flags and a fresh state directory (deleted after); the order
 * of the two stores alternates from one measurement to the next. Prints a table.
 *
 * <p>Run it with {@code ./sett bench-kafka [flags]}; {@code --help} lists the flags.
 */
public final class KafkaStoreBench {
  private static final String USAGE = """
      usage: ./sett bench-kafka [flags]    (sizes take k, m suffixes: 3m = 3,000,000)
        --measure LIST          restore,count,rss (default: all three)
        --stores LIST           sett,rocksdb (default: both)
        --rounds N              runs of each measurement per store, order alternating (1)
        --heap SIZE             each child JVM's -Xmx (2g)
        --jvm-arg ARG           another flag for every child JVM (repeatable), e.g.
                                -XX:StartFlightRecording=filename=x.jfr
        --dir DIR               where the state directories go (java.io.tmpdir); each is deleted
        --log-dir DIR           where children's logs go (DIR/logs)
        --sett-customizer CLASS a SettOptionsCustomizer for Sett's stores (sett.options.customizer)
        restore:  --restore-keys N (3m) --restore-overwrites N (500k) --batch N (1000)
                  --key-bytes N (20) --value-bytes N (100)
        count:    --count-records N (1m) --count-keys N (100k) --count-caching on,off (on,off)
        rss:      --rss-stores N (300) --rss-puts N (30m) --rss-keys-per-store N (100k)
                  --rss-commit-every N (10k)
        --smoke                 tiny sizes: every measurement in a few seconds
      """;

  private KafkaStoreBench() {}

  /**
   * Runs the side-by-side measurements and prints the table.
   *
   * @param args flags, see {@code --help}
   * @throws Exception when a child fails (its log is named)
   */
  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(USAGE);
      return;
    }
    run(Config.parse(args), System.out);
  }

  /** The flags. */
  static final class Config {
    List<String> measures = List.of("restore", "count", "rss");
    List<String> stores = List.of("sett", "rocksdb");
    int rounds = 1;
    String heap = "2g";
    List<String> jvmArgs = new ArrayList<>();
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    Path logDir;
    String settCustomizer;
    long restoreKeys = 3_000_000;
    long restoreOverwrites = 500_000;
    long batch = 1000;
    long keyBytes = 20;
    long valueBytes = 100;
    long countRecords = 1_000_000;
    long countKeys = 100_000;
    List<String> countCaching = List.of("on", "off");
    long rssStores = 300;
    long rssPuts = 30_000_000;
    long rssKeysPerStore = 100_000;
    long rssCommitEvery = 10_000;

    static Config parse(String[] args) {
      Config c = new Config();
      for (String a : args) {
        if (a.equals("--smoke")) {
          c.restoreKeys = 20_000;
          c.restoreOverwrites = 5_000;
          c.countRecords = 5_000;
          c.countKeys = 1_000;
          c.rssStores = 10;
          c.rssPuts = 20_000;
          c.rssKeysPerStore = 1_000;
          c.rssCommitEvery = 500;
          c.heap = "512m";
        }
      }
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--smoke")) {
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("flag " + a + " needs a value (--help lists them)");
        }
        String v = args[++i];
        switch (a) {
          case "--measure" -> c.measures = List.of(v.split(","));
          case "--stores" -> c.stores = List.of(v.split(","));
          case "--rounds" -> c.rounds = Integer.parseInt(v);
          case "--heap" -> c.heap = v;
          case "--jvm-arg" -> c.jvmArgs.add(v);
          case "--dir" -> c.dir = Path.of(v);
          case "--log-dir" -> c.logDir = Path.of(v);
          case "--sett-customizer" -> c.settCustomizer = v;
          case "--restore-keys" -> c.restoreKeys = parseCount(v);
          case "--restore-overwrites" -> c.restoreOverwrites = parseCount(v);
          case "--batch" -> c.batch = parseCount(v);
          case "--key-bytes" -> c.keyBytes = parseCount(v);
          case "--value-bytes" -> c.valueBytes = parseCount(v);
          case "--count-records" -> c.countRecords = parseCount(v);
          case "--count-keys" -> c.countKeys = parseCount(v);
          case "--count-caching" -> c.countCaching = List.of(v.split(","));
          case "--rss-stores" -> c.rssStores = parseCount(v);
          case "--rss-puts" -> c.rssPuts = parseCount(v);
          case "--rss-keys-per-store" -> c.rssKeysPerStore = parseCount(v);
          case "--rss-commit-every" -> c.rssCommitEvery = parseCount(v);
          default -> throw new IllegalArgumentException("unknown flag " + a
              + " (--help lists them)");
        }
      }
      for (String m : c.measures) {
        if (!List.of("restore", "count", "rss").contains(m)) {
          throw new IllegalArgumentException("unknown measurement " + m);
        }
      }
      c.stores.forEach(BenchStores::check);
      for (String m : c.countCaching) {
        if (!m.equals("on") && !m.equals("off")) {
          throw new IllegalArgumentException("--count-caching takes on, off or on,off");
        }
      }
      if (c.logDir == null) {
        c.logDir = c.dir.resolve("sett-bench-kafka-logs");
      }
      return c;
    }
  }

  /** One child's run: which measurement, which store, its fields. */
  record Outcome(String measure, String variant, String store, Map<String, String> fields) {
    double num(String name) {
      String v = fields.get(name);
      return v == null ? Double.NaN : Double.parseDouble(v);
    }
  }

  /**
   * Runs every measurement the configuration asks for and prints the table to {@code out}.
   *
   * @return the children's outcomes
   */
  static List<Outcome> run(Config c, PrintStream out) throws IOException {
    List<Outcome> results = new ArrayList<>();
    List<String> jvm = jvmFlags(c);
    out.println("# Kafka Streams state stores, side by side (dev.sett.kv.bench.kafka)");
    out.println("child JVM flags: " + String.join(" ", jvm) + "; Java "
        + System.getProperty("java.version") + "; " + Runtime.getRuntime().availableProcessors()
        + " CPUs; RocksDB (Kafka's store): rocksdbjni " + rocksVersion());
    int step = 0;
    for (int round = 0; round < c.rounds; round++) {
      for (String m : c.measures) {
        List<String> variants = m.equals("count") ? c.countCaching : List.of("");
        for (String variant : variants) {
          List<String> order = new ArrayList<>(c.stores);
          if (step++ % 2 == 1) {
            java.util.Collections.reverse(order);
          }
          for (String store : order) {
            Map<String, String> f = child(c, jvm, m, variant, store, round);
            Outcome o = new Outcome(m, variant, store, f);
            results.add(o);
            out.println("  " + m + (variant.isEmpty() ? "" : " caching " + variant) + " "
                + store + ": " + f);
          }
        }
      }
    }
    out.println();
    table(c, results, out);
    return results;
  }

  static List<String> jvmFlags(Config c) {
    List<String> jvm = new ArrayList<>();
    jvm.add("-Xmx" + c.heap);
    jvm.addAll(c.jvmArgs);
    return jvm;
  }

  private static Map<String, String> child(Config c, List<String> jvm, String measure,
      String variant, String store, int round) throws IOException {
    Files.createDirectories(c.dir);
    Path dir = Files.createTempDirectory(c.dir, "sett-bench-kafka-" + store + "-");
    Files.createDirectories(c.logDir);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path log = c.logDir.resolve(stamp + "-" + measure + (variant.isEmpty() ? "" : "-" + variant)
        + "-" + store + "-r" + round + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(KafkaBenchChild.class.getName());
    List<String> a = new ArrayList<>(List.of("--measure", measure, "--store", store, "--dir",
        dir.toString()));
    if (c.settCustomizer != null) {
      a.addAll(List.of("--sett-customizer", c.settCustomizer));
    }
    switch (measure) {
      case "restore" -> a.addAll(List.of("--keys", "" + c.restoreKeys, "--overwrites",
          "" + c.restoreOverwrites, "--batch", "" + c.batch, "--key-bytes", "" + c.keyBytes,
          "--value-bytes", "" + c.valueBytes));
      case "count" -> a.addAll(List.of("--records", "" + c.countRecords, "--keys",
          "" + c.countKeys, "--caching", "" + variant.equals("on")));
      case "rss" -> a.addAll(List.of("--stores", "" + c.rssStores, "--puts", "" + c.rssPuts,
          "--keys-per-store", "" + c.rssKeysPerStore, "--commit-every", "" + c.rssCommitEvery,
          "--key-bytes", "" + c.keyBytes, "--value-bytes", "" + c.valueBytes));
      default -> throw new IllegalArgumentException(measure);
    }
    cmd.addAll(a);
    Files.writeString(log, String.join(" ", cmd) + System.lineSeparator(),
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String result = null;
    String failure = null;
    try (BufferedReader r = new BufferedReader(
            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        var copy = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
            StandardOpenOption.APPEND)) {
      for (String line; (line = r.readLine()) != null; ) {
        copy.write(line + System.lineSeparator());
        if (line.startsWith(KafkaBenchChild.RESULT)) {
          result = line;
        } else if (failure == null && (line.startsWith("Exception in thread")
            || line.startsWith("Caused by:"))) {
          failure = line;
        }
      }
    }
    int code;
    try {
      code = p.waitFor();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      deleteTree(dir);
    }
    Map<String, String> f = new LinkedHashMap<>();
    if (result == null || code != 0) {
      // A store that cannot run a measurement is a result too: the table says so.
      f.put("failed", "exit code " + code + (failure == null ? "" : ": " + failure));
      f.put("log", log.toString());
      return f;
    }
    for (String kv : result.substring(KafkaBenchChild.RESULT.length()).trim().split(" ")) {
      int eq = kv.indexOf('=');
      f.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    f.put("log", log.toString());
    return f;
  }

  // ---------------------------------------------------------------- the table

  private static void table(Config c, List<Outcome> results, PrintStream out) {
    boolean both = c.stores.contains("sett") && c.stores.contains("rocksdb");
    out.println("| measurement | sett | rocksdb | sett/rocksdb |");
    out.println("|---|---:|---:|---:|");
    double restoreRatio = Double.NaN;
    double rssRatio = Double.NaN;
    if (c.measures.contains("restore")) {
      String what = String.format(Locale.ROOT, "restore %s records (%s keys + %s overwrites,"
          + " %d B keys, %d B values, batches of %d)", count(c.restoreKeys + c.restoreOverwrites),
          count(c.restoreKeys), count(c.restoreOverwrites), c.keyBytes, c.valueBytes, c.batch);
      restoreRatio = row(out, results, "restore", "", what + ": records/s",
          o -> o.num("records") / sec(o.num("nanos")), KafkaStoreBench::count);
      row(out, results, "restore", "", "restore: MB/s (key + value bytes)",
          o -> o.num("bytes") / 1e6 / sec(o.num("nanos")), v -> fmt("%.1f", v));
      row(out, results, "restore", "", "restore: seconds, first batch to closed",
          o -> sec(o.num("nanos")), v -> fmt("%.2f", v));
      row(out, results, "restore", "", "restore: of which commit + close, s",
          o -> sec(o.num("commitCloseNanos")), v -> fmt("%.2f", v));
      row(out, results, "restore", "", "restore: store on disk after close, MB",
          o -> o.num("diskBytes") / 1e6, v -> fmt("%.0f", v));
      row(out, results, "restore", "", "restore: peak RSS (changelog on heap), MiB",
          o -> o.num("peakRss") / (1 << 20), v -> fmt("%.0f", v));
    }
    if (c.measures.contains("count")) {
      for (String variant : c.countCaching) {
        row(out, results, "count", variant, String.format(Locale.ROOT,
            "count topology, %s records over %s keys, caching %s: records/s",
            count(c.countRecords), count(c.countKeys), variant),
            o -> o.num("records") / sec(o.num("nanos")), KafkaStoreBench::count);
      }
    }
    if (c.measures.contains("rss")) {
      String what = String.format(Locale.ROOT, "%d stores, %s puts round-robin (%d B values),"
          + " commit every %s per store", c.rssStores, count(c.rssPuts), c.valueBytes,
          count(c.rssCommitEvery));
      rssRatio = row(out, results, "rss", "", what + ": peak RSS (VmHWM), MiB",
          o -> o.num("peakRss") / (1 << 20), v -> fmt("%.0f", v));
      row(out, results, "rss", "", "same: RSS after opening the stores, MiB",
          o -> o.num("rssOpen") / (1 << 20), v -> fmt("%.0f", v));
      row(out, results, "rss", "", "same: RSS at the end of the load, MiB",
          o -> o.num("rssLoaded") / (1 << 20), v -> fmt("%.0f", v));
      row(out, results, "rss", "", "same: heap committed at the end, MiB (max " + c.heap + ")",
          o -> o.num("heapCommitted") / (1 << 20), v -> fmt("%.0f", v));
      row(out, results, "rss", "", "same: puts/s",
          o -> o.num("puts") / sec(o.num("nanos")), KafkaStoreBench::count);
      row(out, results, "rss", "", "same: threads at the end of the load (JVM + native)",
          o -> o.num("threads"), v -> fmt("%.0f", v));
      row(out, results, "rss", "", "same: on disk, MB",
          o -> o.num("diskBytes") / 1e6, v -> fmt("%.0f", v));
    }
    for (Outcome o : results) {
      if (o.fields().containsKey("failed")) {
        out.println();
        out.println("FAILED: " + o.measure() + (o.variant().isEmpty() ? "" : " caching "
            + o.variant()) + " " + o.store() + ": " + o.fields().get("failed") + " (log: "
            + o.fields().get("log") + ")");
      }
    }
    if (both) {
      out.println();
      if (!Double.isNaN(restoreRatio)) {
        out.println(fmt("goal: restore at least as fast as RocksDB: sett/rocksdb records/s = "
            + "%.2fx: ", restoreRatio) + (restoreRatio >= 1 ? "met" : "MISSED"));
      }
      if (!Double.isNaN(rssRatio)) {
        out.println("goal: peak RSS with " + c.rssStores + " stores at most half of RocksDB's:"
            + fmt(" sett/rocksdb = %.2fx: ", rssRatio) + (rssRatio <= 0.5 ? "met" : "MISSED"));
      } else if (c.measures.contains("rss")) {
        out.println("goal: peak RSS with " + c.rssStores + " stores at most half of RocksDB's:"
            + " no ratio, a run failed: MISSED");
      }
      if (Double.isNaN(restoreRatio) && c.measures.contains("restore")) {
        out.println("goal: restore at least as fast as RocksDB: no ratio, a run failed: MISSED");
      }
    }
  }

  /** Prints one row (the mean over rounds) and returns the sett/rocksdb ratio. */
  private static double row(PrintStream out, List<Outcome> results, String measure,
      String variant, String label, java.util.function.ToDoubleFunction<Outcome> value,
      java.util.function.DoubleFunction<String> format) {
    double sett = mean(results, measure, variant, "sett", value);
    double rocks = mean(results, measure, variant, "rocksdb", value);
    double ratio = sett / rocks;
    out.println("| " + label + " | " + cell(results, measure, variant, "sett", sett, format)
        + " | " + cell(results, measure, variant, "rocksdb", rocks, format) + " | "
        + (Double.isNaN(ratio) ? "" : fmt("%.2fx", ratio)) + " |");
    return ratio;
  }

  private static String cell(List<Outcome> results, String measure, String variant,
      String store, double v, java.util.function.DoubleFunction<String> format) {
    boolean failed = results.stream().anyMatch(o -> o.measure().equals(measure)
        && o.variant().equals(variant) && o.store().equals(store)
        && o.fields().containsKey("failed"));
    return failed ? "failed" : Double.isNaN(v) ? "" : format.apply(v);
  }

  private static double mean(List<Outcome> results, String measure, String variant,
      String store, java.util.function.ToDoubleFunction<Outcome> value) {
    return results.stream()
        .filter(o -> o.measure().equals(measure) && o.variant().equals(variant)
            && o.store().equals(store) && !o.fields().containsKey("failed"))
        .mapToDouble(value).average().orElse(Double.NaN);
  }

  private static double sec(double nanos) {
    return nanos / 1e9;
  }

  private static String fmt(String f, double v) {
    return String.format(Locale.ROOT, f, v);
  }

  private static String count(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  // ---------------------------------------------------------------- helpers

  /** A count with an optional k or m suffix ({@code 3m} is 3,000,000). */
  static long parseCount(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT).replace("_", "").replace(",", "");
    long mul = 1;
    if (t.endsWith("k")) {
      mul = 1_000;
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      mul = 1_000_000;
      t = t.substring(0, t.length() - 1);
    }
    return (long) (Double.parseDouble(t) * mul);
  }

  private static String rocksVersion() {
    try {
      org.rocksdb.RocksDB.loadLibrary();
      return org.rocksdb.RocksDB.rocksdbVersion().toString();
    } catch (Throwable t) { // the native library would load here
      return "unknown (" + t + ")";
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
