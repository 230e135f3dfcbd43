package dev.sett.kv.kafka;

import org.apache.kafka.streams.state.TimestampedBytesStore;

/**
 * The timestamped window store: values are Kafka's timestamped format (the record timestamp in 8
 * bytes, then the value). Implementing {@link TimestampedBytesStore} tells Kafka Streams so: it
 * stores values as they are and converts plain changelog records on restore.
 */
final class SettTimestampedWindowStore extends SettWindowStore implements TimestampedBytesStore {

  SettTimestampedWindowStore(String name, String metricsScope, long retentionPeriod,
      long segmentInterval, long windowSize, boolean retainDuplicates, boolean emitOnClose) {
    super(name, metricsScope, retentionPeriod, segmentInterval, windowSize, retainDuplicates,
        emitOnClose);
  }
}
