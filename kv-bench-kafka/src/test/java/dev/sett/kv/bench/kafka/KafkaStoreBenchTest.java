package dev.sett.kv.bench.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness runs: every measurement of both stores at tiny sizes, in child JVMs as a real run
 * does, and the table names both goals. No timing is checked.
 */
class KafkaStoreBenchTest {

  @Test
  void everyMeasurementRunsForBothStores(@TempDir Path dir) throws Exception {
    KafkaStoreBench.Config c = KafkaStoreBench.Config.parse(new String[] {"--smoke",
        "--dir", dir.toString(), "--heap", "256m",
        "--restore-keys", "3000", "--restore-overwrites", "1000", "--batch", "100",
        "--count-records", "500", "--count-keys", "50",
        "--rss-stores", "4", "--rss-puts", "2000", "--rss-keys-per-store", "200",
        "--rss-commit-every", "100"});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<KafkaStoreBench.Outcome> out;
    try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      out = KafkaStoreBench.run(c, ps);
    }
    String table = bytes.toString(StandardCharsets.UTF_8);
    // restore, count with caching on and off, rss: each for sett and rocksdb
    assertEquals(8, out.size(), table);
    for (KafkaStoreBench.Outcome o : out) {
      assertTrue(!o.fields().containsKey("failed"), o.measure() + " " + o.store() + ": "
          + o.fields());
      switch (o.measure()) {
        case "restore" -> {
          assertEquals(4000, o.num("records"), table);
          assertTrue(o.num("verified") > 0, table); // reopened: offset and sampled values right
        }
        case "count" -> assertEquals(500, o.num("records"), table);
        case "rss" -> assertEquals(2000, o.num("puts"), table);
        default -> throw new AssertionError(o.measure());
      }
      assertTrue(o.num("peakRss") != 0, table);
    }
    assertTrue(table.contains("goal: restore at least as fast as RocksDB"), table);
    assertTrue(table.contains("goal: peak RSS with 4 stores at most half"), table);
    // Every child's state directory is gone; only the logs stay.
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("sett-bench-kafka-logs")), s.toList(), table);
    }
  }

  @Test
  void countsTakeSuffixes() {
    assertEquals(3_000_000, KafkaStoreBench.parseCount("3m"));
    assertEquals(500_000, KafkaStoreBench.parseCount("500k"));
    assertEquals(1_500_000, KafkaStoreBench.parseCount("1.5m"));
    assertEquals(42, KafkaStoreBench.parseCount("42"));
  }

  @Test
  void keysAreDistinctAndOfTheAskedSize() {
    byte[] a = KafkaBenchChild.key(1, 20);
    byte[] b = KafkaBenchChild.key(2, 20);
    assertEquals(20, a.length);
    assertTrue(!java.util.Arrays.equals(a, b));
  }
}
