package dev.sett.kv.spi;

import java.io.IOException;

/**
 * An open value log. Appends come from the single write path; reads from any thread.
 */
public interface ValueLog extends AutoCloseable {

  /**
   * Appends a value and returns where it lives.
   *
   * @param key the user key
   * @param version the version
   * @param value the value
   * @return an encoded pointer, stored in the LSM tree with {@link EntryMeta#VALUE_POINTER}
   * @throws IOException if the file cannot be written
   */
  byte[] append(byte[] key, long version, byte[] value) throws IOException;

  /**
   * Reads the value a pointer designates, verifying its checksum.
   *
   * @param pointer a pointer returned by {@link #append}
   * @return the value
   * @throws IOException if the file cannot be read
   * @throws dev.sett.kv.CorruptionException if the record fails its checks
   */
  byte[] read(byte[] pointer) throws IOException;

  /**
   * Syncs appended values to stable storage.
   *
   * @throws IOException if the sync fails
   */
  void sync() throws IOException;

  /** Closes the files. */
  @Override
  void close() throws IOException;
}
