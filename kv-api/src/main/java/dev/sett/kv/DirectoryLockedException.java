package dev.sett.kv;

/**
 * The database directory is already open, in this process or in another one. Sett takes an
 * exclusive lock on the directory's {@code LOCK} file for as long as a {@link Db} is open.
 */
public class DirectoryLockedException extends StorageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param file the lock file
   * @param message who holds the lock, when known
   */
  public DirectoryLockedException(String file, String message) {
    super(file, message, null);
  }
}
