package dev.sett.kv.kafka;

import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.SessionStore;

/** Supplies Sett session stores (see {@link SettStores}). */
final class SettSessionBytesStoreSupplier implements SessionBytesStoreSupplier {
  /** The metrics scope of Sett's session stores. */
  static final String METRICS_SCOPE = "sett-session"; // Kafka tags metrics "<scope>-state-id"

  private final String name;
  private final long retentionPeriod;
  private final long segmentInterval;

  SettSessionBytesStoreSupplier(String name, long retentionPeriod, long segmentInterval) {
    this.name = Objects.requireNonNull(name, "name cannot be null");
    this.retentionPeriod = retentionPeriod;
    this.segmentInterval = segmentInterval;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SessionStore<Bytes, byte[]> get() {
    return new SettSessionStore(name, METRICS_SCOPE, retentionPeriod, segmentInterval);
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
  public long retentionPeriod() {
    return retentionPeriod;
  }

  @Override
  public String toString() {
    return "SettSessionBytesStoreSupplier[" + name + ", retention=" + retentionPeriod
        + ", segmentInterval=" + segmentInterval + "]";
  }
}
