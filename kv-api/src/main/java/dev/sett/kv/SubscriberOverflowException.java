package dev.sett.kv;

/**
 * A subscription fell further behind the writers than its buffer allows and was ended, so that
 * writers never wait for a slow subscriber (Badger makes them wait). The changes it had not
 * received are dropped; subscribe again and catch up from a read, if needed.
 */
public class SubscriberOverflowException extends KvException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message how far behind the subscriber was
   */
  public SubscriberOverflowException(String message) {
    super(message);
  }
}
