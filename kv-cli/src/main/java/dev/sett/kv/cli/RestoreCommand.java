package dev.sett.kv.cli;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.Db;
import dev.sett.kv.LoadResult;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code sett restore}: loads a backup file into a database (created if missing). */
@Command(
    name = "restore",
    header = "Load a backup file into a database.",
    mixinStandardHelpOptions = true,
    description = "Loads FILE, written by `sett backup`, into the database at --dir (created if"
        + " it does not exist) at the versions it was taken at. Restore a full backup, then"
        + " its incremental ones in order. Versions the database already holds at least as"
        + " new are skipped and counted. A damaged or truncated backup stops with an error"
        + " naming the offset; the batches loaded before it stay, and restoring an intact"
        + " copy completes them.")
final class RestoreCommand implements Callable<Integer> {
  @ParentCommand private SettCli root;

  @Mixin private StoreOptions store;

  @Parameters(index = "0", paramLabel = "FILE", description = "The backup to load.")
  private Path file;

  @Option(names = "--max-pending", paramLabel = "N",
      description = "Batches in flight before the load waits (default: ${DEFAULT-VALUE}).")
  private int maxPending = 256;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CliFailure("no backup file at " + file);
    }
    if (maxPending < 1) {
      throw new CliFailure("--max-pending must be at least 1, got " + maxPending);
    }
    long size = Math.max(1, Files.size(file));
    ProgressBar bar = new ProgressBar(root.err(), root.terminal(), "restore", size,
        System.nanoTime());
    LoadResult r;
    try (Db db = store.open(false, true);
        InputStream in = new BufferedInputStream(
            ProgressStreams.counting(Files.newInputStream(file), bar), 1 << 16)) {
      r = db.load(in, maxPending);
    } catch (CorruptionException e) {
      throw new CliFailure("the backup " + file + " is damaged or truncated at byte offset "
          + e.offset() + ": " + e.getMessage() + "; the batches loaded before it stay in the"
          + " database, and restoring an intact copy completes them");
    }
    bar.finish(size, System.nanoTime());
    root.out().println("restored " + file + ": " + r.records() + " record(s), " + r.loaded()
        + " written, " + r.skipped() + " skipped (versions above " + r.sinceTs() + " up to "
        + r.readTs() + ")");
    return 0;
  }
}
