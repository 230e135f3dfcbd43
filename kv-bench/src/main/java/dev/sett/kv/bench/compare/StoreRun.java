package dev.sett.kv.bench.compare;

import java.util.HashMap;
import java.util.Map;

/**
 * One store's measured phase of one row, as its child JVM reported it, with what the parent
 * measured from outside: peak resident memory and disk space after close.
 *
 * @param row the workload's identifier
 * @param store the store's name
 * @param ops operations done
 * @param bytes key and value bytes moved
 * @param nanos the phase's wall time
 * @param found reads that found their key
 * @param expectedFound reads that should have
 * @param capped whether the time limit cut the phase short
 * @param p50 median call latency, ns
 * @param p99 99th percentile, ns
 * @param p999 99.9th percentile, ns
 * @param max the slowest call, ns
 * @param closeNanos how long closing the store took
 * @param peakRssBytes the measured JVM's peak resident set ({@code VmHWM}), or -1 if unknown
 * @param spaceBytes the store's files after close
 * @param cold whether the OS page cache was dropped before the phase
 */
record StoreRun(String row, String store, long ops, long bytes, long nanos, long found,
    long expectedFound, boolean capped, long p50, long p99, long p999, long max, long closeNanos,
    long peakRssBytes, long spaceBytes, boolean cold) {

  /**
   * Reads a child's result line.
   *
   * @param row the row
   * @param store the store
   * @param line the {@link CompareChild#RESULT} line
   * @param peakRssBytes measured by the parent
   * @param spaceBytes measured by the parent
   * @param cold whether caches were dropped
   * @return the run
   * @throws IllegalArgumentException if a field is missing
   */
  static StoreRun parse(String row, String store, String line, long peakRssBytes,
      long spaceBytes, boolean cold) {
    Map<String, String> f = new HashMap<>();
    for (String part : line.trim().split(" +")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        f.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return new StoreRun(row, store, num(f, "ops"), num(f, "bytes"), num(f, "nanos"),
        num(f, "found"), num(f, "expected"), Boolean.parseBoolean(f.get("capped")),
        num(f, "p50"), num(f, "p99"), num(f, "p999"), num(f, "max"), num(f, "close"),
        peakRssBytes, spaceBytes, cold);
  }

  private static long num(Map<String, String> f, String name) {
    String v = f.get(name);
    if (v == null) {
      throw new IllegalArgumentException("the child's result has no " + name + ": " + f);
    }
    return Long.parseLong(v);
  }

  /**
   * Operations per second.
   *
   * @return ops/s
   */
  double opsPerSecond() {
    return ops * 1e9 / Math.max(1, nanos);
  }

  /**
   * Megabytes (10^6 bytes) of keys and values per second.
   *
   * @return MB/s
   */
  double megabytesPerSecond() {
    return bytes * 1e3 / Math.max(1, nanos);
  }

  /**
   * Whether some read missed a key it should have found: the store lost data or the harness is
   * wrong, and the row's speed means nothing.
   *
   * @return {@code true} if reads missed
   */
  boolean lostReads() {
    return found < expectedFound;
  }
}
