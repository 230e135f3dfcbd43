package dev.sett.kv.spi;

/**
 * A bounded cache of table blocks, weighed in bytes. Thread-safe; a miss is never an error. The
 * engine keeps two: one for decompressed data blocks and one, with its own budget, for each
 * table's index and bloom filter (under the reserved block indexes {@link #INDEX_BLOCK} and
 * {@link #BLOOM_BLOCK}), so memory stays bounded however many tables exist.
 */
public interface BlockCache {

  /** The block index under which a table's index is cached. */
  int INDEX_BLOCK = -1;
  /** The block index under which a table's bloom filter is cached. */
  int BLOOM_BLOCK = -2;

  /**
   * Looks a block up.
   *
   * @param tableId the table's file id
   * @param blockIndex the block's index in the table
   * @return the block's bytes, which the caller must not modify, or {@code null}
   */
  byte[] get(long tableId, int blockIndex);

  /**
   * Offers a block to the cache.
   *
   * @param tableId the table's file id
   * @param blockIndex the block's index
   * @param block the bytes, no longer modified by the caller
   */
  void put(long tableId, int blockIndex, byte[] block);

  /**
   * Drops every block of a table (the table was deleted).
   *
   * @param tableId the table's file id
   */
  void invalidate(long tableId);

  /**
   * Bytes held.
   *
   * @return the current weight
   */
  long sizeBytes();

  /**
   * The most bytes this cache holds.
   *
   * @return the capacity in bytes, 0 for a cache that holds nothing
   */
  long capacityBytes();
}
