package dev.sett.kv;

/** The database, transaction, iterator or batch was used after it was closed or discarded. */
public class DbClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was used after close
   */
  public DbClosedException(String message) {
    super(message);
  }
}
