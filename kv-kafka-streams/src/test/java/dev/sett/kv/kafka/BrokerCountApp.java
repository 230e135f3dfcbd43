package dev.sett.kv.kafka;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * The Kafka Streams application {@link BrokerExactlyOnceTest} runs in child JVMs: counts the
 * records of each key of the input topic ({@code groupByKey().count()}) with exactly-once
 * processing, in a Sett store (through {@link SettDslStoreSuppliers}), and writes the counts to the
 * output topic.
 *
 * <p>Arguments: bootstrap servers, application id, state directory, input topic, output topic,
 * microseconds to spend on each record (0: none; the test slows the app down so that its kill
 * lands while it is in the middle of its input).
 *
 * <p>It reports on stdout, one event a line, for the test to read:
 * <ul>
 *   <li>{@code STATE <state>} on every state change;
 *   <li>{@code TASKS <state> <active task ids, comma separated>} when the state or the active
 *       tasks change;
 *   <li>{@code PROCESSED <n>} records seen by the processor so far (including any processed again
 *       after an abort);
 *   <li>{@code RESTORE-START <topic> <partition> <store> <startingOffset> <endingOffset>},
 *       {@code RESTORE-END <topic> <partition> <store> <totalRestored>} from a {@link
 *       StateRestoreListener};
 *   <li>{@code CLOSED} after a clean close, which it does when stdin says {@code stop} or ends
 *       (so it also goes away when the test JVM does).
 * </ul>
 */
public final class BrokerCountApp {
  static final String STORE = "counts";

  private BrokerCountApp() {}

  private static synchronized void report(String line) {
    System.out.println(line);
    System.out.flush();
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      throw new IllegalArgumentException("usage: BrokerCountApp <bootstrap> <application id>"
          + " <state dir> <input topic> <output topic> <micros per record>");
    }
    String bootstrap = args[0];
    String appId = args[1];
    String stateDir = args[2];
    String input = args[3];
    String output = args[4];
    long microsPerRecord = Long.parseLong(args[5]);

    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, SettDslStoreSuppliers.class);
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    // every instance counts as caught up, so a joining instance gets active tasks at once
    // instead of warm-up replicas and a probing rebalance minutes later
    p.put(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG, 1_000_000L);
    // a restarted instance waits for the group to drop the killed one: keep that short
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
    // small fetches: a slowed-down thread then works on all its partitions at once instead of
    // draining one before it fetches the next, so a kill lands in the middle of each
    p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 2048);

    AtomicLong processed = new AtomicLong();
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, String> records = builder.stream(input);
    records.peek((k, v) -> {
      processed.incrementAndGet();
      if (microsPerRecord > 0) {
        LockSupport.parkNanos(microsPerRecord * 1000);
      }
    })
        .groupByKey()
        .count(Materialized.as(STORE))
        .toStream()
        .to(output, Produced.with(Serdes.String(), Serdes.Long()));

    KafkaStreams streams = new KafkaStreams(builder.build(), p);
    Map<TopicPartition, Long> restored = new ConcurrentHashMap<>();
    streams.setGlobalStateRestoreListener(new StateRestoreListener() {
      @Override
      public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
        report("RESTORE-START " + tp.topic() + " " + tp.partition() + " " + store + " " + start
            + " " + end);
      }

      @Override
      public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long n) {
        restored.merge(tp, n, Long::sum);
      }

      @Override
      public void onRestoreEnd(TopicPartition tp, String store, long total) {
        report("RESTORE-END " + tp.topic() + " " + tp.partition() + " " + store + " " + total);
      }

      @Override
      public void onRestoreSuspended(TopicPartition tp, String store, long total) {
        report("RESTORE-SUSPENDED " + tp.topic() + " " + tp.partition() + " " + store + " "
            + total);
      }
    });
    streams.setStateListener((now, before) -> report("STATE " + now));
    streams.setUncaughtExceptionHandler(e -> {
      report("ERROR " + e);
      e.printStackTrace();
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();

    Thread reporter = new Thread(() -> {
      String last = "";
      long lastProcessed = -1;
      while (!Thread.currentThread().isInterrupted()) {
        try {
          KafkaStreams.State state = streams.state();
          TreeSet<String> tasks = new TreeSet<>();
          if (state == KafkaStreams.State.RUNNING) {
            for (ThreadMetadata t : streams.metadataForLocalThreads()) {
              for (TaskMetadata task : t.activeTasks()) {
                tasks.add(task.taskId().toString());
              }
            }
          }
          StringBuilder threads = new StringBuilder();
          for (ThreadMetadata t : streams.metadataForLocalThreads()) {
            TreeSet<String> own = new TreeSet<>();
            t.activeTasks().forEach(task -> own.add(task.taskId().toString()));
            threads.append(' ').append(t.threadName().replaceAll(".*-", "")).append(':')
                .append(t.threadState()).append(':').append(String.join(",", own));
          }
          String now = "TASKS " + state + " " + String.join(",", tasks) + " THREADS" + threads;
          if (!now.equals(last)) {
            report(now);
            last = now;
          }
          long n = processed.get();
          if (n != lastProcessed) {
            report("PROCESSED " + n);
            lastProcessed = n;
          }
          Thread.sleep(100); // the reporting period, not a wait for an event
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          report("REPORTER " + e);
        }
      }
    }, "reporter");
    reporter.setDaemon(true);
    reporter.start();

    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
        // keep reading until told to stop or until stdin ends
      }
    }
    streams.close(CloseOptions.groupMembershipOperation(
            CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(60)));
    reporter.interrupt();
    report("PROCESSED " + processed.get());
    report("CLOSED " + streams.state());
    System.exit(0);
  }
}
