package dev.sett.kv;

/**
 * A read-write transaction read a key that a transaction committed after its read timestamp has
 * written (serializable snapshot isolation). Nothing of the transaction was written; run it again.
 */
public class ConflictException extends KvException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which transaction conflicted
   */
  public ConflictException(String message) {
    super(message);
  }

  /**
   * Whether running the transaction again may succeed.
   *
   * @return always {@code true}
   */
  public boolean isRetryable() {
    return true;
  }
}
