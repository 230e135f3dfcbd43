package dev.sett.kv.spi;

import dev.sett.kv.io.Storage;
import java.io.IOException;

/**
 * A value log format: append-only files holding values too large for the LSM tree (WiscKey).
 * Provided by {@code kv-vlog} ({@code vlog-v1}) with the value-log issue.
 */
public interface ValueLogFormat extends NamedProvider {

  /** The format used when none is named: {@value}. */
  String DEFAULT_NAME = "vlog-v1";

  /**
   * Opens (creating if needed) the value log files in {@code storage}, truncating a torn tail of
   * the newest file.
   *
   * @param storage where the {@code .vlog} files live
   * @param maxFileSize the size at which a file is rotated
   * @return the value log; close it
   * @throws IOException if the files cannot be read
   */
  ValueLog open(Storage storage, long maxFileSize) throws IOException;
}
