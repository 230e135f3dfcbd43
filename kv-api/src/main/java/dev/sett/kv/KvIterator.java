package dev.sett.kv;

/**
 * A cursor over the newest visible version of each key of a transaction's snapshot, in key order
 * (unsigned lexicographic) or in reverse. With {@link IteratorOptions#allVersions()} it visits
 * every version, tombstones and expired ones included.
 *
 * <pre>{@code
 * try (KvIterator it = txn.newIterator(IteratorOptions.builder().prefix(p).build())) {
 *   for (it.rewind(); it.valid(); it.next()) {
 *     Item item = it.item();
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #valid()} only says whether the cursor is positioned; failures throw. Not thread-safe.
 */
public interface KvIterator extends AutoCloseable {

  /** Positions at the first key (the last in reverse), within the prefix if there is one. */
  void rewind();

  /**
   * Positions at the first key at or after {@code key} (at or before it in reverse).
   *
   * @param key the key to seek to; an empty array means {@link #rewind()}
   */
  void seek(byte[] key);

  /**
   * Whether the iterator is positioned on an item (and within the prefix, if there is one).
   *
   * @return {@code true} when {@link #item()} may be called
   */
  boolean valid();

  /**
   * Whether the iterator is positioned on an item whose key starts with {@code prefix}.
   *
   * @param prefix the prefix
   * @return {@code true} when valid and the current key has the prefix
   */
  boolean validForPrefix(byte[] prefix);

  /** Moves to the next key (the previous one in reverse). */
  void next();

  /**
   * The current item, valid until the iterator moves.
   *
   * @return the item
   * @throws java.util.NoSuchElementException if the iterator is not {@link #valid()}
   */
  Item item();

  /** Releases what the iterator holds. Idempotent. */
  @Override
  void close();
}
