package dev.sett.kv;

/**
 * A transaction: a snapshot of the database at {@link #readTs()} plus the writes made in it, which
 * become visible to others atomically at {@link #commit()}.
 *
 * <p>Reads see the transaction's own writes first. A read-write transaction records the keys it
 * reads; {@link #commit()} fails with {@link ConflictException} if another transaction committed a
 * write to one of them after this one's snapshot (serializable snapshot isolation). Writes that
 * were never read (blind writes) never conflict.
 *
 * <p>Not thread-safe: use a transaction from one thread at a time. Always close it; {@code close}
 * discards it if it was not committed.
 */
public interface Txn extends AutoCloseable {

  /**
   * Reads the newest version of {@code key} visible to this transaction.
   *
   * @param key the key, 1 to 65,000 bytes
   * @return the item, or {@code null} when the key is absent, deleted or expired
   * @throws IllegalArgumentException if the key is empty or too long
   * @throws DbClosedException if the transaction or the database is closed
   */
  Item get(byte[] key);

  /**
   * Sets {@code key} to {@code value}.
   *
   * @param key the key, 1 to 65,000 bytes; copied
   * @param value the value, possibly empty; copied
   * @throws IllegalArgumentException if the key or value is out of bounds
   * @throws IllegalStateException if the transaction is read-only
   * @throws TxnTooBigException if the transaction would exceed the size of one commit
   * @throws DbClosedException if the transaction or the database is closed
   */
  void set(byte[] key, byte[] value);

  /**
   * Sets an entry with its TTL and user meta byte.
   *
   * @param entry the entry
   * @throws IllegalArgumentException if the key or value is out of bounds
   * @throws IllegalStateException if the transaction is read-only
   * @throws TxnTooBigException if the transaction would exceed the size of one commit
   * @throws DbClosedException if the transaction or the database is closed
   */
  void setEntry(Entry entry);

  /**
   * Deletes {@code key} (writes a tombstone).
   *
   * @param key the key, 1 to 65,000 bytes
   * @throws IllegalArgumentException if the key is out of bounds
   * @throws IllegalStateException if the transaction is read-only
   * @throws TxnTooBigException if the transaction would exceed the size of one commit
   * @throws DbClosedException if the transaction or the database is closed
   */
  void delete(byte[] key);

  /**
   * Creates an iterator over the transaction's snapshot merged with its own writes as they are
   * now (later writes in this transaction are not seen by it).
   *
   * @param options what to iterate and how
   * @return the iterator, positioned nowhere; call {@link KvIterator#rewind()} or {@link
   *     KvIterator#seek(byte[])}, and close it
   * @throws DbClosedException if the transaction or the database is closed
   */
  KvIterator newIterator(IteratorOptions options);

  /**
   * Creates an iterator over every version of one key visible to this transaction, newest first
   * (oldest first in reverse).
   *
   * @param key the key
   * @param options further options; {@code allVersions} is implied and {@code prefix} replaced
   * @return the iterator; close it
   * @throws DbClosedException if the transaction or the database is closed
   */
  KvIterator newKeyIterator(byte[] key, IteratorOptions options);

  /**
   * Commits the writes atomically and waits until they are durable as {@link
   * Options#syncWrites()} promises. A read-only transaction or one without writes commits
   * trivially. After a commit the transaction is finished.
   *
   * @throws ConflictException if a key this transaction read, or any key in a range one of its
   *     iterators covered (from where it was positioned to where it stopped, or to the end of its
   *     prefix once it ran out), was written by a transaction that committed after this one
   *     started
   * @throws DbFailedException if the database can no longer write
   * @throws DbClosedException if the transaction or the database is closed
   */
  void commit();

  /**
   * Commits the writes at {@code commitTs}, a version the caller chooses (managed mode, {@link
   * Options#managedTxns()}; Badger's {@code CommitAt}). Conflicts are detected as by {@link
   * #commit()}, against transactions committed at a timestamp above this one's read timestamp.
   * The caller keeps timestamps meaningful: a commit below a version already written is stored,
   * and readers at or above both see the higher one; writing a key twice at the same timestamp
   * leaves which write wins undefined.
   *
   * @param commitTs the version of every write, at least 1
   * @throws IllegalStateException if the database is not in managed mode
   * @throws IllegalArgumentException if {@code commitTs} is below 1
   * @throws ConflictException if a key this transaction read was written by a transaction that
   *     committed at a timestamp above its read timestamp
   * @throws DbFailedException if the database can no longer write
   * @throws DbClosedException if the transaction or the database is closed
   */
  void commitAt(long commitTs);

  /**
   * The timestamp of this transaction's snapshot: every commit with a version at or below it is
   * visible, none above.
   *
   * @return the read timestamp
   */
  long readTs();

  /**
   * Whether this transaction may write.
   *
   * @return {@code true} for a read-write transaction
   */
  boolean isUpdate();

  /** Discards the transaction unless it was committed. Idempotent; never throws. */
  @Override
  void close();
}
