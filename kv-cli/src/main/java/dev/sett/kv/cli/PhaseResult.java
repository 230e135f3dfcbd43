package dev.sett.kv.cli;

import org.HdrHistogram.Histogram;

/**
 * What one benchmark phase measured.
 *
 * @param name the phase's name
 * @param latencyOf what one timed call is ("db.update with 1 put")
 * @param ops operations done (entries written or keys read)
 * @param bytes key plus value bytes moved
 * @param elapsedNanos wall time of the whole phase
 * @param latencyNanos latency of each timed call, in nanoseconds
 */
record PhaseResult(
    String name, String latencyOf, long ops, long bytes, long elapsedNanos,
    Histogram latencyNanos) {

  /**
   * Operations per second over the whole phase.
   *
   * @return ops/s
   */
  double opsPerSecond() {
    return ops / seconds();
  }

  /**
   * Throughput in megabytes (10^6 bytes) of keys and values per second.
   *
   * @return MB/s
   */
  double megabytesPerSecond() {
    return bytes / 1e6 / seconds();
  }

  /**
   * The elapsed time.
   *
   * @return seconds
   */
  double seconds() {
    return Math.max(1, elapsedNanos) / 1e9;
  }

  /**
   * A latency percentile.
   *
   * @param percentile in [0, 100]
   * @return microseconds
   */
  double latencyMicros(double percentile) {
    return latencyNanos.getValueAtPercentile(percentile) / 1e3;
  }

  /**
   * The largest latency.
   *
   * @return microseconds
   */
  double maxLatencyMicros() {
    return latencyNanos.getMaxValue() / 1e3;
  }
}
