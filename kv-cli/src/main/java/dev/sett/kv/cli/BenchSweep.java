package dev.sett.kv.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bench --sweep}: runs the same bench once per value of one database option, each point in
 * a fresh JVM ({@link ChildJvm}) and a fresh directory, and collects what the points measured into
 * {@code results.csv} ({@link ResultsCsv}) and SVG plots ({@link SweepCharts}).
 *
 * <p>Layout of the output directory: {@code results.csv}, {@code index.html} and the {@code .svg}
 * plots at the top; {@code points/NN-NAME-VALUE/} per point, holding the child's full bench
 * summary ({@code bench.txt}), its standard error ({@code stderr.txt}) and its result line ({@code
 * result.txt}). Each point's database is in its {@code db/} while it runs and is deleted once
 * measured, since a sweep of large runs would otherwise fill the disk; {@code bench.txt} keeps the
 * shape of its levels. The results and plots are rewritten after every point, so a sweep stopped
 * midway leaves the points it finished.
 *
 * <p>The points run one after the other, never two at once: they would compete for the cores,
 * the disk and the page cache, and measure each other.
 */
final class BenchSweep {
  private static final String RESULTS = "results.csv";
  private static final String POINTS = "points";

  private final SweepSpec sweep;
  private final Path out;
  private final List<String> childArgs;
  private final String subtitle;
  private final String rerun;
  private final PrintStream stdout;
  private final PrintStream err;
  private final boolean terminal;

  /**
   * Prepares a sweep.
   *
   * @param sweep the option and its values
   * @param out the output directory
   * @param childArgs the arguments of {@code sett} that every point runs (the {@code bench}
   *     command and its options, the seed pinned), to which each point adds its directory, its
   *     value and its result file
   * @param subtitle what every point runs, for the report and the plots
   * @param rerun the command that repeats the whole sweep (its seed pinned)
   * @param stdout where the summary goes
   * @param err where the progress goes
   * @param terminal whether {@code err} is a terminal
   */
  BenchSweep(SweepSpec sweep, Path out, List<String> childArgs, String subtitle, String rerun,
      PrintStream stdout, PrintStream err, boolean terminal) {
    this.sweep = sweep;
    this.out = out;
    this.childArgs = List.copyOf(childArgs);
    this.subtitle = subtitle;
    this.rerun = rerun;
    this.stdout = stdout;
    this.err = err;
    this.terminal = terminal;
  }

  /**
   * Prints the settings, runs every point, then prints the results.
   *
   * @throws IOException if the output directory cannot be written
   * @throws CliFailure if a point fails; the points before it are in the results
   */
  void run() throws IOException {
    prepareOut();
    BenchReport report = new BenchReport(stdout);
    printSettings(report);
    stdout.flush(); // the settings belong on screen before the long wait, not after it
    List<OptionSetting> points = sweep.points();
    List<SweepPoint> done = new ArrayList<>();
    SweepProgress progress = new SweepProgress(err, terminal, points.size());
    for (int i = 0; i < points.size(); i++) {
      OptionSetting point = points.get(i);
      Path dir = out.resolve(POINTS).resolve(dirName(i + 1, points.size(), point));
      Files.createDirectories(dir);
      Path result = dir.resolve("result.txt");
      Files.deleteIfExists(result);
      List<String> args = new ArrayList<>(childArgs);
      args.addAll(List.of("--dir", dir.resolve("db").toString(), "--option", point.toString(),
          "--result-file", result.toString()));
      long start = System.nanoTime();
      progress.start(i + 1, point.toString(), start);
      int exit = runChild(args, dir, progress);
      long elapsed = System.nanoTime() - start;
      progress.finish(System.nanoTime());
      if (exit != 0 || !Files.exists(result)) {
        throw new CliFailure(String.format(Locale.ROOT,
            "sweep point %d of %d (%s) failed with exit code %d: %s (its output is in %s;"
                + " %s and the plots hold the %d points before it)",
            i + 1, points.size(), point, exit, failureLine(dir.resolve("stderr.txt")), dir,
            out.resolve(RESULTS), done.size()));
      }
      done.add(new SweepPoint(point,
          PointResult.parse(Files.readString(result, StandardCharsets.UTF_8)), elapsed));
      BenchDirectory.remove(dir.resolve("db"));
      ResultsCsv.write(out.resolve(RESULTS), done);
      SweepCharts.write(out, sweep, done, subtitle);
    }
    printResults(report, done);
  }

