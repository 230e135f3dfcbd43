package dev.sett.kv.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code results.csv}: a header, then one row per point of a sweep, in the order run.
 *
 * <p>Columns: {@code sweep_name} (the option, as the builder names it), {@code sweep_value} (as
 * given), {@code sweep_value_numeric} (the value as a number: bytes for sizes, seconds for
 * durations; empty for names and booleans), then the figures of {@link PointResult#COLUMNS}, whose
 * names carry their units ({@code _per_s}, {@code _us}, {@code _bytes}; {@code _mb_per_s} in 10^6
 * bytes; {@code _amp} a ratio), then {@code point_seconds}, the wall time of the point's JVM.
 * Commas between cells and LF at the end of lines (every CSV reader takes LF); a cell is quoted,
 * as RFC 4180 says, only when it holds a comma, a quote or a line break. Numbers have a point and
 * no grouping, whatever the locale; an unknown figure is an empty cell.
 */
final class ResultsCsv {
  private ResultsCsv() {}

  /**
   * The header row's cells.
   *
   * @return the column names, in order
   */
  static List<String> header() {
    List<String> h = new ArrayList<>(List.of("sweep_name", "sweep_value", "sweep_value_numeric"));
    PointResult.COLUMNS.forEach(c -> h.add(c.name()));
    h.add("point_seconds");
    return h;
  }

  /**
   * One point's row.
   *
   * @param p the point
   * @return the cells, in the order of {@link #header()}
   */
  static List<String> row(SweepPoint p) {
    double x = p.setting().number();
    List<String> r = new ArrayList<>(List.of(p.setting().name(), p.setting().text(),
        Double.isNaN(x) ? "" : plain(x)));
    PointResult.COLUMNS.forEach(c -> r.add(c.format(p.result())));
    r.add(String.format(Locale.ROOT, "%.1f", p.elapsedNanos() / 1e9));
    return r;
  }

  /**
   * Writes the file, replacing it whole ({@link WholeFileWriter}).
   *
   * @param file the file to write
   * @param points the points, in the order run
   * @throws IOException if writing fails
   */
  static void write(Path file, List<SweepPoint> points) throws IOException {
    StringBuilder text = new StringBuilder();
    appendLine(text, header());
    for (SweepPoint p : points) {
      appendLine(text, row(p));
    }
    WholeFileWriter.replace(file, text);
  }

  private static void appendLine(StringBuilder text, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      text.append(i == 0 ? "" : ",").append(quoted(cells.get(i)));
    }
    text.append('\n');
  }

  private static String quoted(String cell) {
    return cell.contains(",") || cell.contains("\"") || cell.contains("\n")
        ? "\"" + cell.replace("\"", "\"\"") + "\""
        : cell;
  }

  /** A number without a needless ".0": sizes and counts are whole. */
  private static String plain(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15
        ? Long.toString((long) x)
        : String.valueOf(x);
  }
}
