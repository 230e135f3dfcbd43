package dev.sett.kv.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.HeadersBytesStoreSupplier;
import org.apache.kafka.streams.DslStoreFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dsl.store.format=HEADERS}: Sett serves it, with the same output as Kafka's store. */
class HeadersFormatTest {
  @TempDir Path dir;

  private List<KeyValue<String, Long>> countWithHeaders(boolean sett, long seed) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in", Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count()
        .toStream().to("out", Produced.with(Serdes.String(), Serdes.Long()));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "headers-test");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(sett ? "sett" : "kafka").toString());
    props.put(StreamsConfig.DSL_STORE_FORMAT_CONFIG, StreamsConfig.DSL_STORE_FORMAT_HEADERS);
    if (sett) {
      props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, SettDslStoreSuppliers.class);
    }
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(props), props)) {
      TestInputTopic<String, String> in = driver.createInputTopic("in",
          Serdes.String().serializer(), Serdes.String().serializer());
      TestOutputTopic<String, Long> out = driver.createOutputTopic("out",
          Serdes.String().deserializer(), Serdes.Long().deserializer());
      Random random = new Random(seed);
      for (int i = 0; i < 2000; i++) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("h", new byte[] {(byte) i});
        in.pipeInput(new org.apache.kafka.streams.test.TestRecord<>("k" + random.nextInt(40),
            "v", headers, (long) i));
      }
      if (sett) {
        try (var files = Files.walk(dir.resolve("sett"))) {
          List<String> all = files.map(Path::toString).toList();
          assertTrue(all.stream().anyMatch(p -> p.contains("/sett/")),
              "Sett's store directory under the state directory: " + all);
        }
      }
      return out.readKeyValuesToList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aHeadersFormatCount_matchesKafkasStore() throws Exception {
    long seed = new Random().nextLong();
    List<KeyValue<String, Long>> kafka = countWithHeaders(false, seed);
    List<KeyValue<String, Long>> sett = countWithHeaders(true, seed);
    assertEquals(2000, kafka.size(), "seed " + seed);
    assertEquals(kafka, sett, "seed " + seed);
    assertInstanceOf(HeadersBytesStoreSupplier.class, new SettDslStoreSuppliers()
        .keyValueStore(new DslKeyValueParams("s", DslStoreFormat.HEADERS)));
  }
}
