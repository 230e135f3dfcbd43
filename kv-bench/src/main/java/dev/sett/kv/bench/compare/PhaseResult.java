package dev.sett.kv.bench.compare;

import org.HdrHistogram.Histogram;

/**
 * What one measured phase did.
 *
 * @param ops operations completed (keys written by a fill, reads, seeks, YCSB operations)
 * @param bytes bytes of keys and values written or read
 * @param nanos wall time of the phase
 * @param latencyNanos the latency of every call, in nanoseconds (a batch is one call)
 * @param found reads that found their key
 * @param expectedFound reads that should have found their key (a check on the harness and the
 *     store: a store that loses records must not look fast)
 * @param capped whether the phase stopped at its time limit before doing every operation
 */
record PhaseResult(long ops, long bytes, long nanos, Histogram latencyNanos, long found,
    long expectedFound, boolean capped) {

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
}
