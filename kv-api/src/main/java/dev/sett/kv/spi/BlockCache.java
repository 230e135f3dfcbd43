package dev.sett.kv.spi;

/**
 * A bounded cache of decompressed table blocks, weighed in bytes. Thread-safe; a miss is never an
 * error.
 */
public interface BlockCache {

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
   * @param block the decompressed bytes, no longer modified by the caller
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
}
