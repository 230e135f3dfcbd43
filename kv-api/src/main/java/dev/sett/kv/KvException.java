package dev.sett.kv;

/**
 * Root of Sett's operational failures: I/O, corruption, conflicts, oversized transactions and
 * fatal background errors. Bad input is an {@link IllegalArgumentException}; use after close is a
 * {@link DbClosedException}.
 */
public class KvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what failed, naming the file or key involved where there is one
   */
  public KvException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what failed
   * @param cause the underlying failure
   */
  public KvException(String message, Throwable cause) {
    super(message, cause);
  }
}
