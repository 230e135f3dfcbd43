package dev.sett.kv.cli;

import dev.sett.kv.io.NioStorage;
import dev.sett.kv.io.StorageLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Empties the directory a benchmark writes to, so that every run starts from nothing.
 *
 * <p>Deleting files on behalf of a command line flag is dangerous ({@code --dir ~} must not wipe a
 * home directory), so only an empty directory or one that looks like a Sett database (a flat
 * directory with a {@code MANIFEST} or {@code LOCK} file) is emptied. The database's own lock is
 * taken while deleting, so a database open in another process is never pulled from under it.
 */
final class BenchDirectory {
  private static final String LOCK = "LOCK";
  private static final String MANIFEST = "MANIFEST";

  private BenchDirectory() {}

  /**
   * Creates {@code dir} if needed and deletes what an earlier run left in it.
   *
   * @param dir the benchmark directory
   * @return how many files were deleted
   * @throws CliFailure if the directory holds something other than a Sett database
   * @throws dev.sett.kv.DirectoryLockedException if a database is open on it
   * @throws IOException if listing or deleting fails
   */
  static int prepare(Path dir) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new CliFailure(dir + " exists and is not a directory");
    }
    if (Files.isDirectory(dir)) {
      List<Path> entries;
      try (Stream<Path> s = Files.list(dir)) {
        entries = s.collect(Collectors.toList());
      }
      boolean flat = entries.stream().allMatch(Files::isRegularFile);
      boolean sett = entries.stream()
          .map(p -> p.getFileName().toString())
          .anyMatch(n -> n.equals(MANIFEST) || n.equals(LOCK));
      if (!entries.isEmpty() && !(flat && sett)) {
        throw new CliFailure("refusing to delete the contents of " + dir
            + ": it is not empty and does not look like a Sett database (no MANIFEST or LOCK"
            + " file, or it has subdirectories); choose a new or empty --dir");
      }
    }
    NioStorage storage = new NioStorage(dir);
    int deleted = 0;
    StorageLock lock = storage.lock(LOCK);
    try {
      for (String name : storage.list()) {
        if (!name.equals(LOCK)) { // the lock file is ours right now; the engine reuses it
          storage.delete(name);
          deleted++;
        }
      }
    } finally {
      lock.close();
    }
    return deleted;
  }

  /**
   * Deletes a benchmark database and its directory, with the same care as {@link #prepare}: a
   * directory that does not look like a Sett database is refused, not deleted.
   *
   * @param dir the database directory; nothing happens if it does not exist
   * @throws CliFailure if the directory holds something other than a Sett database
   * @throws IOException if deleting fails
   */
  static void remove(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    prepare(dir);
    Files.deleteIfExists(dir.resolve(LOCK));
    Files.delete(dir);
  }
}
