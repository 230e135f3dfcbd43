package dev.sett.kv;

/**
 * One version of one key as a read found it. Items from {@link Txn#get(byte[])} stay valid; items
 * from an iterator are valid until the iterator moves.
 */
public interface Item {

  /**
   * The key.
   *
   * @return a copy of the key
   */
  byte[] key();

  /**
   * The version: the commit timestamp of the transaction that wrote this entry.
   *
   * @return the version, at least 1
   */
  long version();

  /**
   * The value.
   *
   * @return a copy of the value; empty for a tombstone
   * @throws StorageException if the value must be read from disk and that fails
   */
  byte[] value();

  /**
   * The length of the value in bytes, known without reading it.
   *
   * @return the value's length
   */
  int valueSize();

  /**
   * The application's meta byte, as set with {@link Entry#withUserMeta(byte)}.
   *
   * @return the user meta byte, 0 when never set
   */
  byte userMeta();

  /**
   * When the entry expires.
   *
   * @return Unix time in seconds, 0 when it never expires
   */
  long expiresAt();

  /**
   * Whether this version is a tombstone or has expired; such items appear only in iterators with
   * {@link IteratorOptions#allVersions()}.
   *
   * @return {@code true} for a deleted or expired version
   */
  boolean isDeletedOrExpired();

  /**
   * Whether this version is a tombstone: a delete, not a value (expired or not). Such items appear
   * only in iterators with {@link IteratorOptions#allVersions()}.
   *
   * @return {@code true} for a delete
   */
  boolean isDeleted();
}
