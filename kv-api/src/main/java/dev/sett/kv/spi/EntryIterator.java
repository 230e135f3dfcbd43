package dev.sett.kv.spi;

/**
 * A cursor over internal entries in internal order: user key ascending (unsigned
 * lexicographic), then version descending. Moving backwards visits the reverse order.
 *
 * <p>Contract: after any positioning call the iterator is either {@link #valid()} or exhausted;
 * the accessors may be called only while valid and return data the caller may keep (copies or
 * immutable arrays). An iterator sees at least every entry inserted before it was created; it may
 * see later ones. Not thread-safe; the source it iterates may be written concurrently.
 */
public interface EntryIterator extends AutoCloseable {

  /**
   * Whether the cursor is on an entry.
   *
   * @return {@code true} when the accessors may be called
   */
  boolean valid();

  /** Positions at the first entry. */
  void seekToFirst();

  /** Positions at the last entry. */
  void seekToLast();

  /**
   * Positions at the first entry at or after {@code (key, version)}: for an existing key, its
   * newest version at or below {@code version}, else the next key's newest version.
   *
   * @param key the user key
   * @param version the version; {@code Long.MAX_VALUE} for the newest
   */
  void seek(byte[] key, long version);

  /**
   * Positions at the last entry at or before {@code (key, version)}.
   *
   * @param key the user key
   * @param version the version; 0 to land after every version of {@code key}
   */
  void seekForPrev(byte[] key, long version);

  /** Moves to the next entry. */
  void next();

  /** Moves to the previous entry. */
  void prev();

  /**
   * The user key of the current entry.
   *
   * @return the key; the caller must not modify it
   */
  byte[] key();

  /**
   * The version of the current entry.
   *
   * @return the version
   */
  long version();

  /**
   * The current entry's value and metadata.
   *
   * @return the stored value
   */
  StoredValue value();

  /** Releases what the iterator holds. */
  @Override
  void close();
}
