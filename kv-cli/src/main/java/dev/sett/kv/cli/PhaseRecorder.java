package dev.sett.kv.cli;

import java.io.PrintStream;
import org.HdrHistogram.Histogram;

/**
 * Measures one benchmark phase: the latency of each timed call in an HdrHistogram, the operations
 * and bytes done, the elapsed time. It also drives the phase's {@link ProgressBar} and samples
 * {@link PeakMemory}, using the timestamps the caller already took around each call, so that
 * watching the benchmark adds no clock reads of its own.
 */
final class PhaseRecorder {
  private static final long SAMPLE_INTERVAL_NANOS = 100_000_000L;
  /** Significant digits of the histogram: 0.1% resolution, as is usual for latency. */
  private static final int PRECISION = 3;

  private final String name;
  private final String latencyOf;
  private final long bytesPerOp;
  private final PeakMemory memory;
  private final ProgressBar progress;
  private final Histogram latencyNanos = new Histogram(PRECISION); // resizes as needed
  private final long startNanos;
  private long ops;
  private long nextSampleNanos;

  /**
   * Starts a phase now.
   *
   * @param name the phase's name in the summary
   * @param latencyOf what one timed call is, for the note under the summary
   * @param totalOps how many operations the phase will do
   * @param bytesPerOp key plus value bytes moved per operation
   * @param memory the sampler to feed
   * @param err where progress goes
   * @param terminal whether {@code err} is a terminal
   */
  PhaseRecorder(String name, String latencyOf, long totalOps, long bytesPerOp, PeakMemory memory,
      PrintStream err, boolean terminal) {
    this.name = name;
    this.latencyOf = latencyOf;
    this.bytesPerOp = bytesPerOp;
    this.memory = memory;
    this.startNanos = System.nanoTime();
    this.nextSampleNanos = startNanos;
    this.progress = new ProgressBar(err, terminal, name, totalOps, startNanos);
  }

  /**
   * Records one timed call.
   *
   * @param beginNanos {@link System#nanoTime()} just before the call
   * @param endNanos {@link System#nanoTime()} just after it
   * @param opsInCall how many operations the call did (the entries of a batch)
   */
  void record(long beginNanos, long endNanos, int opsInCall) {
    latencyNanos.recordValue(Math.max(0, endNanos - beginNanos));
    ops += opsInCall;
    progress.update(ops, endNanos);
    if (endNanos >= nextSampleNanos) {
      nextSampleNanos = endNanos + SAMPLE_INTERVAL_NANOS;
      memory.sample();
    }
  }

  /**
   * Ends the phase.
   *
   * @return what was measured
   */
  PhaseResult finish() {
    long end = System.nanoTime();
    progress.finish(ops, end);
    memory.sample();
    return new PhaseResult(name, latencyOf, ops, ops * bytesPerOp, end - startNanos,
        latencyNanos);
  }
}
