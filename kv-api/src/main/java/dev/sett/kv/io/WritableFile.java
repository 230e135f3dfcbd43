package dev.sett.kv.io;

import java.io.IOException;

/**
 * A file open for appending. Writes are not interruptible: an interrupted writer thread does not
 * close the file. One thread at a time.
 */
public interface WritableFile extends AutoCloseable {

  /**
   * The file's name.
   *
   * @return the name
   */
  String name();

  /**
   * The current length, including bytes not yet synced.
   *
   * @return bytes
   */
  long size();

  /**
   * Appends bytes at the end.
   *
   * @param b the source
   * @param off where to start in {@code b}
   * @param len how many bytes
   * @throws IOException if the write fails (the file may then hold part of the bytes)
   */
  void write(byte[] b, int off, int len) throws IOException;

  /**
   * Makes every byte written so far durable.
   *
   * @throws IOException if the sync fails
   */
  void sync() throws IOException;

  /**
   * Cuts the file to {@code size} bytes; later writes append there.
   *
   * @param size the new length, at most {@link #size()}
   * @throws IOException if the truncation fails
   */
  void truncate(long size) throws IOException;

  /**
   * Closes the file without syncing.
   *
   * @throws IOException if closing fails
   */
  @Override
  void close() throws IOException;
}
