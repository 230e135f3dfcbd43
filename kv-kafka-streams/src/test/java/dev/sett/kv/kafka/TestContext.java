package dev.sett.kv.kafka;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;

/**
 * A {@link StateStoreContext} for tests that drive a store by hand: a state directory, the
 * application's configuration, the record being processed (for the store's position) and the
 * restore callback the store registered.
 */
final class TestContext implements StateStoreContext {
  private final Path stateDir;
  private final Map<String, Object> configs = new HashMap<>();
  private RecordMetadata record;
  StateRestoreCallback restoreCallback;

  TestContext(Path stateDir, Map<String, Object> configs) {
    this.stateDir = stateDir;
    this.configs.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-app");
    this.configs.putAll(configs);
  }

  /** The context of an exactly-once application. */
  static TestContext exactlyOnce(Path stateDir) {
    return new TestContext(stateDir, Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        StreamsConfig.EXACTLY_ONCE_V2));
  }

  /** The context of an at-least-once application. */
  static TestContext atLeastOnce(Path stateDir) {
    return new TestContext(stateDir, Map.of());
  }

  TestContext with(String key, Object value) {
    configs.put(key, value);
    return this;
  }

  /** Sets the record being processed: the position the next write records. */
  void processing(String topic, int partition, long offset) {
    record = new ProcessorRecordContext(0L, offset, partition, topic, new RecordHeaders());
  }

  @Override
  public String applicationId() {
    return "test-app";
  }

  @Override
  public TaskId taskId() {
    return new TaskId(0, 0);
  }

  @Override
  public Optional<RecordMetadata> recordMetadata() {
    return Optional.ofNullable(record);
  }

  @Override
  public Serde<?> keySerde() {
    return Serdes.Bytes();
  }

  @Override
  public Serde<?> valueSerde() {
    return Serdes.ByteArray();
  }

  @Override
  public File stateDir() {
    return stateDir.toFile();
  }

  @Override
  public StreamsMetrics metrics() {
    return null;
  }

  @Override
  public void register(StateStore store, StateRestoreCallback callback) {
    restoreCallback = callback;
  }

  @Override
  public void register(StateStore store, StateRestoreCallback callback,
      CommitCallback commitCallback) {
    restoreCallback = callback;
  }

  @Override
  public Map<String, Object> appConfigs() {
    return configs;
  }

  @Override
  public Map<String, Object> appConfigsWithPrefix(String prefix) {
    Map<String, Object> out = new HashMap<>();
    configs.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }
}
