package dev.sett.kv.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.ToDoubleFunction;

/**
 * The figures of one {@code bench} run that a sweep collects: the child JVM of each point writes
 * them as one line ({@link #toLine()}) to the file its parent named with {@code --result-file},
 * and the parent reads them back ({@link #parse}) into a row of {@code results.csv}.
 *
 * <p>The line is {@code sett-point-v1} then {@code column=value} pairs separated by spaces, the
 * columns being those of {@code results.csv} ({@link #COLUMNS}), so one list of names serves the
 * hand-over and the file. Latencies are of one timed call (a {@code db.update} of {@code --batch}
 * puts, or a {@code db.view} with one get), in microseconds; MB are 10^6 bytes. A peak RSS that
 * the platform does not report is NaN, an empty cell.
 *
 * @param loadOpsPerS load phase, entries written per second
 * @param loadMbPerS load phase, MB of keys and values per second
 * @param readOpsPerS read phase, keys read per second
 * @param readMbPerS read phase, MB of keys and values per second
 * @param putP50Us median latency of a load call
 * @param putP99Us 99th percentile of a load call
 * @param putP999Us 99.9th percentile of a load call
 * @param getP50Us median latency of a get
 * @param getP99Us 99th percentile of a get
 * @param getP999Us 99.9th percentile of a get
 * @param writeAmp bytes written to disk (WAL, tables, value log) per user byte
 * @param spaceAmp bytes on disk after close per user byte
 * @param lsmWriteAmp the tree's own write amplification (table bytes flushed and compacted per
 *     byte flushed; 0 when nothing was flushed before close)
 * @param userBytes bytes of keys and values written
 * @param diskBytesWritten bytes written to disk
 * @param diskBytes bytes on disk after close
 * @param valueLogBytes bytes of the value log files after close
 * @param peakHeapBytes peak heap in use, sampled
 * @param peakRssBytes peak resident set size, or NaN where unknown
 */
record PointResult(
    double loadOpsPerS, double loadMbPerS, double readOpsPerS, double readMbPerS,
    double putP50Us, double putP99Us, double putP999Us,
    double getP50Us, double getP99Us, double getP999Us,
    double writeAmp, double spaceAmp, double lsmWriteAmp,
    double userBytes, double diskBytesWritten, double diskBytes, double valueLogBytes,
    double peakHeapBytes, double peakRssBytes) {

  /** The tag that starts a result line, with the version of its layout. */
  static final String LINE_TAG = "sett-point-v1";

  /** The columns, in the order of the record's components (which {@link #parse} relies on). */
  static final List<Column> COLUMNS = List.of(
      new Column("load_ops_per_s", PointResult::loadOpsPerS, 1),
      new Column("load_mb_per_s", PointResult::loadMbPerS, 3),
      new Column("read_ops_per_s", PointResult::readOpsPerS, 1),
      new Column("read_mb_per_s", PointResult::readMbPerS, 3),
      new Column("put_p50_us", PointResult::putP50Us, 1),
      new Column("put_p99_us", PointResult::putP99Us, 1),
      new Column("put_p999_us", PointResult::putP999Us, 1),
      new Column("get_p50_us", PointResult::getP50Us, 1),
      new Column("get_p99_us", PointResult::getP99Us, 1),
      new Column("get_p999_us", PointResult::getP999Us, 1),
      new Column("write_amp", PointResult::writeAmp, 4),
      new Column("space_amp", PointResult::spaceAmp, 4),
      new Column("lsm_write_amp", PointResult::lsmWriteAmp, 4),
      new Column("user_bytes", PointResult::userBytes, 0),
      new Column("disk_bytes_written", PointResult::diskBytesWritten, 0),
      new Column("disk_bytes", PointResult::diskBytes, 0),
      new Column("value_log_bytes", PointResult::valueLogBytes, 0),
      new Column("peak_heap_bytes", PointResult::peakHeapBytes, 0),
      new Column("peak_rss_bytes", PointResult::peakRssBytes, 0));

  /**
   * Gathers the figures of a finished run.
   *
   * @param load the load phase
   * @param read the read phase
   * @param disk what the run cost on disk
   * @param lsmWriteAmp the tree's write amplification
   * @param peakHeap peak heap in use
   * @param peakRss peak RSS, if known
   * @return the result
   */
  static PointResult of(PhaseResult load, PhaseResult read, DiskFootprint disk,
      double lsmWriteAmp, long peakHeap, OptionalLong peakRss) {
    return new PointResult(
        load.opsPerSecond(), load.megabytesPerSecond(),
        read.opsPerSecond(), read.megabytesPerSecond(),
        load.latencyMicros(50), load.latencyMicros(99), load.latencyMicros(99.9),
        read.latencyMicros(50), read.latencyMicros(99), read.latencyMicros(99.9),
        disk.writeAmplification(), disk.spaceAmplification(), lsmWriteAmp,
        disk.userBytes(), disk.bytesWritten(), disk.bytesOnDisk(), disk.valueLogBytes(),
        peakHeap, peakRss.isPresent() ? peakRss.getAsLong() : Double.NaN);
  }

  /**
   * The result as one line, for the parent of a sweep.
   *
   * @return {@code sett-point-v1 load_ops_per_s=... peak_rss_bytes=...}
   */
  String toLine() {
    StringBuilder line = new StringBuilder(LINE_TAG);
    for (Column c : COLUMNS) {
      line.append(' ').append(c.name()).append('=').append(c.format(this));
    }
    return line.toString();
  }

  /**
   * Reads a line written by {@link #toLine()}.
   *
   * @param line the line
   * @return the result
   * @throws IllegalArgumentException if the line is not a complete result
   */
  static PointResult parse(String line) {
    String[] parts = line.strip().split(" ");
    if (!parts[0].equals(LINE_TAG)) {
      throw new IllegalArgumentException("not a " + LINE_TAG + " line: " + line);
    }
    Map<String, String> cells = new HashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq > 0) {
        cells.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
      }
    }
    double[] v = new double[COLUMNS.size()];
    for (int i = 0; i < v.length; i++) {
      String cell = cells.get(COLUMNS.get(i).name());
      if (cell == null) {
        throw new IllegalArgumentException("no " + COLUMNS.get(i).name() + " in: " + line);
      }
      v[i] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
    }
    return new PointResult(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10],
        v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18]);
  }

  /**
   * One figure: its column name (units in the name) and how it is printed.
   *
   * @param name the column name, such as {@code load_ops_per_s}
   * @param getter reads the figure
   * @param decimals digits after the point
   */
  record Column(String name, ToDoubleFunction<PointResult> getter, int decimals) {

    /**
     * Prints the figure of a result: plain digits, a point for decimals, no grouping, empty for
     * an unknown figure (NaN).
     *
     * @param r the result
     * @return the text
     */
    String format(PointResult r) {
      double v = getter.applyAsDouble(r);
      return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
  }
}
