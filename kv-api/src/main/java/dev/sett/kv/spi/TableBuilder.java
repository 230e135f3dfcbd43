package dev.sett.kv.spi;

import java.io.IOException;

/**
 * Writes one table; entries must arrive in internal order (key ascending, version descending),
 * each {@code (key, version)} at most once. Single-threaded. If {@link #finish()} is never called
 * the file is garbage and the caller deletes it.
 */
public interface TableBuilder {

  /**
   * Appends an entry.
   *
   * @param key the user key
   * @param value the version, metadata and value
   * @throws IOException if the file cannot be written
   * @throws IllegalArgumentException if the entry is not after the previous one
   */
  void add(byte[] key, StoredValue value) throws IOException;

  /**
   * Bytes the file would have if finished now (compressed blocks written so far, plus the
   * pending block uncompressed, plus the index and bloom filter).
   *
   * @return an estimate in bytes
   */
  long estimatedSize();

  /**
   * Entries added so far.
   *
   * @return the count
   */
  long entryCount();

  /**
   * Raises the version the finished table reports as its {@link Table#maxVersion()} to at least
   * {@code version}, whatever its entries hold. The engine orders level-0 tables by that number
   * (newest first); a memtable whose entries carry versions older than its newest commit (value
   * log garbage collection rewrites values at their original versions) passes that commit here,
   * so its table still sorts as newer than every table flushed before it.
   *
   * @param version a version, at least 0
   */
  void includeVersion(long version);

  /**
   * Writes the last block, the index, the bloom filter and the footer. The caller then syncs,
   * closes and publishes the file.
   *
   * @return the file's final size in bytes
   * @throws IOException if the file cannot be written
   * @throws IllegalStateException if no entry was added
   */
  long finish() throws IOException;
}
