package dev.sett.kv.spi;

import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.WritableFile;
import java.io.IOException;

/**
 * An SSTable format: writes sorted internal entries into an immutable file and reads them back.
 * The format's name is recorded in the header of every file it writes, and a file is always read
 * by the format that wrote it. Provided by {@code kv-table} ({@code sst-v1}).
 */
public interface TableFormat extends NamedProvider {

  /** The format used for new tables when none is named: {@value}. */
  String DEFAULT_NAME = "sst-v1";

  /**
   * Starts a table written to {@code out}.
   *
   * @param out a new, empty file; the builder writes it but does not sync or close it
   * @param settings the database id, file id and block settings
   * @return a builder taking entries in internal order
   * @throws IOException if the file cannot be written
   */
  TableBuilder newBuilder(WritableFile out, TableSettings settings) throws IOException;

  /**
   * Opens a complete table: reads and checks its header and footer. The index and bloom filter
   * are read on demand through {@link TableContext#indexCache()}, so an open table holds only a
   * few hundred bytes of heap.
   *
   * @param in the file; the table reads it until {@link Table#close()}, which closes it
   * @param context the expected identity and the caches to read through
   * @return the table
   * @throws IOException if the file cannot be read
   * @throws dev.sett.kv.CorruptionException if the header or footer fails its checks, naming the
   *     file and offset
   * @throws dev.sett.kv.UnsupportedFormatException if the file was written by a newer version
   */
  Table open(ReadableFile in, TableContext context) throws IOException;
}
