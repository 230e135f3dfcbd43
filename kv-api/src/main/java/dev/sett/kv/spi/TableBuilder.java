package dev.sett.kv.spi;

import java.io.IOException;

/** Writes one table; entries must arrive in internal order. Single-threaded. */
public interface TableBuilder {

  /**
   * Appends an entry.
   *
   * @param key the user key
   * @param value the version, metadata and value
   * @throws IOException if the file cannot be written
   * @throws IllegalArgumentException if the entry is out of order
   */
  void add(byte[] key, StoredValue value) throws IOException;

  /**
   * Bytes the table would have if finished now.
   *
   * @return an estimate in bytes
   */
  long estimatedSize();

  /**
   * Writes the index and footer; the caller then syncs and publishes the file.
   *
   * @throws IOException if the file cannot be written
   */
  void finish() throws IOException;
}
