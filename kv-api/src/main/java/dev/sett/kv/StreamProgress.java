package dev.sett.kv;

import java.time.Duration;

/**
 * How far a {@link Stream} run has come: reported to its {@link Stream#progress listener} every
 * {@link Stream#progressInterval interval} and once more at the end, and returned by {@link
 * Stream#run()}.
 *
 * @param readTs the timestamp of the snapshot the run reads
 * @param keysScanned keys the workers have visited (before {@link Stream#chooseKey} filters)
 * @param records records handed to {@link Stream#send} so far
 * @param bytes the {@link KeyValue#sizeBytes() bytes} of those records
 * @param batches batches handed to {@link Stream#send} so far
 * @param elapsed time since the run started
 * @param finished whether this is the final report of a run that completed
 */
public record StreamProgress(long readTs, long keysScanned, long records, long bytes,
    long batches, Duration elapsed, boolean finished) {

  /**
   * Keys visited per second so far.
   *
   * @return the rate, 0 before any time has passed
   */
  public double keysPerSecond() {
    return perSecond(keysScanned);
  }

  /**
   * Bytes sent per second so far.
   *
   * @return the rate, 0 before any time has passed
   */
  public double bytesPerSecond() {
    return perSecond(bytes);
  }

  private double perSecond(long n) {
    long nanos = elapsed.toNanos();
    return nanos <= 0 ? 0 : n * 1e9 / nanos;
  }
}
