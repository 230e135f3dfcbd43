package dev.sett.kv;

/**
 * A read or write of a key in a namespace banned with {@link Db#banNamespace} (Badger's {@code
 * ErrBannedKey}). Nothing was read or written; the transaction stays usable.
 */
public class BannedNamespaceException extends KvException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the key and its namespace
   */
  public BannedNamespaceException(String message) {
    super(message);
  }
}
