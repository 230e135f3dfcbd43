package dev.sett.kv.spi;

import dev.sett.kv.Compression;
import java.util.Objects;

/**
 * How a new table is written.
 *
 * @param dbId the database's 16-byte id, recorded in the file header
 * @param fileId the table's file id, recorded in the file header
 * @param blockSize target uncompressed block size in bytes (a block holds at least one entry)
 * @param compression how blocks are compressed
 * @param bloomFalsePositive the bloom filter's target false-positive rate, in (0, 1); 0 for no
 *     bloom filter
 */
public record TableSettings(byte[] dbId, long fileId, int blockSize, Compression compression,
    double bloomFalsePositive) {

  /** Checks the settings. */
  public TableSettings {
    Objects.requireNonNull(dbId, "dbId");
    Objects.requireNonNull(compression, "compression");
    if (blockSize < 64) {
      throw new IllegalArgumentException("blockSize must be at least 64, got " + blockSize);
    }
    if (!(bloomFalsePositive >= 0 && bloomFalsePositive < 1)) {
      throw new IllegalArgumentException(
          "bloomFalsePositive must be in [0, 1), got " + bloomFalsePositive);
    }
  }
}
