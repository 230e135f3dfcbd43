package dev.sett.kv;

/**
 * A transaction holds more entries or bytes than one commit may carry ({@link
 * Options#maxBatchCount()}, {@link Options#maxBatchSize()}). The write that would exceed the
 * limit was not added; commit what is there and continue in a new transaction, or use a {@link
 * WriteBatch}, which does that for you.
 */
public class TxnTooBigException extends KvException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the limit and the size reached
   */
  public TxnTooBigException(String message) {
    super(message);
  }
}
