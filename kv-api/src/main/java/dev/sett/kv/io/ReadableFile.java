package dev.sett.kv.io;

import java.io.IOException;

/** A file open for positional reads. Thread-safe. */
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
