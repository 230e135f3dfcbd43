package dev.sett.kv.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows how far a benchmark phase has come, on standard error so that standard output keeps only
 * the summary.
 *
 * <p>On a terminal the bar is redrawn in place with a carriage return, at most ten times a second:
 * redrawing on every operation would cost more than many operations do. Anywhere else (a log
 * file, CI, a test) a carriage return makes a mess, so one line is printed per tenth of the work
 * instead. {@link #update} is called after every operation with a time the caller already took,
 * so it costs a comparison or two when there is nothing to print.
 */
final class ProgressBar {
  private static final long REDRAW_INTERVAL_NANOS = 100_000_000L;
  private static final int BAR_WIDTH = 30;

  private final PrintStream err;
  private final boolean terminal;
  private final String label;
  private final long total;
  /** What is counted, for the rate: {@code ops} unless given. */
  private final String unit;
  private final long startNanos;
  private long nextRedrawNanos;
  private int nextTenth = 1;
  private int lastLength;

  /**
   * Creates the bar for a phase that starts now.
   *
   * @param err the stream to draw on
   * @param terminal {@code true} to redraw in place, {@code false} for a line per tenth
   * @param label the phase's name
   * @param total the number of operations the phase will do
   * @param startNanos {@link System#nanoTime()} at the start of the phase
   */
  ProgressBar(PrintStream err, boolean terminal, String label, long total, long startNanos) {
    this(err, terminal, label, total, startNanos, "ops");
  }

  /**
   * Creates the bar for a phase that counts something other than operations.
   *
   * @param err the stream to draw on
   * @param terminal {@code true} to redraw in place, {@code false} for a line per tenth
   * @param label the phase's name
   * @param total the amount of work, at least 1
   * @param startNanos {@link System#nanoTime()} at the start of the phase
   * @param unit what is counted, such as {@code bytes}, shown in the rate
   */
  ProgressBar(PrintStream err, boolean terminal, String label, long total, long startNanos,
      String unit) {
    this.unit = unit;
    this.err = err;
    this.terminal = terminal;
    this.label = label;
    this.total = total;
    this.startNanos = startNanos;
    this.nextRedrawNanos = startNanos;
  }

  /**
   * Reports progress.
   *
   * @param done operations finished so far
   * @param nowNanos {@link System#nanoTime()} at about the same moment
   */
  void update(long done, long nowNanos) {
    if (terminal) {
      if (nowNanos >= nextRedrawNanos || done == total) {
        nextRedrawNanos = nowNanos + REDRAW_INTERVAL_NANOS;
        redraw(done, nowNanos);
      }
    } else if (nextTenth <= 10 && done * 10 >= nextTenth * total) {
      // Several tenths may pass in one update (a large batch); print only the latest.
      int tenth = (int) Math.min(10, done * 10 / total);
      nextTenth = tenth + 1;
      err.printf(Locale.ROOT, "%s: %3d%%  %,d/%,d  %.1f s%n",
          label, tenth * 10, done, total, seconds(nowNanos));
    }
  }

  /**
   * Ends the bar: on a terminal, moves to a fresh line so the next output does not overwrite it.
   *
   * @param done operations finished
   * @param nowNanos {@link System#nanoTime()}
   */
  void finish(long done, long nowNanos) {
    if (terminal) {
      redraw(done, nowNanos);
      err.print('\n');
      err.flush();
    }
  }

  private void redraw(long done, long nowNanos) {
    int filled = (int) (BAR_WIDTH * done / total);
    double secs = seconds(nowNanos);
    String line = String.format(Locale.ROOT, "%s [%s%s] %3d%%  %,d/%,d  %,.0f %s/s",
        label, "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), 100 * done / total, done,
        total, secs > 0 ? done / secs : 0.0, unit);
    // Blank out what is left of a longer previous line.
    String pad = " ".repeat(Math.max(0, lastLength - line.length()));
    lastLength = line.length();
    err.print("\r" + line + pad);
    err.flush();
  }

  private double seconds(long nowNanos) {
    return (nowNanos - startNanos) / 1e9;
  }
}
