package dev.sett.kv.spi;

import java.util.Objects;

/**
 * What a table needs to be opened: the identity it must carry and the caches it reads through.
 *
 * @param dbId the database's id; a table of another database is a corruption
 * @param fileId the id the file name promises; a mismatch is a corruption
 * @param blockCache the cache of decompressed data blocks
 * @param indexCache the cache of index and bloom filter bytes (block indexes
 *     {@link BlockCache#INDEX_BLOCK} and {@link BlockCache#BLOOM_BLOCK})
 */
public record TableContext(byte[] dbId, long fileId, BlockCache blockCache,
    BlockCache indexCache) {

  /** Checks for nulls. */
  public TableContext {
    Objects.requireNonNull(dbId, "dbId");
    Objects.requireNonNull(blockCache, "blockCache");
    Objects.requireNonNull(indexCache, "indexCache");
  }
}
