package dev.sett.kv;

/**
 * Writes many entries quickly: entries are gathered into transactions that are committed whenever
 * one is full, without waiting for each commit before filling the next. The batch as a whole is not
 * atomic; each of its commits is. Blind writes: a batch never conflicts.
 *
 * <pre>{@code
 * try (WriteBatch batch = db.newWriteBatch()) {
 *   for (...) batch.set(k, v);
 *   batch.flush();   // commits the rest and waits for every commit
 * }
 * }</pre>
 *
 * <p>Not thread-safe. The first failed commit is sticky: every later call throws it.
 */
public interface WriteBatch extends AutoCloseable {

  /**
   * Adds a set.
   *
   * @param key the key; copied
   * @param value the value; copied
   * @throws IllegalArgumentException if the key or value is out of bounds
   * @throws KvException if an earlier commit of this batch failed
   */
  void set(byte[] key, byte[] value);

  /**
   * Adds an entry with TTL and user meta.
   *
   * @param entry the entry
   * @throws IllegalArgumentException if the key or value is out of bounds
   * @throws KvException if an earlier commit of this batch failed
   */
  void setEntry(Entry entry);

  /**
   * Adds a delete.
   *
   * @param key the key
   * @throws IllegalArgumentException if the key is out of bounds
   * @throws KvException if an earlier commit of this batch failed
   */
  void delete(byte[] key);

  /**
   * Commits what is gathered and waits for every commit of the batch to be acknowledged.
   *
   * @throws KvException if a commit of this batch failed
   */
  void flush();

  /** Drops what is not yet committed and waits for commits in flight. Idempotent. */
  void cancel();

  /** Same as {@link #cancel()}: call {@link #flush()} first to keep the writes. */
  @Override
  void close();
}
