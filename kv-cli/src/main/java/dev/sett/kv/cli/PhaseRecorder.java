package dev.sett.kv.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Measures one benchmark phase: the latency of each timed call in an HdrHistogram, the operations
 * and bytes done, the elapsed time. It also drives the phase's {@link ProgressBar} and samples
 * {@link PeakMemory}, using the timestamps the caller already took around each call, so that
 * watching the benchmark adds no clock reads of its own.
 *
 * <p>One thread times the calls through {@link #record}; or several do, each through its own
 * {@link Lane} (a histogram and a count of its own: no lock, no shared counter, no shared
 * histogram on the timed path), while one other thread calls {@link #watch} to draw the progress
 * and sample the memory. {@link #finish} merges the lanes, once their threads have ended.
 */
final class PhaseRecorder {
  private static final long SAMPLE_INTERVAL_NANOS = 100_000_000L;
  /** Significant digits of the histogram: 0.1% resolution, as is usual for latency. */
  private static final int PRECISION = 3;

  private final String name;
  private final String latencyOf;
  private final long totalOps;
  private final long totalBytes;
  private final PeakMemory memory;
  private final ProgressBar progress;
  private final Histogram latencyNanos = new Histogram(PRECISION); // resizes as needed
  private final long startNanos;
  private final List<Lane> lanes = new CopyOnWriteArrayList<>(); // added once per thread
  private long ops;
  private long nextSampleNanos;

  /**
   * Starts a phase now.
   *
   * @param name the phase's name in the summary
   * @param latencyOf what one timed call is, for the note under the summary
   * @param totalOps how many operations the phase will do
   * @param totalBytes key plus value bytes the whole phase moves (values may differ in size)
   * @param memory the sampler to feed
   * @param err where progress goes
   * @param terminal whether {@code err} is a terminal
   */
  PhaseRecorder(String name, String latencyOf, long totalOps, long totalBytes, PeakMemory memory,
      PrintStream err, boolean terminal) {
    this.name = name;
    this.latencyOf = latencyOf;
    this.totalOps = totalOps;
    this.totalBytes = totalBytes;
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
   * Opens a lane for the calling thread, which alone records into it. Made on that thread, so
   * that its counters are allocated in that thread's own buffer, away from other lanes' cache
   * lines.
   *
   * @return the lane
   */
  Lane newLane() {
    Lane lane = new Lane();
    lanes.add(lane);
    return lane;
  }

  /**
   * Draws the progress of the lanes and samples the memory; called by the one thread that waits
   * for the lanes' threads, about every 100 ms.
   *
   * @param nowNanos {@link System#nanoTime()}
   */
  void watch(long nowNanos) {
    long done = ops;
    for (Lane lane : lanes) {
      done += lane.ops.get();
    }
    progress.update(done, nowNanos);
    memory.sample();
  }

  /**
   * Ends the phase. Lanes are merged in: their threads must have ended (and been joined) first.
   *
   * @return what was measured
   */
  PhaseResult finish() {
    long end = System.nanoTime();
    if (!lanes.isEmpty()) {
      for (Lane lane : lanes) {
        latencyNanos.add(lane.latencyNanos);
        ops += lane.ops.get();
      }
      progress.update(ops, end); // the last tenth: the lanes' threads draw nothing themselves
    }
    progress.finish(ops, end);
    memory.sample();
    // A phase cut short (it is about to throw) moved about its share of the bytes.
    long bytes = ops == totalOps ? totalBytes : Math.round((double) totalBytes * ops / totalOps);
    return new PhaseResult(name, latencyOf, ops, bytes, end - startNanos, latencyNanos);
  }

  /**
   * What one of several threads timed: its latencies and its operations. Only its thread writes
   * it; the watching thread reads the count (an ordered store makes it visible without a lock or
   * a fence on the timed path), and {@link #finish} reads the histogram after the thread ended.
   */
  static final class Lane {
    private final Histogram latencyNanos = new Histogram(PRECISION);
    private final AtomicLong ops = new AtomicLong();

    private Lane() {}

    /**
     * Records one timed call, like {@link PhaseRecorder#record}.
     *
     * @param beginNanos {@link System#nanoTime()} just before the call
     * @param endNanos {@link System#nanoTime()} just after it
     * @param opsInCall how many operations the call did
     */
    void record(long beginNanos, long endNanos, int opsInCall) {
      latencyNanos.recordValue(Math.max(0, endNanos - beginNanos));
      ops.lazySet(ops.get() + opsInCall); // one writer: no read-modify-write needed
    }
  }
}
