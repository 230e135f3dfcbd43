package dev.sett.kv.spi;

import java.io.IOException;

/**
 * An open, immutable SSTable. Thread-safe: gets and iterators run concurrently. Reading a damaged
 * block throws {@link dev.sett.kv.CorruptionException} naming the file and offset; an I/O failure
 * inside an iterator is thrown as {@link dev.sett.kv.StorageException}. Wrong data is never
 * returned.
 */
public interface Table extends AutoCloseable {

  /**
   * The table's file id.
   *
   * @return the id from its header
   */
  long id();

  /**
   * Finds the newest version of {@code key} at or below {@code readTs}, asking the bloom filter
   * first.
   *
   * @param key the user key
   * @param readTs the read timestamp
   * @return the version, tombstones included, or {@code null}
   * @throws IOException if a block cannot be read
   */
  StoredValue get(byte[] key, long readTs) throws IOException;

  /**
   * Creates a cursor over the table's entries.
   *
   * @param fillCache whether blocks it reads go into the block cache (compactions say no)
   * @return a new unpositioned iterator
   */
  EntryIterator iterator(boolean fillCache);

  /**
   * The smallest user key.
   *
   * @return the key; the caller must not modify it
   */
  byte[] smallestKey();

  /**
   * The largest user key.
   *
   * @return the key; the caller must not modify it
   */
  byte[] largestKey();

  /**
   * Up to {@code max} user keys spread evenly over the table's data, in order, the first being
   * the smallest key: places to cut a key range for a parallel scan when there are too few tables
   * to cut at (Badger's {@code KeySplits} uses block keys too). The default gives the smallest
   * key only.
   *
   * @param max how many keys at most, at least 1
   * @return the keys; new arrays
   * @throws IOException if the table's index cannot be read
   */
  default java.util.List<byte[]> sampleKeys(int max) throws IOException {
    return java.util.List.of(smallestKey().clone());
  }

  /**
   * The highest version in the table.
   *
   * @return the version
   */
  long maxVersion();

  /**
   * The number of entries ({@code (key, version)} pairs).
   *
   * @return the count
   */
  long entryCount();

  /**
   * Size of the file.
   *
   * @return bytes
   */
  long sizeBytes();

  /** Closes the file; the caches may still hold its blocks until invalidated. */
  @Override
  void close() throws IOException;

  /**
   * Reads every byte of the file again, bypassing the caches, and checks every checksum (each
   * data block, the index, the bloom filter, the footer) and that the blocks hold as many
   * entries as the footer says. The default walks every entry with an iterator that does not
   * fill the caches: a format with a cheaper whole-file check overrides it.
   *
   * @return the number of entries checked
   * @throws dev.sett.kv.CorruptionException naming the file and the offset of the first unit
   *     that fails its check
   * @throws IOException if the file cannot be read
   */
  default long verify() throws IOException {
    long entries = 0;
    try (EntryIterator it = iterator(false)) {
      for (it.seekToFirst(); it.valid(); it.next()) {
        entries++;
      }
    }
    return entries;
  }
}
