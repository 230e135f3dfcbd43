package dev.sett.kv;

import java.util.Optional;

/** An I/O operation on the database's files failed; {@link #getCause()} holds the I/O error. */
public class StorageException extends KvException {
  private static final long serialVersionUID = 1L;

  private final String file;

  /**
   * Creates an exception for a failed operation on a file.
   *
   * @param file the file involved, or {@code null} when the failure concerns no single file
   * @param message what failed
   * @param cause the underlying I/O error, or {@code null}
   */
  public StorageException(String file, String message, Throwable cause) {
    super(file == null ? message : message + " [file " + file + "]", cause);
    this.file = file;
  }

  /**
   * The file the failure concerns.
   *
   * @return the file name, empty when the failure concerns no single file
   */
  public Optional<String> file() {
    return Optional.ofNullable(file);
  }
}
