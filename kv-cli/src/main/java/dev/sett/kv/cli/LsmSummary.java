package dev.sett.kv.cli;

import dev.sett.kv.Db;
import dev.sett.kv.DbStats;
import dev.sett.kv.LevelStats;
import java.util.Locale;

/**
 * The shape of the LSM tree at the end of a bench run: waits (bounded) for compactions to bring
 * every level within its target, then reports each level's tables, bytes, target and score, the
 * write amplification and the time writes waited.
 */
final class LsmSummary {
  private final DbStats stats;
  private final long settleNanos;
  private final boolean settled;

  private LsmSummary(DbStats stats, long settleNanos, boolean settled) {
    this.stats = stats;
    this.settleNanos = settleNanos;
    this.settled = settled;
  }

  /**
   * Polls the statistics every 100 ms until every level is within its target, or {@code
   * maxSeconds} pass. (Polling is fine here: this is a report, not a test waiting for an event.)
   */
  static LsmSummary settle(Db db, int maxSeconds, PeakMemory memory) {
    long t0 = System.nanoTime();
    long deadline = t0 + maxSeconds * 1_000_000_000L;
    DbStats s = db.stats();
    while (!inShape(s) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      memory.sample();
      s = db.stats();
    }
    return new LsmSummary(s, System.nanoTime() - t0, inShape(s));
  }

  /**
   * L0 below its compaction trigger (score under 1) and every deeper level at or under its
   * target size. (The last level's target is its own size, so its score is 1 by definition.)
   */
  private static boolean inShape(DbStats s) {
    for (LevelStats l : s.levels()) {
      if (l.level() == 0 ? l.score() >= 1 : l.bytes() > l.targetBytes()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The statistics the summary shows, taken when the levels settled (or the wait ended).
   *
   * @return the statistics
   */
  DbStats stats() {
    return stats;
  }

  /**
   * Prints the levels, the bytes written and the stalls.
   *
   * @param report the report
   */
  void print(BenchReport report) {
    report.gap();
    report.line("levels", (settled ? "every level within its target" : "NOT settled")
        + " after waiting " + BenchReport.seconds(settleNanos) + " for compactions");
    for (LevelStats l : stats.levels()) {
      if (l.tables() == 0 && l.targetBytes() == 0) {
        continue;
      }
      report.line("  L" + l.level(), String.format(Locale.ROOT,
          "%5d tables %10s  target %10s  score %.2f", l.tables(), BenchReport.bytes(l.bytes()),
          BenchReport.bytes(l.targetBytes()), l.score()));
    }
    report.line("written", "WAL " + BenchReport.bytes(stats.walBytesWritten()) + ", flushes "
        + BenchReport.bytes(stats.flushBytesWritten()) + " (" + stats.flushes() + "), compactions "
        + BenchReport.bytes(stats.compactionBytesWritten()) + " (" + stats.compactions() + ")");
    report.line("write amp", String.format(Locale.ROOT,
        "%.2f (table bytes written by flushes and compactions / flushed bytes)",
        stats.writeAmplification()));
    report.line("stalls", "memtables full " + BenchReport.seconds(stats.writeStallNanos())
        + ", L0 slowdown " + BenchReport.seconds(stats.writeSlowdownNanos()));
    report.line("caches", "block " + BenchReport.bytes(stats.blockCacheBytes()) + ", index "
        + BenchReport.bytes(stats.indexCacheBytes()));
  }
}
