package dev.sett.kv.kafka;

import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/** Supplies Sett window stores, plain or timestamped (see {@link SettStores}). */
final class SettWindowBytesStoreSupplier implements WindowBytesStoreSupplier {
  /** The metrics scope of Sett's window stores. */
  static final String METRICS_SCOPE = "sett-window"; // Kafka tags metrics "<scope>-state-id"

  private final String name;
  private final long retentionPeriod;
  private final long segmentInterval;
  private final long windowSize;
  private final boolean retainDuplicates;
  private final boolean timestamped;
  private final boolean emitOnClose;

  SettWindowBytesStoreSupplier(String name, long retentionPeriod, long segmentInterval,
      long windowSize, boolean retainDuplicates, boolean timestamped, boolean emitOnClose) {
    this.name = Objects.requireNonNull(name, "name cannot be null");
    this.retentionPeriod = retentionPeriod;
    this.segmentInterval = segmentInterval;
    this.windowSize = windowSize;
    this.retainDuplicates = retainDuplicates;
    this.timestamped = timestamped;
    this.emitOnClose = emitOnClose;
  }

  /** The same stores, for an emit-on-window-close aggregation (see {@link SettWindowStore}). */
  SettWindowBytesStoreSupplier emittingOnClose() {
    return new SettWindowBytesStoreSupplier(name, retentionPeriod, segmentInterval, windowSize,
        retainDuplicates, timestamped, true);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public WindowStore<Bytes, byte[]> get() {
    return timestamped
        ? new SettTimestampedWindowStore(name, METRICS_SCOPE, retentionPeriod, segmentInterval,
            windowSize, retainDuplicates, emitOnClose)
        : new SettWindowStore(name, METRICS_SCOPE, retentionPeriod, segmentInterval, windowSize,
            retainDuplicates, emitOnClose);
  }

  @Override
  public String metricsScope() {
    return METRICS_SCOPE;
  }

  @Override
  public long segmentIntervalMs() {
    return segmentInterval;
  }

  @Override
  public long windowSize() {
    return windowSize;
  }

  @Override
  public boolean retainDuplicates() {
    return retainDuplicates;
  }

  @Override
  public long retentionPeriod() {
    return retentionPeriod;
  }

  @Override
  public String toString() {
    return "SettWindowBytesStoreSupplier[" + name + ", retention=" + retentionPeriod
        + ", windowSize=" + windowSize + ", segmentInterval=" + segmentInterval
        + (retainDuplicates ? ", retainDuplicates" : "") + (timestamped ? ", timestamped" : "")
        + (emitOnClose ? ", emitOnClose]" : "]");
  }
}
