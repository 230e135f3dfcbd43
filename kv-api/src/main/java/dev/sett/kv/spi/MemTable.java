package dev.sett.kv.spi;

/**
 * An in-memory sorted map of internal entries, the first place every write lands.
 *
 * <p>Contract: {@link #put} may be called by several threads at once and never blocks readers;
 * {@link #get} and iterators may run concurrently with puts and see every put that completed
 * before they started (a get is wait-free in the arena implementation). Entries are never removed;
 * a put of an existing {@code (key, version)} replaces its value. The memory a memtable takes is
 * bounded by the capacity given at creation; {@link #put} refuses an entry that does not fit
 * instead of growing.
 */
public interface MemTable {

  /**
   * Upper bound of the bytes an entry takes beyond its key and value, in every implementation:
   * {@code footprint(k, v) <= k + v + MAX_ENTRY_OVERHEAD}. Transaction size limits rely on it.
   */
  int MAX_ENTRY_OVERHEAD = 128;

  /**
   * Inserts one version of a key.
   *
   * @param key the user key (1 to 65,000 bytes); copied
   * @param version the version, at least 1
   * @param meta {@link EntryMeta} bits
   * @param userMeta the application's meta byte
   * @param expiresAt Unix seconds, 0 for never
   * @param value the value; copied
   * @return {@code false} if the entry does not fit in the remaining capacity (nothing inserted)
   */
  boolean put(byte[] key, long version, byte meta, byte userMeta, long expiresAt, byte[] value);

  /**
   * Finds the newest version of {@code key} at or below {@code readTs}.
   *
   * @param key the user key
   * @param readTs the read timestamp
   * @return that version, tombstones included, or {@code null} if there is none
   */
  StoredValue get(byte[] key, long readTs);

  /**
   * Creates a cursor over the entries.
   *
   * @return a new unpositioned iterator
   */
  EntryIterator iterator();

  /**
   * Bytes an entry with these sizes takes, at most.
   *
   * @param keyLength the user key length
   * @param valueLength the value length
   * @return bytes, at most {@code keyLength + valueLength + MAX_ENTRY_OVERHEAD}
   */
  long footprint(int keyLength, int valueLength);

  /**
   * Bytes in use.
   *
   * @return bytes taken by the entries so far
   */
  long sizeBytes();

  /**
   * Bytes this memtable may use in all.
   *
   * @return the capacity given at creation
   */
  long capacityBytes();

  /**
   * Number of entries.
   *
   * @return the count of inserted {@code (key, version)} pairs
   */
  long count();

  /**
   * Highest version inserted.
   *
   * @return the maximum version, 0 when empty
   */
  long maxVersion();

  /**
   * Called once, when the engine and every reader are done with this memtable (its reference
   * count reached zero): no call on it follows. An implementation may free or reuse its memory
   * here. The default does nothing and leaves the memory to the garbage collector.
   */
  default void release() {}

  /**
   * Called instead of {@link #release()}, under the same condition (the engine and every reader
   * are done with this memtable: no call on it follows), when the engine wants a new empty
   * memtable of the same capacity: returns one that reuses this memtable's memory, or {@code
   * null} if the implementation cannot, in which case the engine releases this one and creates
   * the next. Reuse saves allocating (and, for off-heap memory, zeroing and later freeing) a whole
   * arena at every rotation, and keeps the memory a database holds for memtables fixed.
   *
   * @return a new, empty memtable of {@link #capacityBytes()} sharing this one's memory, or
   *     {@code null}
   */
  default MemTable recycle() {
    return null;
  }
}
