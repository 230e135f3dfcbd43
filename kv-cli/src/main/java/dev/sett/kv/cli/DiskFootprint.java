package dev.sett.kv.cli;

import dev.sett.kv.DbStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a {@code bench} run cost on disk: the bytes it wrote and the bytes it left, each against
 * the bytes of keys and values the user wrote.
 *
 * <p>Bytes written are the engine's counters taken just before close (WAL, tables flushed and
 * compacted), plus the value log's appends (garbage collection's rewrites included), plus the
 * tables that close itself wrote. The last is read off the directory after close, because the
 * counters cannot be read once the database is closed: close flushes the memtables into new
 * tables, which show as the growth of the {@code .sst} bytes over what the counters last saw. (A compaction at close, {@code
 * compactL0OnClose}, would hide part of that growth; bench does not set it.)
 *
 * @param userBytes bytes of the live keys and values (the load phase's; overwrites replace them)
 * @param userBytesWritten bytes of keys and values written by every phase
 * @param bytesWritten bytes written to disk: WAL, tables, value log
 * @param bytesOnDisk bytes of every file in the directory after close
 * @param valueLogBytes bytes of the {@code .vlog} files after close
 */
record DiskFootprint(long userBytes, long userBytesWritten, long bytesWritten, long bytesOnDisk,
    long valueLogBytes) {
  private static final String TABLE_SUFFIX = ".sst";
  private static final String VALUE_LOG_SUFFIX = ".vlog";

  /**
   * Measures a closed database.
   *
   * @param beforeClose the statistics taken just before close
   * @param dir the database directory, closed
   * @param userBytes bytes of the live keys and values
   * @param userBytesWritten bytes of keys and values written
   * @return the footprint
   * @throws IOException if the directory cannot be listed
   */
  static DiskFootprint measure(DbStats beforeClose, Path dir, long userBytes,
      long userBytesWritten) throws IOException {
    long all = 0;
    long tables = 0;
    long valueLog = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!Files.isRegularFile(f)) {
          continue;
        }
        long size = Files.size(f);
        String name = f.getFileName().toString();
        all += size;
        if (name.endsWith(TABLE_SUFFIX)) {
          tables += size;
        } else if (name.endsWith(VALUE_LOG_SUFFIX)) {
          valueLog += size;
        }
      }
    }
    long writtenByClose = Math.max(0, tables - beforeClose.tableBytes());
    long written = beforeClose.walBytesWritten() + beforeClose.flushBytesWritten()
        + beforeClose.compactionBytesWritten() + writtenByClose
        + beforeClose.valueLogBytesWritten();
    return new DiskFootprint(userBytes, userBytesWritten, written, all, valueLog);
  }

  /**
   * Write amplification of the whole store: bytes written to disk per byte of keys and values.
   *
   * @return the ratio
   */
  double writeAmplification() {
    return (double) bytesWritten / Math.max(1, userBytesWritten);
  }

  /**
   * Space amplification: bytes on disk after close per byte of keys and values (every key is
   * live at the end of a bench run).
   *
   * @return the ratio
   */
  double spaceAmplification() {
    return (double) bytesOnDisk / Math.max(1, userBytes);
  }

  /**
   * Prints the footprint under the LSM summary.
   *
   * @param report the report
   */
  void print(BenchReport report) {
    report.line("disk", String.format(Locale.ROOT,
        "%s after close, value log %s (space amp %.2f: / %s of keys and values)",
        BenchReport.bytes(bytesOnDisk), BenchReport.bytes(valueLogBytes), spaceAmplification(),
        BenchReport.bytes(userBytes)));
    report.line("disk write", String.format(Locale.ROOT,
        "%s (write amp %.2f: WAL, tables and value log / keys and values)",
        BenchReport.bytes(bytesWritten), writeAmplification()));
    if (userBytesWritten != userBytes) {
      report.line("overwritten", BenchReport.bytes(userBytesWritten) + " of keys and values"
          + " written in all; value log " + String.format(Locale.ROOT, "%.2f",
              (double) valueLogBytes / Math.max(1, userBytes)) + "x the live keys and values");
    }
  }
}
