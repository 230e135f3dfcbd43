package dev.sett.kv.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows on standard error which point of a sweep is running ({@code i/n name=value}), how long it
 * has run, and an estimate of the time left: the mean time of the points done so far times the
 * points still to run, less what the current one has already taken. Points differ (a small
 * threshold is slower than a large one), so this is a guide, not a promise; before the first point
 * ends there is nothing to estimate from.
 *
 * <p>On a terminal the line is redrawn in place about once a second; elsewhere one line is
 * printed when a point starts and one when it ends, as {@link ProgressBar} does for the phases.
 */
final class SweepProgress {
  private final PrintStream err;
  private final boolean terminal;
  private final int points;
  private long doneNanos;
  private int done;
  private int current;
  private String label = "";
  private long currentStartNanos;
  private int lastLength;

  /**
   * Creates the progress of a sweep.
   *
   * @param err the stream to write to
   * @param terminal {@code true} to redraw in place
   * @param points the number of points
   */
  SweepProgress(PrintStream err, boolean terminal, int points) {
    this.err = err;
    this.terminal = terminal;
    this.points = points;
  }

  /**
   * A point starts.
   *
   * @param index its index, from 1
   * @param what its setting, such as {@code valueThreshold=4k}
   * @param nowNanos {@link System#nanoTime()}
   */
  void start(int index, String what, long nowNanos) {
    current = index;
    label = what;
    currentStartNanos = nowNanos;
    if (terminal) {
      redraw(nowNanos);
    } else {
      err.println(line(nowNanos));
      err.flush();
    }
  }

  /**
   * Redraws the line on a terminal; called about once a second while a point runs.
   *
   * @param nowNanos {@link System#nanoTime()}
   */
  void tick(long nowNanos) {
    if (terminal) {
      redraw(nowNanos);
    }
  }

  /**
   * The current point ended.
   *
   * @param nowNanos {@link System#nanoTime()}
   */
  void finish(long nowNanos) {
    long took = nowNanos - currentStartNanos;
    doneNanos += took;
    done++;
    String end = String.format(Locale.ROOT, "sweep %d/%d %s done in %s%s", current, points,
        label, duration(took), done < points ? ", about " + duration(leftNanos(nowNanos, false))
            + " left" : "");
    if (terminal) {
      print(end);
      err.print('\n');
      lastLength = 0;
    } else {
      err.println(end);
    }
    err.flush();
  }

  /**
   * The estimated time left.
   *
   * @param nowNanos {@link System#nanoTime()}
   * @param running whether the current point is still running (its time so far is then deducted)
   * @return nanoseconds, or -1 before any point has ended
   */
  long leftNanos(long nowNanos, boolean running) {
    if (done == 0) {
      return -1;
    }
    long mean = doneNanos / done;
    long left = mean * (points - done);
    if (running) {
      left -= nowNanos - currentStartNanos;
    }
    return Math.max(0, left);
  }

  /**
   * The status line of the running point.
   *
   * @param nowNanos {@link System#nanoTime()}
   * @return for example {@code sweep 2/6 valueThreshold=1k: running 1m 05s, about 4m 20s left},
   *     or {@code starting} in place of the running time at the moment the point starts
   */
  String line(long nowNanos) {
    long left = leftNanos(nowNanos, true);
    long running = nowNanos - currentStartNanos;
    return String.format(Locale.ROOT, "sweep %d/%d %s: %s, %s", current, points, label,
        running == 0 ? "starting" : "running " + duration(running),
        left < 0 ? "time left known after the first point" : "about " + duration(left) + " left");
  }

  private void redraw(long nowNanos) {
    print(line(nowNanos));
    err.flush();
  }

  private void print(String line) {
    String pad = " ".repeat(Math.max(0, lastLength - line.length()));
    lastLength = line.length();
    err.print("\r" + line + pad);
  }

  /**
   * Formats a duration for people.
   *
   * @param nanos the duration
   * @return for example {@code 42s}, {@code 3m 05s} or {@code 2h 10m}
   */
  static String duration(long nanos) {
    long s = Math.round(nanos / 1e9);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
  }
}
