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
}
