package dev.sett.kv.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side results: a Markdown ratio table (Sett's ops/s over each peer's, Sett's peak
 * memory and space over RocksDB's), a Markdown detail table per store, and the same numbers in
 * {@code results.csv} and {@code ratios.csv}. Rewritten after every row, so an interrupted run
 * keeps what it measured.
 */
final class CompareReport {
  private final List<String> stores;
  private final String header;
  private final Map<String, Map<String, StoreRun>> rows = new LinkedHashMap<>();

  /**
   * A report.
   *
   * @param stores the stores, Sett first
   * @param header lines printed above the tables: the command, machine and caveats
   */
  CompareReport(List<String> stores, String header) {
    this.stores = stores;
    this.header = header;
  }

  /**
   * Adds one store's run of a row.
   *
   * @param run the run
   */
  void add(StoreRun run) {
    rows.computeIfAbsent(run.row(), r -> new LinkedHashMap<>()).put(run.store(), run);
  }

  /**
   * The ratio table in Markdown.
   *
   * @return the table
   */
  String ratioTable() {
    StringBuilder s = new StringBuilder("| workload |");
    for (String st : stores) {
      s.append(' ').append(st).append(" ops/s |");
    }
    for (String peer : peers()) {
      s.append(" sett/").append(peer).append(" |");
    }
    s.append(" sett/best | sett RSS/rocksdb | sett space/rocksdb |\n|---|");
    s.append("---:|".repeat(stores.size() + peers().size() + 3)).append('\n');
    for (var e : rows.entrySet()) {
      Map<String, StoreRun> runs = e.getValue();
      StoreRun sett = runs.get("sett");
      s.append("| ").append(e.getKey()).append(" |");
      double best = 0;
      for (String st : stores) {
        StoreRun r = runs.get(st);
        s.append(' ').append(r == null ? "-" : String.format(Locale.ROOT, "%,.0f",
            r.opsPerSecond())).append(r != null && r.lostReads() ? " LOST" : "").append(" |");
        if (r != null && !st.equals("sett")) {
          best = Math.max(best, r.opsPerSecond());
        }
      }
      for (String peer : peers()) {
        StoreRun r = runs.get(peer);
        s.append(' ').append(ratio(sett == null ? 0 : sett.opsPerSecond(),
            r == null ? 0 : r.opsPerSecond())).append(" |");
      }
      s.append(' ').append(ratio(sett == null ? 0 : sett.opsPerSecond(), best)).append(" |");
      StoreRun rocks = runs.get("rocksdb");
      s.append(' ').append(sett == null || rocks == null ? "-"
          : ratio(sett.peakRssBytes(), rocks.peakRssBytes())).append(" |");
      s.append(' ').append(sett == null || rocks == null ? "-"
          : ratio(sett.spaceBytes(), rocks.spaceBytes())).append(" |\n");
    }
    return s.toString();
  }

  /**
   * The detail table in Markdown: per row and store, throughput, latency percentiles, peak
   * memory, space, and whether the run was cold or cut short.
   *
   * @return the table
   */
  String detailTable() {
    StringBuilder s = new StringBuilder("| workload | store | ops/s | MB/s | p50 us | p99 us"
        + " | p99.9 us | max ms | peak RSS MiB | space MiB | notes |\n"
        + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (var e : rows.entrySet()) {
      for (StoreRun r : e.getValue().values()) {
        s.append(String.format(Locale.ROOT,
            "| %s | %s | %,.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %.1f | %s |%n",
            r.row(), r.store(), r.opsPerSecond(), r.megabytesPerSecond(), r.p50() / 1e3,
            r.p99() / 1e3, r.p999() / 1e3, r.max() / 1e6,
            r.peakRssBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.0f",
                r.peakRssBytes() / 1048576.0),
            r.spaceBytes() / 1048576.0, notes(r)));
      }
    }
    return s.toString();
  }

  private static String notes(StoreRun r) {
    List<String> n = new ArrayList<>();
    if (r.cold()) {
      n.add("cold");
    }
    if (r.capped()) {
      n.add("time limit: " + r.ops() + " ops");
    }
    if (r.lostReads()) {
      n.add("LOST READS: found " + r.found() + " of " + r.expectedFound());
    }
    return String.join(", ", n);
  }

  private List<String> peers() {
    return stores.subList(1, stores.size());
  }

  private static String ratio(double a, double b) {
    return a <= 0 || b <= 0 ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
  }

  /**
   * Writes {@code results.md}, {@code results.csv} and {@code ratios.csv} into {@code out}.
   *
   * @param out the directory
   * @throws IOException if writing fails
   */
  void write(Path out) throws IOException {
    Files.createDirectories(out);
    Files.writeString(out.resolve("results.md"), header + "\n\n" + ratioTable() + "\n"
        + detailTable(), StandardCharsets.UTF_8);
    StringBuilder csv = new StringBuilder("workload,store,ops,seconds,ops_per_s,mb_per_s,"
        + "p50_us,p99_us,p999_us,max_ms,close_ms,peak_rss_bytes,space_bytes,cold,capped,found,"
        + "expected_found\n");
    StringBuilder ratios = new StringBuilder("workload,peer,ops_ratio,rss_ratio,space_ratio\n");
    for (var e : rows.entrySet()) {
      for (StoreRun r : e.getValue().values()) {
        csv.append(String.format(Locale.ROOT,
            "%s,%s,%d,%.3f,%.1f,%.2f,%.1f,%.1f,%.1f,%.2f,%.1f,%d,%d,%b,%b,%d,%d%n", r.row(),
            r.store(), r.ops(), r.nanos() / 1e9, r.opsPerSecond(), r.megabytesPerSecond(),
            r.p50() / 1e3, r.p99() / 1e3, r.p999() / 1e3, r.max() / 1e6, r.closeNanos() / 1e6,
            r.peakRssBytes(), r.spaceBytes(), r.cold(), r.capped(), r.found(),
            r.expectedFound()));
      }
      StoreRun sett = e.getValue().get("sett");
      for (String peer : peers()) {
        StoreRun p = e.getValue().get(peer);
        if (sett != null && p != null) {
          ratios.append(String.format(Locale.ROOT, "%s,%s,%.4f,%.4f,%.4f%n", e.getKey(), peer,
              sett.opsPerSecond() / Math.max(1e-9, p.opsPerSecond()),
              (double) sett.peakRssBytes() / Math.max(1, p.peakRssBytes()),
              (double) sett.spaceBytes() / Math.max(1, p.spaceBytes())));
        }
      }
    }
    Files.writeString(out.resolve("results.csv"), csv, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("ratios.csv"), ratios, StandardCharsets.UTF_8);
  }
}
