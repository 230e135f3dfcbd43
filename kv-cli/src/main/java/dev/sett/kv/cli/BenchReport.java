package dev.sett.kv.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Prints the {@code bench} summary. The layout is meant to be pasted into {@code
 * docs/BENCHMARKS.md} inside a fenced block and compared across runs, so it is plain ASCII,
 * independent of the locale, and keeps the same lines and columns from run to run: a block of
 * settings, the phase table, a block of results.
 */
final class BenchReport {
  private final PrintStream out;

  /**
   * Creates a report.
   *
   * @param out the stream to print to
   */
  BenchReport(PrintStream out) {
    this.out = out;
  }

  /**
   * Prints a title line.
   *
   * @param title the title
   */
  void title(String title) {
    out.println(title);
  }

  /**
   * Prints a labelled line of the settings or results blocks.
   *
   * @param label a short label, at most ten characters
   * @param value the text
   */
  void line(String label, String value) {
    out.printf(Locale.ROOT, "  %-10s %s%n", label, value);
  }

  /** Prints an empty line between blocks. */
  void gap() {
    out.println();
  }

  /**
   * Prints the phase table: throughput and latency percentiles of each phase.
   *
   * @param phases the phases, in the order they ran
   */
  void phases(List<PhaseResult> phases) {
    TextTable table = new TextTable(
        "phase", "ops", "elapsed", "ops/s", "MB/s", "p50 us", "p99 us", "p999 us", "max us");
    for (PhaseResult p : phases) {
      table.row(
          p.name(),
          count(p.ops()),
          String.format(Locale.ROOT, "%.2f s", p.seconds()),
          count(Math.round(p.opsPerSecond())),
          String.format(Locale.ROOT, "%.2f", p.megabytesPerSecond()),
          micros(p.latencyMicros(50)),
          micros(p.latencyMicros(99)),
          micros(p.latencyMicros(99.9)),
          micros(p.maxLatencyMicros()));
    }
    table.print(out);
  }

  /**
   * Formats a count with thousands separators.
   *
   * @param n the count
   * @return for example {@code 1,000,000}
   */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /**
   * Formats a size in bytes with a binary unit.
   *
   * @param bytes the size
   * @return for example {@code 128 B}, {@code 64.0 KiB}, {@code 1.5 GiB}
   */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /**
   * Formats a duration.
   *
   * @param nanos the duration
   * @return seconds with two decimals, for example {@code 1.23 s}
   */
  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  private static String micros(double us) {
    return String.format(Locale.ROOT, "%,.1f", us);
  }
}
