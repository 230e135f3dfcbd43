package dev.sett.kv.spi;

import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.WritableFile;
import java.io.IOException;

/**
 * An SSTable format: writes sorted internal entries into an immutable file and reads them back.
 * The format's name is recorded in every file it writes, and a file is always read by the format
 * that wrote it. Provided by {@code kv-table} ({@code sst-v1}) with the LSM-tree issue.
 */
public interface TableFormat extends NamedProvider {

  /** The format used for new tables when none is named: {@value}. */
  String DEFAULT_NAME = "sst-v1";

  /**
   * Starts a table written to {@code out}.
   *
   * @param out a new, empty file
   * @param fileId the table's file id, recorded in its header
   * @param blockSize target uncompressed block size in bytes
   * @return a builder taking entries in internal order
   * @throws IOException if the file cannot be written
   */
  TableBuilder newBuilder(WritableFile out, long fileId, int blockSize) throws IOException;

  /**
   * Opens a complete table.
   *
   * @param fileName the file's name, for error messages
   * @param in the file
   * @param cache the block cache to read through
   * @return the table; close it
   * @throws IOException if the file cannot be read
   * @throws dev.sett.kv.CorruptionException if the footer or index fails its checks
   */
  Table open(String fileName, ReadableFile in, BlockCache cache) throws IOException;
}
