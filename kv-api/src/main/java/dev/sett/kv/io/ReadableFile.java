package dev.sett.kv.io;

import java.io.IOException;

/**
 * A file open for positional reads. Thread-safe: one file is typically shared by every reader of
 * a table.
 *
 * <p>An interrupt of a reading thread affects only that thread's call: the call may throw {@link
 * java.io.InterruptedIOException} (the thread's interrupt flag stays set), but the file stays
 * open, and reads by other threads, and later reads by the same thread, work as before. Only
 * {@link #close()} closes it for everyone.
 */
public interface ReadableFile extends AutoCloseable {

  /**
   * The file's name.
   *
   * @return the name
   */
  String name();

  /**
   * The file's length when it was opened or last checked.
   *
   * @return bytes
   * @throws IOException if the length cannot be read
   */
  long size() throws IOException;

  /**
   * Reads exactly {@code len} bytes at {@code position}.
   *
   * @param position the file offset
   * @param dst the destination
   * @param off where to start in {@code dst}
   * @param len how many bytes
   * @throws java.io.EOFException if the file ends first
   * @throws java.io.InterruptedIOException if the calling thread was interrupted (its flag stays
   *     set); the file stays usable
   * @throws IOException if the read fails
   */
  void readFully(long position, byte[] dst, int off, int len) throws IOException;

  /**
   * Closes the file.
   *
   * @throws IOException if closing fails
   */
  @Override
  void close() throws IOException;
}
