package dev.sett.kv.io;

import java.io.IOException;
import java.util.List;

/**
 * A flat directory of named files with the operations a log-structured store needs: write-once
 * files that are created, appended to, synced and published by atomic rename; positional reads;
 * directory sync; an exclusive lock.
 *
 * <p>Semantics the engine relies on (and {@code FaultyStorage} models): data appended is durable
 * only after {@link WritableFile#sync()}; a created, renamed or deleted name is durable only after
 * {@link #syncDirectory()}; {@link #rename} replaces the target atomically. Implementations are
 * thread-safe; each open file belongs to one thread at a time unless stated otherwise.
 *
 * <p>Interrupts: an interrupt of the calling thread may make that call throw, and leaves the
 * thread's interrupt flag set, but never closes a file or breaks anything for other threads or
 * later calls (see {@link ReadableFile}). {@link #syncDirectory()} and {@link #lock} do not fail
 * because the caller is interrupted: a database must not fail because an interrupted user thread
 * happened to rotate its WAL.
 */
public interface Storage {

  /**
   * Creates a new empty file for appending.
   *
   * @param name the file name (no separators)
   * @return the open file
   * @throws java.nio.file.FileAlreadyExistsException if the name exists
   * @throws IOException if the file cannot be created
   */
  WritableFile create(String name) throws IOException;

  /**
   * Opens an existing file for appending at its end (a WAL reused after replay).
   *
   * @param name the file name
   * @return the open file
   * @throws java.nio.file.NoSuchFileException if there is no such file
   * @throws IOException if the file cannot be opened
   */
  WritableFile openForAppend(String name) throws IOException;

  /**
   * Opens an existing file for positional reads.
   *
   * @param name the file name
   * @return the open file
   * @throws java.nio.file.NoSuchFileException if there is no such file
   * @throws IOException if the file cannot be opened
   */
  ReadableFile openRead(String name) throws IOException;

  /**
   * Whether a file exists.
   *
   * @param name the file name
   * @return {@code true} if it exists
   * @throws IOException if the directory cannot be read
   */
  boolean exists(String name) throws IOException;

  /**
   * Lists the file names, sorted.
   *
   * @return the names
   * @throws IOException if the directory cannot be read
   */
  List<String> list() throws IOException;

  /**
   * Renames a file, replacing {@code to} atomically if it exists.
   *
   * @param from the existing name
   * @param to the new name
   * @throws IOException if the rename fails
   */
  void rename(String from, String to) throws IOException;

  /**
   * Deletes a file if it exists.
   *
   * @param name the file name
   * @throws IOException if the delete fails
   */
  void delete(String name) throws IOException;

  /**
   * Makes creations, renames and deletions so far durable. Not affected by an interrupt of the
   * calling thread, whose interrupt flag it leaves as it found it (or set, if one arrived).
   *
   * @throws IOException if the sync fails
   */
  void syncDirectory() throws IOException;

  /**
   * Takes the exclusive lock that guards a database directory against a second opener, in this
   * or another process.
   *
   * @param name the lock file's name
   * @return the held lock; close it to release
   * @throws dev.sett.kv.DirectoryLockedException if the lock is held
   * @throws IOException if the lock file cannot be used
   */
  StorageLock lock(String name) throws IOException;

  /**
   * Takes the shared lock of read-only opens: any number of them may hold it at once, in this or
   * other processes, while the exclusive {@link #lock} is not held (and it cannot be taken while
   * they are). It never creates or writes the lock file.
   *
   * @param name the lock file's name
   * @return the held lock; close it to release
   * @throws dev.sett.kv.DirectoryLockedException if the exclusive lock is held
   * @throws java.nio.file.NoSuchFileException if the lock file does not exist
   * @throws IOException if the lock file cannot be used
   * @throws UnsupportedOperationException if this storage has no shared locks (the default)
   */
  default StorageLock lockShared(String name) throws IOException {
    throw new UnsupportedOperationException(describe() + " cannot be opened read-only (no"
        + " shared lock)");
  }

  /**
   * Whether this is a read-only view ({@link ReadOnlyStorage}): creating, appending, renaming
   * and deleting fail, so what reads a directory at open skips the repairs it would otherwise
   * make (cutting torn tails, deleting leftovers, creating the next file).
   *
   * @return {@code false} by default
   */
  default boolean readOnly() {
    return false;
  }

  /**
   * A description for messages, such as the directory path.
   *
   * @return the description
   */
  String describe();
}
