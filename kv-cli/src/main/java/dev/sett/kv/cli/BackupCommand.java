package dev.sett.kv.cli;

import dev.sett.kv.Db;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sett backup}: writes a backup of a database to a file, through a temporary file renamed
 * into place once complete, so a failed backup never leaves a file that looks like one.
 */
@Command(
    name = "backup",
    header = "Write a backup of a database to a file.",
    mixinStandardHelpOptions = true,
    description = "Writes every version above --since (all of them by default) to FILE in the"
        + " backup-v1 format (docs/formats/backup.md), from one snapshot, and prints the"
        + " timestamp to pass as --since for the next, incremental backup. FILE appears only"
        + " once the backup is complete. Restore it with `sett restore`.")
final class BackupCommand implements Callable<Integer> {
  @ParentCommand private SettCli root;

  @Mixin private StoreOptions store;

  @Parameters(index = "0", paramLabel = "FILE", description = "Where the backup goes.")
  private Path file;

  @Option(names = "--since", paramLabel = "TS",
      description = "Only versions above TS: what an earlier backup printed (default: 0, all).")
  private long since;

  @Override
  public Integer call() throws IOException {
    if (since < 0) {
      throw new CliFailure("--since must be at least 0, got " + since);
    }
    if (Files.isDirectory(file)) {
      throw new CliFailure(file + " is a directory; name the backup file to write");
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    long estimate = Math.max(1, directoryBytes(store.dir()));
    long started = System.nanoTime();
    ProgressBar bar = new ProgressBar(root.err(), root.terminal(), "backup", estimate, started);
    long ts;
    try (Db db = store.open(false, false)) {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
              StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          OutputStream out = new BufferedOutputStream(ProgressStreams.counting(
              java.nio.channels.Channels.newOutputStream(ch), bar, estimate), 1 << 16)) {
        ts = db.backup(out, since);
        out.flush();
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (RuntimeException | IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    bar.update(estimate, System.nanoTime()); // the estimate was only that: the backup is done
    bar.finish(estimate, System.nanoTime());
    root.out().println("wrote " + file + " (" + Files.size(file) + " bytes, versions above "
        + since + " up to " + ts + "); next incremental backup: --since " + ts);
    return 0;
  }

  /** The bytes of the database's files: what the bar measures against (an estimate). */
  private static long directoryBytes(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // deleted meanwhile
        }
      }).sum();
    }
  }
}
