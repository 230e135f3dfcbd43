package dev.sett.kv.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.DslSessionParams;
import org.apache.kafka.streams.state.DslWindowParams;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs one DSL topology through a {@link TopologyTestDriver}, with Kafka's default stores or with
 * Sett's ({@code dsl.store.suppliers.class} = {@link SettDslStoreSuppliers}), and captures what
 * comes out: the records of the output topic and the class of every store's innermost layer.
 * Every topic of these tests carries strings, so that outputs compare by value.
 */
final class DslHarness {
  /** The application id of every run (it names the folder under {@code state.dir}). */
  static final String APP_ID = "dsl-test";
  /** The one output topic of every topology. */
  static final String OUT = "out";
  /** TopologyTestDriver runs one task, 0_0; its state lives in {@code <state.dir>/<app>/0_0}. */
  static final String TASK_DIR = "0_0";

  private DslHarness() {}

  /** Which stores the DSL is given. */
  enum Stores {
    /** Kafka's built-in default: RocksDB. */
    DEFAULT,
    /** Sett, through the one configuration line this module promises. */
    SETT
  }

  /** One input record: its topic, key, value (null: a tombstone) and timestamp. */
  record In(String topic, String key, String value, long ts) {}

  /** One output record, compared by value (TestRecord compares headers too; none are set). */
  record Out(String key, String value, long ts) {
    static Out of(TestRecord<String, String> r) {
      return new Out(r.key(), r.value(), r.timestamp());
    }
  }

  /** What one run produced. */
  record Result(List<Out> out, Map<String, String> innermostStores) {}

  /** The configuration of a run: the one line that moves the DSL to Sett, and nothing else. */
  static Properties props(Path stateDir, Stores stores) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    if (stores == Stores.SETT) {
      p.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, SettDslStoreSuppliers.class);
    }
    return p;
  }

  /**
   * A driver on a topology built fresh from {@code topology} (a Topology cannot be shared by two
   * drivers). It is built with plain {@code build()}: the store suppliers must come from the
   * driver's configuration alone, as they come from KafkaStreams' for a real application. The
   * mocked wall clock starts at 0, so that runs do not depend on when they happen.
   */
  static TopologyTestDriver driver(Consumer<StreamsBuilder> topology, Path stateDir,
      Stores stores) {
    StreamsBuilder b = new StreamsBuilder();
    topology.accept(b);
    Topology t = b.build();
    return new TopologyTestDriver(t, props(stateDir, stores), Instant.EPOCH);
  }

  /** Pipes {@code input} in order, then reads the whole output topic and the stores' classes. */
  static Result run(Consumer<StreamsBuilder> topology, List<In> input, Path stateDir,
      Stores stores) {
    try (TopologyTestDriver d = driver(topology, stateDir, stores)) {
      pipe(d, input);
      return new Result(output(d), innermostStores(d));
    }
  }

  static void pipe(TopologyTestDriver d, List<In> input) {
    Map<String, TestInputTopic<String, String>> topics = new LinkedHashMap<>();
    for (In r : input) {
      topics.computeIfAbsent(r.topic(), t -> d.createInputTopic(t, new StringSerializer(),
          new StringSerializer())).pipeInput(r.key(), r.value(), r.ts());
    }
  }

  static List<Out> output(TopologyTestDriver d) {
    TestOutputTopic<String, String> out = d.createOutputTopic(OUT, new StringDeserializer(),
        new StringDeserializer());
    return out.readRecordsToList().stream().map(Out::of).toList();
  }

  /**
   * The class of each store's innermost layer, by store name: below Kafka's metered, caching and
   * change-logging wrappers sits the bytes store the supplier made.
   */
  static Map<String, String> innermostStores(TopologyTestDriver d) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, StateStore> e : d.getAllStateStores().entrySet()) {
      StateStore s = e.getValue();
      s = innermost(s);
      m.put(e.getKey(), s.getClass().getName());
    }
    return m;
  }

  /**
   * The store below Kafka's wrappers and format adapters. Kafka 4.3 puts some DSL stores (the
   * foreign-key join's subscription store) in a {@code TimestampedToHeadersStoreAdapter}, which is
   * not a {@link WrappedStateStore}: its store sits in a field, read here by reflection (the
   * adapters are Kafka internals; this is a test).
   */
  static StateStore innermost(StateStore store) {
    StateStore s = store;
    while (true) {
      if (s instanceof WrappedStateStore<?, ?, ?> w) {
        s = w.wrapped();
        continue;
      }
      StateStore inner = adapted(s);
      if (inner == null) {
        return s;
      }
      s = inner;
    }
  }

  private static StateStore adapted(StateStore s) {
    if (!s.getClass().getSimpleName().endsWith("Adapter")) {
      return null;
    }
    for (java.lang.reflect.Field f : s.getClass().getDeclaredFields()) {
      if (StateStore.class.isAssignableFrom(f.getType())) {
        try {
          f.setAccessible(true);
          return (StateStore) f.get(s);
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new AssertionError("cannot look inside " + s.getClass().getName(), e);
        }
      }
    }
    return null;
  }

  /** Whether a store class is one of Sett's (every Sett store lives in this package). */
  static boolean isSett(String className) {
    return className.startsWith(SettDslStoreSuppliers.class.getPackageName() + ".");
  }

  /** The folder of the Sett stores of the driver's one task. */
  static Path settDir(Path stateDir) {
    return stateDir.resolve(APP_ID).resolve(TASK_DIR).resolve(SettStoreConfig.STORES_DIR);
  }

  /** The names of the store folders under {@link #settDir}, or none. */
  static List<String> settStoreDirs(Path stateDir) {
    Path dir = settDir(stateDir);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Generated input: {@code n} records over {@code topics}, keys drawn from {@code keys} distinct
   * values (so they repeat), values small numbers, a tombstone with probability {@code
   * tombstones}, timestamps that advance by up to two seconds and, one record in ten, step back
   * up to five seconds (out of order, within the windows' grace).
   */
  static List<In> input(Random rnd, int n, List<String> topics, int keys, double tombstones) {
    List<In> in = new ArrayList<>(n);
    long ts = 1_000_000L;
    for (int i = 0; i < n; i++) {
      ts += rnd.nextInt(2_000);
      long t = rnd.nextInt(10) == 0 ? Math.max(0, ts - rnd.nextInt(5_000)) : ts;
      String topic = topics.get(rnd.nextInt(topics.size()));
      String key = "k" + rnd.nextInt(keys);
      String value = rnd.nextDouble() < tombstones ? null : Integer.toString(rnd.nextInt(100));
      in.add(new In(topic, key, value, t));
    }
    return in;
  }
}
