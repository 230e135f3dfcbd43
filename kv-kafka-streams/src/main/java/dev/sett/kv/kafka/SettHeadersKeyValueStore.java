package dev.sett.kv.kafka;

import org.apache.kafka.streams.state.HeadersBytesStore;

/**
 * The key-value store for Kafka Streams' {@code HEADERS} store format ({@code
 * dsl.store.format=HEADERS}): values carry the record's headers and timestamp in Kafka's format,
 * kept as they are. Implementing {@link HeadersBytesStore} tells Kafka Streams so: it converts
 * plain changelog records on restore.
 */
final class SettHeadersKeyValueStore extends SettKeyValueStore implements HeadersBytesStore {

  SettHeadersKeyValueStore(String name, String metricsScope) {
    super(name, metricsScope);
  }
}
