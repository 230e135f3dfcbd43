package dev.sett.kv.kafka;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real Kafka node (KRaft, broker and controller combined) inside the test JVM, on Kafka's own
 * cluster test kit ({@link KafkaClusterTestKit}), set up so that exactly-once works on a single
 * broker: the transaction state log and the offsets topic with one replica and a minimum ISR of
 * one. Ports are picked by the test kit; its files live under the given directory.
 */
final class TestBroker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private TestBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** Formats and starts the node under {@code baseDir} and waits until the broker is ready. */
  static TestBroker start(Path baseDir) throws Exception {
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .setBaseDirectory(baseDir)
            .build());
    Map<String, Object> config = Map.ofEntries(
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("transaction.state.log.num.partitions", "3"),
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "3"),
        Map.entry("default.replication.factor", "1"),
        Map.entry("min.insync.replicas", "1"),
        // a restarted member should not wait long for the group to notice the killed one
        Map.entry("group.min.session.timeout.ms", "0"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        Map.entry("auto.create.topics.enable", "false"),
        Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024)));
    config.forEach(builder::setConfigProp);
    KafkaClusterTestKit cluster = builder.build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception | Error e) {
      try {
        cluster.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return new TestBroker(cluster);
  }

  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /** Creates topics with {@code partitions} partitions and one replica each. */
  void createTopics(int partitions, String... names) throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(java.util.Arrays.stream(names)
              .map(n -> new NewTopic(n, partitions, (short) 1)).toList())
          .all().get(60, TimeUnit.SECONDS);
      // wait until the topics are visible in the metadata (a bounded get, not a sleep)
      admin.describeTopics(List.of(names)).allTopicNames().get(60, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing the broker", e);
    } catch (Exception e) {
      throw new IllegalStateException("closing the broker failed", e);
    }
  }
}
