package dev.sett.kv.spi;

import java.io.IOException;

/** An open, immutable SSTable. Thread-safe. */
public interface Table extends AutoCloseable {

  /**
   * Finds the newest version of {@code key} at or below {@code readTs}.
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
   * @return a new unpositioned iterator
   */
  EntryIterator iterator();

  /**
   * The smallest user key.
   *
   * @return the key
   */
  byte[] smallestKey();

  /**
   * The largest user key.
   *
   * @return the key
   */
  byte[] largestKey();

  /**
   * The highest version in the table.
   *
   * @return the version
   */
  long maxVersion();

  /**
   * Size of the file.
   *
   * @return bytes
   */
  long sizeBytes();

  /** Closes the file. */
  @Override
  void close() throws IOException;
}
