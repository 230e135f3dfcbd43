package dev.sett.kv.kafka;

import org.apache.kafka.streams.state.TimestampedBytesStore;

/**
 * The timestamped key-value store: values are Kafka's timestamped format (the record timestamp
 * in 8 bytes, then the value), so the timestamp is kept. Implementing {@link
 * TimestampedBytesStore} tells Kafka Streams so: it stores values as they are and converts plain
 * changelog records on restore.
 */
final class SettTimestampedKeyValueStore extends SettKeyValueStore
    implements TimestampedBytesStore {

  SettTimestampedKeyValueStore(String name, String metricsScope) {
    super(name, metricsScope);
  }
}
