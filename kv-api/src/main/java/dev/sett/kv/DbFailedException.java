package dev.sett.kv;

/**
 * A write failed in a way that leaves the in-memory state unsure (for example the WAL could not be
 * written); the database refuses further writes until it is reopened. Reads keep working. The cause
 * is the first failure.
 */
public class DbFailedException extends KvException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param cause the first failure
   */
  public DbFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
