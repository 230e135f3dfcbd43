package dev.sett.kv;

import java.util.List;

/**
 * A snapshot of the database's shape and lifetime counters, from {@link Db#stats()}. Counters
 * start at zero when the database is opened.
 *
 * @param levels every level, L0 first
 * @param memTables memtables held in memory, the mutable one included
 * @param memTableBytes memory this database's memtables hold: the arenas of those memtables and
 *     of the spare kept for the next rotation (a memtable's arena is allocated whole, so this is
 *     its capacity, not its fill); on a shared {@link MemoryBudget} too, this database's alone
 * @param walBytesWritten bytes appended to the write-ahead logs (what users wrote, plus framing)
 * @param flushBytesWritten bytes of tables written by flushing memtables
 * @param compactionBytesRead bytes of tables read by compactions
 * @param compactionBytesWritten bytes of tables written by compactions
 * @param compactions compactions completed
 * @param flushes memtable flushes completed
 * @param writeStallNanos time writes waited because every memtable was full
 * @param writeSlowdownNanos time writes were delayed because L0 was filling up
 * @param blockCacheBytes bytes held by the block cache; on a shared {@link MemoryBudget}, by the
 *     shared block cache (every database's blocks)
 * @param indexCacheBytes bytes held by the index and bloom filter cache; on a shared budget, by
 *     the shared index cache
 * @param memoryBudget the budget those three parts draw from ({@link Options#memoryBudget()}):
 *     on a shared budget, the shared one's {@link MemoryBudget#bytes()} (what all its databases'
 *     memtables take together is {@link MemoryBudget#memTableBytes()})
 * @param valueLogFiles every value log file, oldest first, with its garbage
 * @param valueLogBytesWritten bytes appended to the value log (records of separated values,
 *     garbage collection's rewrites included)
 * @param valueLogFilesCollected value log files garbage collection deleted
 * @param valueLogValuesRewritten live values garbage collection moved to the newest file
 */
public record DbStats(
    List<LevelStats> levels,
    int memTables,
    long memTableBytes,
    long walBytesWritten,
    long flushBytesWritten,
    long compactionBytesRead,
    long compactionBytesWritten,
    long compactions,
    long flushes,
    long writeStallNanos,
    long writeSlowdownNanos,
    long blockCacheBytes,
    long indexCacheBytes,
    long memoryBudget,
    List<ValueLogFileStats> valueLogFiles,
    long valueLogBytesWritten,
    long valueLogFilesCollected,
    long valueLogValuesRewritten) {

  /** Copies the lists. */
  public DbStats {
    levels = List.copyOf(levels);
    valueLogFiles = List.copyOf(valueLogFiles);
  }

  /**
   * Bytes in all value log files.
   *
   * @return the sum over the files
   */
  public long valueLogBytes() {
    long sum = 0;
    for (ValueLogFileStats f : valueLogFiles) {
      sum += f.sizeBytes();
    }
    return sum;
  }

  /**
   * Bytes of value log records known to be garbage (reclaimable by value log GC).
   *
   * @return the sum over the files
   */
  public long valueLogGarbageBytes() {
    long sum = 0;
    for (ValueLogFileStats f : valueLogFiles) {
      sum += Math.min(f.garbageBytes(), f.sizeBytes());
    }
    return sum;
  }

  /**
   * Memory held by the parts Sett bounds: memtables, the block cache and the index cache; at most
   * {@link #memoryBudget()} (a reader still holding a flushed memtable may add one). On a shared
   * {@link MemoryBudget} it is this database's memtables plus the shared caches. The process
   * holds more (the JVM, and the garbage the collector has not reclaimed yet); see
   * {@code docs/BENCHMARKS.md} for how the two compare.
   *
   * @return {@code memTableBytes + blockCacheBytes + indexCacheBytes}
   */
  public long memoryBytes() {
    return memTableBytes + blockCacheBytes + indexCacheBytes;
  }

  /**
   * Bytes in all tables.
   *
   * @return the sum over the levels
   */
  public long tableBytes() {
    long sum = 0;
    for (LevelStats l : levels) {
      sum += l.bytes();
    }
    return sum;
  }

  /**
   * Write amplification of the LSM tree: table bytes written by flushes and compactions per byte
   * flushed. 1.0 means data was written once; the WAL is not counted.
   *
   * @return the ratio, or 0 when nothing was flushed yet
   */
  public double writeAmplification() {
    return flushBytesWritten == 0 ? 0
        : (double) (flushBytesWritten + compactionBytesWritten) / flushBytesWritten;
  }
}
