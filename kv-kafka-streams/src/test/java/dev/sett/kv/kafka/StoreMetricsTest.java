package dev.sett.kv.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sett's statistics appear as Kafka Streams store metrics under the supplier's scope. */
class StoreMetricsTest {
  @TempDir Path dir;

  @Test
  void statistics_areStoreMetrics_underTheSettScope_taggedWithTaskAndStore() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in", Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
        .count(Materialized.as(SettStores.persistentTimestampedKeyValueStore("counts")));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props);
    try (driver) {
      TestInputTopic<String, String> in = driver.createInputTopic("in",
          Serdes.String().serializer(), Serdes.String().serializer());
      for (int i = 0; i < 1000; i++) {
        in.pipeInput("k" + (i % 50), "v");
      }
      Map<MetricName, ? extends Metric> metrics = driver.metrics();
      List<MetricName> sett = metrics.keySet().stream()
          .filter(n -> n.name().startsWith("sett-")).toList();
      assertTrue(sett.size() >= 10, "sett metrics: " + sett);
      MetricName memtable = sett.stream().filter(n -> n.name().equals("sett-memtable-bytes"))
          .findFirst().orElseThrow();
      assertEquals("counts", memtable.tags().get("sett-state-id"), memtable.tags().toString());
      assertEquals("0_0", memtable.tags().get("task-id"));
      long bytes = ((Number) metrics.get(memtable).metricValue()).longValue();
      assertTrue(bytes > 0, "memtable bytes " + bytes);
      MetricName wal = sett.stream().filter(n -> n.name().equals("sett-wal-bytes-written-total"))
          .findFirst().orElseThrow();
      assertTrue(((Number) metrics.get(wal).metricValue()).longValue() > 0);
    }
  }
}
