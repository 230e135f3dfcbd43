package dev.sett.kv.cli;

import static dev.sett.kv.cli.TextTable.count;

import dev.sett.kv.Db;
import dev.sett.kv.DbStats;
import dev.sett.kv.LevelStats;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sett flatten}: compacts every table of a database into one level ({@link
 * Db#flatten(int)}), showing on standard error how many bytes are still above that level.
 *
 * <p>Concurrency notes: the flatten runs on a thread of its own; this thread only waits for it,
 * a tenth of a second at a time, and reads {@link Db#stats()} between waits to draw the bar. The
 * database is shared, read-only from this side; the flatten's result (or failure) is handed over
 * through the future.
 */
@Command(
    name = "flatten",
    header = "Compact every table into one level.",
    mixinStandardHelpOptions = true,
    description = "Opens the database, merges level after level down until every table is in one"
        + " level (dropping deleted and overwritten data), and closes it. Progress, in bytes still"
        + " above that level, goes to standard error; the levels before and after to standard"
        + " output.")
final class FlattenCommand implements Callable<Integer> {
  /** How often the bar is redrawn while the flatten runs. */
  private static final long POLL_MILLIS = 100;

  @ParentCommand private SettCli root;

  @Spec private CommandSpec spec;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Database directory.")
  private Path dir;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Threads running the compactions (default: ${DEFAULT-VALUE}).")
  private int workers = 2;

  @Override
  public Integer call() throws InterruptedException {
    if (workers < 1) {
      throw new ParameterException(spec.commandLine(), "--workers must be at least 1, not "
          + workers);
    }
    PrintStream out = root.out();
    try (Db db = StoreOptions.open(dir, false, false)) {
      List<LevelStats> before = db.stats().levels();
      printLevels(out, "before", before);
      long total = remaining(before);
      if (total == 0) {
        out.println("already in one level");
        return 0;
      }
      long start = System.nanoTime();
      ProgressBar bar = new ProgressBar(root.err(), root.terminal(), "flatten", total, start,
          "bytes");
      CompletableFuture<Void> run = CompletableFuture.runAsync(() -> db.flatten(workers),
          r -> new Thread(r, "sett-cli-flatten").start());
      while (true) {
        try {
          run.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
          break;
        } catch (TimeoutException e) {
          bar.update(done(total, db.stats()), System.nanoTime());
        } catch (ExecutionException e) {
          throw unwrap(e);
        }
      }
      bar.update(total, System.nanoTime());
      bar.finish(total, System.nanoTime());
      printLevels(out, "after", db.stats().levels());
    }
    return 0;
  }

  private static long done(long total, DbStats now) {
    return Math.max(0, Math.min(total, total - remaining(now.levels())));
  }

  /**
   * Bytes not yet in the level the flatten ends in: every level above the deepest non-empty one
   * (the flatten merges down into it), or all of L0 when only L0 holds tables (then it moves
   * them to the last level).
   */
  static long remaining(List<LevelStats> levels) {
    int deepest = -1;
    for (LevelStats l : levels) {
      if (l.tables() > 0) {
        deepest = l.level();
      }
    }
    if (deepest < 0) {
      return 0;
    }
    if (deepest == 0) {
      return levels.get(0).bytes();
    }
    long above = 0;
    for (LevelStats l : levels) {
      if (l.level() < deepest) {
        above += l.bytes();
      }
    }
    return above;
  }

  private static void printLevels(PrintStream out, String when, List<LevelStats> levels) {
    out.println(when + ":");
    TextTable t = new TextTable("level", "tables", "bytes");
    for (LevelStats l : levels) {
      if (l.tables() > 0) {
        t.row("L" + l.level(), count(l.tables()), count(l.bytes()));
      }
    }
    t.print(out);
  }

  private static RuntimeException unwrap(ExecutionException e) {
    Throwable c = e.getCause();
    if (c instanceof RuntimeException r) {
      return r;
    }
    if (c instanceof Error err) {
      throw err;
    }
    return new IllegalStateException(c);
  }
}