  /**
   * Runs one child JVM to its end, redrawing the progress every second. Its standard output (the
   * bench summary) and standard error go to files in the point's directory.
   */
  private int runChild(List<String> settArgs, Path dir, SweepProgress progress)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(settArgs))
        .redirectOutput(dir.resolve("bench.txt").toFile())
        .redirectError(dir.resolve("stderr.txt").toFile());
    Process child = pb.start();
    // A parent stopped by a signal (Ctrl-C, kill) must not leave the point running on its own.
    Thread reaper = new Thread(child::destroyForcibly, "sett-sweep-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    try {
      while (!child.waitFor(1, TimeUnit.SECONDS)) {
        progress.tick(System.nanoTime());
      }
      return child.exitValue();
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CliFailure("interrupted while a sweep point ran");
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs anyway: nothing to undo.
      }
    }
  }

  /**
   * Makes the output directory, refusing one that holds anything but an earlier sweep's output:
   * its files are about to be replaced.
   */
  private void prepareOut() throws IOException {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new CliFailure(out + " exists and is not a directory");
    }
    if (Files.isDirectory(out)) {
      boolean empty;
      try (Stream<Path> s = Files.list(out)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty && !Files.exists(out.resolve(RESULTS))) {
        throw new CliFailure("refusing to write into " + out + ": it is not empty and holds no "
            + RESULTS + " of an earlier sweep; choose a new or empty --out");
      }
    }
    Files.createDirectories(out.resolve(POINTS));
  }

  /** A point's directory: its index, the option and the value, in characters safe in a path. */
  static String dirName(int index, int count, OptionSetting point) {
    int width = String.valueOf(count).length();
    return String.format(Locale.ROOT, "%0" + width + "d-%s-%s", index, point.name(),
        point.text().replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  /**
   * The line of a failed point's standard error that says what went wrong: the tool's own {@code
   * sett: error: ...} line, or else the first line of a stack trace (a JVM that could not start
   * prints one, and its last line is only "... 16 more"), or else the last line.
   */
  static String failureLine(List<String> stderr) {
    String own = null;
    String thrown = null;
    String last = "no message";
    for (String line : stderr) {
      if (line.isBlank()) {
        continue;
      }
      last = line.strip();
      if (line.startsWith("sett: ")) {
        own = last;
      } else if (thrown == null && !Character.isWhitespace(line.charAt(0))
          && (line.contains("Exception") || line.contains("Error"))) {
        thrown = last; // "Caused by: ..." lines come later: the first is the one thrown
      }
    }
    return own != null ? own : thrown != null ? thrown : last;
  }

  private static String failureLine(Path stderr) {
    try {
      return failureLine(Files.readAllLines(stderr, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return "no message (" + e.getMessage() + ")";
    }
  }

  private void printSettings(BenchReport report) {
    report.title("sett bench --sweep " + VersionProvider.projectVersion());
    report.line("sweep", sweep.name() + " = " + String.join(", ",
        sweep.points().stream().map(OptionSetting::text).toList()) + " (" + sweep.points().size()
        + " points, one after the other, each in a fresh JVM)");
    report.line("workload", subtitle);
    report.line("point", "sett " + CommandArgs.shellLine(childArgs) + " --dir "
        + out.resolve(POINTS) + "/.../db --option " + sweep.name() + "=...");
    report.line("out", out.toAbsolutePath().normalize().toString());
    report.line("java", Runtime.version() + ", " + System.getProperty("java.vm.name", "?"));
    report.line("rerun", rerun);
  }

  private void printResults(BenchReport report, List<SweepPoint> done) {
    report.gap();
    TextTable table = new TextTable(sweep.name(), "load ops/s", "read ops/s", "put p99 us",
        "get p99 us", "write amp", "space amp", "value log", "peak RSS", "seconds");
    for (SweepPoint p : done) {
      PointResult r = p.result();
      table.row(p.setting().text(),
          BenchReport.count(Math.round(r.loadOpsPerS())),
          BenchReport.count(Math.round(r.readOpsPerS())),
          String.format(Locale.ROOT, "%,.1f", r.putP99Us()),
          String.format(Locale.ROOT, "%,.1f", r.getP99Us()),
          String.format(Locale.ROOT, "%.2f", r.writeAmp()),
          String.format(Locale.ROOT, "%.2f", r.spaceAmp()),
          BenchReport.bytes((long) r.valueLogBytes()),
          Double.isNaN(r.peakRssBytes()) ? "n/a" : BenchReport.bytes((long) r.peakRssBytes()),
          String.format(Locale.ROOT, "%.1f", p.elapsedNanos() / 1e9));
    }
    table.print(stdout);
    report.gap();
    report.line("results", out.resolve(RESULTS).toString());
    report.line("plots", out.resolve("index.html") + " (open in a browser)");
    report.line("points", out.resolve(POINTS) + " (each point's bench summary and stderr)");
  }
}
