package dev.sett.kv.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.kafka.DslHarness.In;
import dev.sett.kv.kafka.DslHarness.Stores;
import dev.sett.kv.testkit.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.TimestampedKeyQuery;
import org.apache.kafka.streams.query.TimestampedRangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactive queries answer the same with Sett's stores as with Kafka's default ones: the
 * driver's typed store views ({@code getKeyValueStore}, {@code getTimestampedKeyValueStore}),
 * IQv2 queries on the store ({@link KeyQuery}, {@link TimestampedKeyQuery}, {@link RangeQuery},
 * {@link TimestampedRangeQuery}; TopologyTestDriver has no {@code KafkaStreams.query}, so they go
 * to the store's {@code query()} the way KafkaStreams routes them), and the same reads from a
 * thread other than the one that processes, which with Sett see what the last commit wrote (the
 * driver commits after every record, so that is everything).
 */
class DslQueryTest {
  @TempDir
  Path tmp;

  private long seed;
  private Random rnd;
  private final ExecutorService queryThread = Executors.newSingleThreadExecutor();

  @BeforeEach
  void seed(TestInfo info) {
    seed = TestSeeds.seed(info);
    rnd = new Random(seed);
  }

  @AfterEach
  void stop() {
    queryThread.shutdownNow();
  }

  /** A count by key, and a table of the same input ("tbl") kept as it is. */
  private static final Consumer<StreamsBuilder> TOPOLOGY = b -> {
    b.<String, String>stream("in").groupByKey()
        .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts"))
        .toStream().mapValues(v -> v == null ? null : v.toString()).to(DslHarness.OUT);
    b.<String, String>table("tbl", Materialized.as("tbl-store"));
  };

  @Test
  void queries_seeTheSameValues_withSettAndWithTheDefaultStores() throws Exception {
    List<In> in = DslHarness.input(rnd, 3_000, List.of("in", "tbl"), 150, 0.1);
    Map<String, Object> dflt = views(in, tmp.resolve("default"), Stores.DEFAULT);
    Map<String, Object> sett = views(in, tmp.resolve("sett"), Stores.SETT);
    assertEquals(dflt.keySet(), sett.keySet());
    for (String view : dflt.keySet()) {
      assertEquals(dflt.get(view), sett.get(view), seedText() + ": view " + view);
    }

    // Not trivially equal: the counts are the input's.
    Map<String, Long> counts = new HashMap<>();
    in.stream().filter(r -> r.topic().equals("in") && r.value() != null)
        .forEach(r -> counts.merge(r.key(), 1L, Long::sum));
    assertTrue(counts.size() > 100, seedText());
    assertEquals(counts, sett.get("counts: get"), seedText());
    assertEquals(counts, sett.get("counts: IQv2 KeyQuery, query thread"), seedText());
  }

  /** Everything the store answers, by the name of the way it was asked. */
  private Map<String, Object> views(List<In> in, Path stateDir, Stores stores)
      throws InterruptedException, ExecutionException {
    TreeSet<String> keys = new TreeSet<>();
    in.forEach(r -> keys.add(r.key()));
    Map<String, Object> v = new LinkedHashMap<>();
    try (TopologyTestDriver d = DslHarness.driver(TOPOLOGY, stateDir, stores)) {
      DslHarness.pipe(d, in);
      assertEquals(stores == Stores.SETT,
          DslHarness.isSett(DslHarness.innermostStores(d).get("counts")), seedText());

      for (String name : List.of("counts", "tbl-store")) {
        KeyValueStore<String, Object> plain = d.getKeyValueStore(name);
        KeyValueStore<String, ValueAndTimestamp<Object>> ts =
            d.getTimestampedKeyValueStore(name);
        StateStore store = d.getAllStateStores().get(name);
        v.put(name + ": get", gets(keys, plain::get));
        v.put(name + ": timestamped get", gets(keys, k -> str(ts.get(k))));
        v.put(name + ": all", list(plain.all()));
        v.put(name + ": reverseAll", list(plain.reverseAll()));
        v.put(name + ": range k1..k3", list(plain.range("k1", "k3")));
        v.put(name + ": prefixScan k2", list(plain.prefixScan("k2", new StringSerializer())));
        v.put(name + ": timestamped all", list(ts.all()));
        v.put(name + ": IQv2 KeyQuery", gets(keys, k -> query(store, KeyQuery.withKey(k))));
        v.put(name + ": IQv2 TimestampedKeyQuery",
            gets(keys, k -> str(query(store, TimestampedKeyQuery.withKey(k)))));
        v.put(name + ": IQv2 RangeQuery", list(query(store, RangeQuery.withRange("k1", "k5"))));
        v.put(name + ": IQv2 TimestampedRangeQuery",
            list(query(store, TimestampedRangeQuery.withNoBounds())));
        // The same from a thread that does not process: Sett answers it from the last commit.
        v.put(name + ": get, query thread",
            queryThread.submit(() -> gets(keys, plain::get)).get());
        v.put(name + ": IQv2 KeyQuery, query thread", queryThread.submit(
            () -> gets(keys, k -> query(store, KeyQuery.withKey(k)))).get());
        v.put(name + ": all, query thread", queryThread.submit(() -> list(plain.all())).get());
      }
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private <R> R query(StateStore store, Query<R> q) {
    QueryResult<R> r = store.query(q, PositionBound.unbounded(), new QueryConfig(false));
    assertTrue(r.isSuccess(), () -> seedText() + ": " + q + " failed: " + r);
    return r.getResult();
  }

  private static Map<String, Object> gets(TreeSet<String> keys,
      java.util.function.Function<String, Object> get) {
    Map<String, Object> m = new HashMap<>();
    for (String k : keys) {
      Object value = get.apply(k);
      if (value != null) {
        m.put(k, value);
      }
    }
    return m;
  }

  /** A ValueAndTimestamp as text: its equals compares values, which is what is meant here. */
  private static String str(Object v) {
    return v == null ? null : v.toString();
  }

  private static <K, V> List<String> list(KeyValueIterator<K, V> it) {
    List<String> l = new ArrayList<>();
    try (it) {
      while (it.hasNext()) {
        KeyValue<K, V> kv = it.next();
        l.add(kv.key + "=" + kv.value);
      }
    }
    return l;
  }

  private String seedText() {
    return "reproduce: -D" + TestSeeds.PROPERTY + "=" + TestSeeds.format(seed);
  }
}
