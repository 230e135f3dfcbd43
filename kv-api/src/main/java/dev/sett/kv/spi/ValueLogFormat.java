package dev.sett.kv.spi;

import dev.sett.kv.io.Storage;
import java.io.IOException;

/**
 * A value log format: append-only files holding values too large for the LSM tree (WiscKey).
 * Provided by {@code kv-vlog} ({@code vlog-v1}, see {@code docs/formats/vlog.md}). Providers are
 * stateless and thread-safe; each {@link #open} returns an independent log.
 */
public interface ValueLogFormat extends NamedProvider {

  /** The format used when none is named: {@value}. */
  String DEFAULT_NAME = "vlog-v1";

  /**
   * Opens the value log files in {@code storage}, creating the first file if there is none.
   * Checks every file's header (kind, format, database id, file id), deletes a newest file too
   * short for its header (a crash while it was being created), scans the newest file and cuts a
   * torn tail (unsynced bytes that are incomplete or fail their checksum). The caller holds the
   * database lock: nothing else writes these files.
   *
   * @param storage where the files live (the log uses only its own file names)
   * @param dbId the database's 16-byte id, written into and checked against every file header
   * @param maxFileSize the size a file is rotated at (see {@link ValueLog}); Badger's default is
   *     1 GiB - 1
   * @param maxEntries the number of records a file is rotated at; Badger's default is 1,000,000
   * @return the value log; close it
   * @throws IllegalArgumentException if a limit is out of the format's range or {@code dbId} is
   *     not 16 bytes
   * @throws dev.sett.kv.CorruptionException naming file and offset if a header is wrong, or a
   *     record is damaged that was synced (before the tail of the newest file)
   * @throws dev.sett.kv.UnsupportedFormatException if a file was written by another format or
   *     version
   * @throws IOException if the files cannot be read or written
   */
  ValueLog open(Storage storage, byte[] dbId, long maxFileSize, int maxEntries)
      throws IOException;

  /**
   * Opens (or creates) the value log as {@link #open(Storage, byte[], long, int)} does, syncing
   * the file being written in the background every {@code bytesPerSync} bytes when writes are not
   * synced one by one (see {@link dev.sett.kv.Options#bytesPerSync()}). The default ignores {@code
   * bytesPerSync}: a format that cannot sync in the background still keeps every durability
   * promise, only its fsync at rotation takes longer.
   *
   * @param storage the database's storage
   * @param dbId the database's 16-byte id
   * @param maxFileSize the size a file is rotated at
   * @param maxEntries the number of records a file is rotated at
   * @param bytesPerSync bytes between background syncs, 0 for none
   * @return the value log; close it
   * @throws IOException if the files cannot be read or written
   */
  default ValueLog open(Storage storage, byte[] dbId, long maxFileSize, int maxEntries,
      long bytesPerSync) throws IOException {
    return open(storage, dbId, maxFileSize, maxEntries);
  }

  /**
   * Checks one file of a value log that is not open, changing nothing: its header (kind, format,
   * database id, file id) and every record's checksum and framing. In the newest file a bad
   * record that no later sync mark covers is a torn tail that {@link #open} would cut; it is
   * reported like any other damage, with a detail that says so. The caller holds the database
   * lock. The default refuses: a format that cannot check its files says so.
   *
   * @param storage where the files live
   * @param dbId the database's 16-byte id
   * @param fileName the file, one of {@link #fileNames}
   * @param newest whether it is the newest file (the only one whose tail may be torn)
   * @return the number of records checked (sync marks included)
   * @throws dev.sett.kv.CorruptionException naming the file and the offset of the first damage
   * @throws dev.sett.kv.UnsupportedFormatException if another format or version wrote the file
   * @throws IOException if the file cannot be read
   * @throws UnsupportedOperationException if this format cannot check files
   */
  default long verifyFile(Storage storage, byte[] dbId, String fileName, boolean newest)
      throws IOException {
    throw new UnsupportedOperationException("value log format '" + name()
        + "' cannot check files");
  }

  /**
   * The names of this format's files in {@code storage}, oldest first.
   *
   * @param storage the database directory
   * @return the file names
   * @throws IOException if the directory cannot be listed
   * @throws UnsupportedOperationException if this format cannot check files
   */
  default java.util.List<String> fileNames(Storage storage) throws IOException {
    throw new UnsupportedOperationException("value log format '" + name()
        + "' cannot list its files");
  }
}
