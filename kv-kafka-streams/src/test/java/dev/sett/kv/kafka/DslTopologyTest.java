package dev.sett.kv.kafka;

import static dev.sett.kv.kafka.DslHarness.OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.kafka.DslHarness.In;
import dev.sett.kv.kafka.DslHarness.Out;
import dev.sett.kv.kafka.DslHarness.Result;
import dev.sett.kv.kafka.DslHarness.Stores;
import dev.sett.kv.testkit.TestSeeds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one configuration line changes where state lives, not what a topology computes: each DSL
 * topology runs over the same generated input twice, with Kafka's default stores (RocksDB) and with
 * {@code dsl.store.suppliers.class} = {@link SettDslStoreSuppliers}, and the two output topics must
 * match record for record (key, value, timestamp, order). Each test also checks the output against
 * a model computed from the input alone, so that it cannot pass on empty or wrong-but-equal
 * output, and checks that the Sett run really used Sett (the innermost layer of every store is a
 * Sett class, and each store has its folder under the task's {@code sett/} directory) while the
 * default run did not.
 *
 * <p>The input comes from a seeded {@link Random} (printed as {@code reproduce: -Dtests.seed=0x...}
 * and repeated in failure messages): a few thousand records with repeated keys, tombstones, and
 * timestamps that advance and now and then step back.
 */
class DslTopologyTest {
  private static final int RECORDS = 3_000;
  /** Fewer for windowed topologies: Kafka's default window stores open a RocksDB per segment. */
  private static final int WINDOWED_RECORDS = 2_000;

  @TempDir
  Path tmp;

  private long seed;
  private Random rnd;

  @BeforeEach
  void seed(TestInfo info) {
    seed = TestSeeds.seed(info);
    rnd = new Random(seed);
  }

  // ---------------------------------------------------------------- key-value stores

  @Test
  void count() {
    List<In> in = DslHarness.input(rnd, RECORDS, List.of("in"), 200, 0.05);
    List<Out> out = same(b -> b.<String, String>stream("in").groupByKey().count()
        .toStream().mapValues(DslTopologyTest::str).to(OUT), in);

    // TopologyTestDriver commits after every record, so the cache forwards every update: the
    // output is one running count per non-null input record (count() skips null values), stamped
    // with the newest timestamp of the key's records so far (an aggregate's timestamp is the
    // maximum of its inputs', so an out-of-order record does not move it back).
    Map<String, Long> counts = new HashMap<>();
    Map<String, Long> newest = new HashMap<>();
    List<Out> model = in.stream().filter(r -> r.value() != null)
        .map(r -> new Out(r.key(), Long.toString(counts.merge(r.key(), 1L, Long::sum)),
            newest.merge(r.key(), r.ts(), Math::max)))
        .toList();
    assertEquals(model, out, this::seedText);
  }

  @Test
  void aggregateByKey() {
    List<In> in = DslHarness.input(rnd, RECORDS, List.of("in"), 100, 0.05);
    List<Out> out = same(b -> b.<String, String>stream("in").groupByKey()
        .aggregate(() -> 0L, (k, v, sum) -> sum + Integer.parseInt(v),
            Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("sums")
                .withValueSerde(Serdes.Long()))
        .toStream().mapValues(DslTopologyTest::str).to(OUT), in);

    Map<String, String> sums = new HashMap<>();
    for (In r : in) {
      if (r.value() != null) {
        sums.merge(r.key(), r.value(), (a, v) -> Long.toString(Long.parseLong(a)
            + Integer.parseInt(v)));
      }
    }
    assertEquals(sums, last(out), this::seedText);
  }

  /**
   * A table re-grouped by a function of its value and summed: the repartition topic, the adder and
   * the subtractor, and tombstones that take a key's value out of its group.
   */
  @Test
  void tableGroupByAggregate() {
    List<In> in = DslHarness.input(rnd, RECORDS, List.of("tbl"), 100, 0.15);
    List<Out> out = same(b -> b.<String, String>table("tbl")
        .groupBy((k, v) -> KeyValue.pair("b" + Integer.parseInt(v) % 7, v),
            Grouped.as("regroup"))
        .aggregate(() -> 0L, (k, v, sum) -> sum + Integer.parseInt(v),
            (k, v, sum) -> sum - Integer.parseInt(v),
            Materialized.with(Serdes.String(), Serdes.Long()))
        .toStream().mapValues(DslTopologyTest::str).to(OUT), in);

    Map<String, String> table = applyTable(in, "tbl");
    Map<String, String> sums = new HashMap<>();
    for (String b : last(out).keySet()) {
      sums.put(b, "0"); // a group emptied by tombstones keeps its aggregate, 0
    }
    table.values().forEach(v -> sums.merge("b" + Integer.parseInt(v) % 7, v,
        (a, x) -> Long.toString(Long.parseLong(a) + Integer.parseInt(x))));
    assertEquals(sums, last(out), this::seedText);
  }

  /** Each stream record joined with the table's value for its key at that moment. */
  @Test
  void streamTableJoin() {
    List<In> in = DslHarness.input(rnd, RECORDS, List.of("in", "tbl"), 50, 0.1);
    List<Out> out = same(b -> {
      KTable<String, String> t = b.table("tbl");
      b.<String, String>stream("in").join(t, (s, v) -> s + "/" + v).to(OUT);
    }, in);

    Map<String, String> table = new HashMap<>();
    List<Out> model = new java.util.ArrayList<>();
    for (In r : in) {
      if (r.topic().equals("tbl")) {
        put(table, r.key(), r.value());
      } else if (r.value() != null && table.containsKey(r.key())) {
        model.add(new Out(r.key(), r.value() + "/" + table.get(r.key()), r.ts()));
      }
    }
    assertEquals(model, out, this::seedText);
  }

  /**
   * Orders joined with customers by a key extracted from the order's value: the subscription and
   * response topics and the subscription store, with tombstones on both sides.
   */
  @Test
  void foreignKeyJoin() {
    List<In> in = DslHarness.input(rnd, RECORDS, List.of("orders", "customers"), 40, 0.1);
    List<Out> out = same(b -> {
      KTable<String, String> customers = b.table("customers");
      b.<String, String>table("orders")
          .join(customers, v -> "k" + Integer.parseInt(v) % 20, (o, c) -> o + "/" + c)
          .toStream().to(OUT);
    }, in);

    Map<String, String> orders = applyTable(in, "orders");
    Map<String, String> customers = applyTable(in, "customers");
    Map<String, String> joined = new HashMap<>();
    orders.forEach((k, o) -> {
      String c = customers.get("k" + Integer.parseInt(o) % 20);
      if (c != null) {
        joined.put(k, o + "/" + c);
      }
    });
    assertEquals(joined, withoutNulls(last(out)), this::seedText);
  }

  @Test
  void tableTableOuterJoin() {
    List<In> in = DslHarness.input(rnd, RECORDS, List.of("left", "right"), 60, 0.15);
    List<Out> out = same(b -> {
      KTable<String, String> right = b.table("right");
      b.<String, String>table("left").outerJoin(right, (l, r) -> l + "/" + r)
          .toStream().to(OUT);
    }, in);

    Map<String, String> left = applyTable(in, "left");
    Map<String, String> right = applyTable(in, "right");
    Map<String, String> joined = new HashMap<>();
    left.forEach((k, l) -> joined.put(k, l + "/" + right.get(k)));
    right.forEach((k, r) -> joined.putIfAbsent(k, "null/" + r));
    assertEquals(joined, withoutNulls(last(out)), this::seedText);
  }

  // ---------------------------------------------------------------- window and session stores
  // Pending: SettDslStoreSuppliers.windowStore and sessionStore throw until the other branch is
  // merged; the assumption turns these into skips until then (remove it after the merge).

  @Test
  void tumblingWindowCount() {
    List<In> in = DslHarness.input(rnd, WINDOWED_RECORDS, List.of("in"), 10, 0.05);
    List<Out> out = same(b -> b.<String, String>stream("in").groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofSeconds(10), Duration.ofSeconds(5)))
        .count()
        .toStream(DslTopologyTest::windowKey).mapValues(DslTopologyTest::str).to(OUT), in);
    checkWindowCounts(in, out, 10_000, 10_000);
  }

  @Test
  void hoppingWindowAggregate() {
    List<In> in = DslHarness.input(rnd, WINDOWED_RECORDS, List.of("in"), 10, 0.05);
    List<Out> out = same(b -> b.<String, String>stream("in").groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofSeconds(10), Duration.ofSeconds(5))
            .advanceBy(Duration.ofSeconds(3)))
        .aggregate(() -> "", (k, v, agg) -> agg.isEmpty() ? v : agg + "," + v)
        .toStream(DslTopologyTest::windowKey).to(OUT), in);
    // Turn the lists into counts, to check them as the tumbling test does.
    List<Out> counts = out.stream().map(o -> new Out(o.key(), o.value() == null ? null
        : Integer.toString(o.value().split(",").length), o.ts())).toList();
    checkWindowCounts(in, counts, 10_000, 3_000);
  }

  @Test
  void slidingWindowCount() {
    List<In> in = DslHarness.input(rnd, WINDOWED_RECORDS, List.of("in"), 10, 0.05);
    List<Out> out = same(b -> b.<String, String>stream("in").groupByKey()
        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(10),
            Duration.ofSeconds(5)))
        .count()
        .toStream(DslTopologyTest::windowKey).mapValues(DslTopologyTest::str).to(OUT), in);
    assertTrue(out.size() > WINDOWED_RECORDS / 2,
        () -> seedText() + ": " + out.size() + " records");
  }

  @Test
  void sessionWindowCount() {
    List<In> in = DslHarness.input(rnd, WINDOWED_RECORDS, List.of("in"), 10, 0.05);
    List<Out> out = same(b -> b.<String, String>stream("in").groupByKey()
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofSeconds(15),
            Duration.ofSeconds(5)))
        .count()
        .toStream(DslTopologyTest::windowKey).mapValues(DslTopologyTest::str).to(OUT), in);
    // Sessions merge: the merged sessions are deleted (a tombstone each) and the live sessions'
    // counts add up to at most the records of their key (late records are dropped).
    Map<String, String> live = withoutNulls(last(out));
    assertFalse(live.isEmpty(), this::seedText);
    assertTrue(out.stream().anyMatch(o -> o.value() == null), () -> seedText()
        + ": no session was ever merged");
    Map<String, Long> perKey = new HashMap<>();
    live.forEach((k, v) -> perKey.merge(k.substring(0, k.indexOf('@')), Long.parseLong(v),
        Long::sum));
    Map<String, Long> records = new HashMap<>(); // null values count too (as in windows)
    in.forEach(r -> records.merge(r.key(), 1L, Long::sum));
    perKey.forEach((k, n) -> assertTrue(n <= records.get(k), () -> seedText() + ": " + k));
  }

  @Test
  void streamStreamJoin() {
    List<In> in = DslHarness.input(rnd, WINDOWED_RECORDS, List.of("left", "right"), 30, 0.05);
    List<Out> out = same(b -> {
      KStream<String, String> right = b.stream("right");
      b.<String, String>stream("left").join(right, (l, r) -> l + "/" + r,
          JoinWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(5)))
          .to(OUT);
    }, in);
    assertTrue(out.size() > 100, () -> seedText() + ": " + out.size() + " records");
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Runs the topology with both kinds of stores over the same input and checks that the outputs
   * are the same and not empty, and that each run used the stores it was meant to.
   *
   * @return the output (of the Sett run; it equals the default run's)
   */
  private List<Out> same(Consumer<StreamsBuilder> topology, List<In> in) {
    Path defaultDir = tmp.resolve("default");
    Path settDir = tmp.resolve("sett");
    Result dflt;
    Result sett;
    List<String> defaultFolders;
    List<String> settFolders;
    // Inline rather than DslHarness.run: the folders must be listed before close(), because
    // TopologyTestDriver.close() deletes the task directory (see DslRestartTest).
    try (TopologyTestDriver d = DslHarness.driver(topology, defaultDir, Stores.DEFAULT)) {
      DslHarness.pipe(d, in);
      dflt = new Result(DslHarness.output(d), DslHarness.innermostStores(d));
      defaultFolders = DslHarness.settStoreDirs(defaultDir);
    }
    try (TopologyTestDriver d = DslHarness.driver(topology, settDir, Stores.SETT)) {
      DslHarness.pipe(d, in);
      sett = new Result(DslHarness.output(d), DslHarness.innermostStores(d));
      settFolders = DslHarness.settStoreDirs(settDir);
    }

    assertFalse(dflt.innermostStores().isEmpty(), this::seedText);
    dflt.innermostStores().forEach((name, cls) -> assertFalse(DslHarness.isSett(cls),
        () -> seedText() + ": default run: store " + name + " is " + cls));
    assertEquals(List.of(), defaultFolders, this::seedText);
    assertEquals(dflt.innermostStores().keySet(), sett.innermostStores().keySet(),
        this::seedText);
    sett.innermostStores().forEach((name, cls) -> assertTrue(DslHarness.isSett(cls),
        () -> seedText() + ": Sett run: store " + name + " is " + cls));
    assertTrue(settFolders.containsAll(sett.innermostStores().keySet()),
        () -> seedText() + ": store folders " + settFolders + ", stores "
            + sett.innermostStores().keySet());

    assertFalse(dflt.out().isEmpty(), () -> seedText() + ": the topology wrote nothing");
    assertSameOutput(dflt.out(), sett.out());
    return sett.out();
  }

  /** Equal lists, with the first difference named (the lists have thousands of records). */
  private void assertSameOutput(List<Out> expected, List<Out> actual) {
    int n = Math.min(expected.size(), actual.size());
    for (int i = 0; i < n; i++) {
      int at = i;
      assertEquals(expected.get(i), actual.get(i),
          () -> seedText() + ": output record " + at + " differs (default vs Sett)");
    }
    assertEquals(expected.size(), actual.size(),
        () -> seedText() + ": output sizes differ (default vs Sett)");
  }

  /**
   * Checks windowed counts against a model that ignores lateness: no window may count more records
   * than fell into it, and most windows count exactly that many (only records later than the
   * grace are dropped, and the input steps back at most five seconds).
   */
  private void checkWindowCounts(List<In> in, List<Out> out, long size, long advance) {
    // Unlike groupByKey().count(), windowed aggregations do not skip null values: they count.
    Map<String, Long> model = new HashMap<>();
    for (In r : in) {
      long first = Math.max(0, (r.ts() - size + advance) / advance * advance);
      for (long start = first; start <= r.ts(); start += advance) {
        if (r.ts() < start + size) {
          model.merge(r.key() + "@" + start, 1L, Long::sum);
        }
      }
    }
    Map<String, String> counts = last(out);
    assertFalse(counts.isEmpty(), this::seedText);
    int exact = 0;
    for (Map.Entry<String, String> e : counts.entrySet()) {
      long n = Long.parseLong(e.getValue());
      Long m = model.get(e.getKey().substring(0, e.getKey().lastIndexOf('-')));
      assertTrue(m != null && n <= m, () -> seedText() + ": window " + e + " model " + m);
      if (n == m) {
        exact++;
      }
    }
    int exactWindows = exact;
    assertTrue(exact >= counts.size() / 2, () -> seedText() + ": only " + exactWindows + " of "
        + counts.size() + " windows match the model");
  }

  /** {@code key@start-end}: a windowed key as a plain string (every topic carries strings). */
  private static String windowKey(Windowed<String> k, Object v) {
    return k.key() + "@" + k.window().start() + "-" + k.window().end();
  }

  private static String str(Object v) {
    return v == null ? null : v.toString();
  }

  /** The last value of each key in the output (null: the last record was a tombstone). */
  private static Map<String, String> last(List<Out> out) {
    Map<String, String> m = new LinkedHashMap<>();
    out.forEach(o -> m.put(o.key(), o.value()));
    return m;
  }

  private static Map<String, String> withoutNulls(Map<String, String> m) {
    Map<String, String> r = new HashMap<>(m);
    r.values().removeIf(v -> v == null);
    return r;
  }

  /** The table a topic ends as: the last value of each key, tombstones removing it. */
  private static Map<String, String> applyTable(List<In> in, String topic) {
    Map<String, String> t = new HashMap<>();
    in.stream().filter(r -> r.topic().equals(topic)).forEach(r -> put(t, r.key(), r.value()));
    return t;
  }

  private static void put(Map<String, String> table, String key, String value) {
    if (value == null) {
      table.remove(key);
    } else {
      table.put(key, value);
    }
  }

  private String seedText() {
    return "reproduce: -D" + TestSeeds.PROPERTY + "=" + TestSeeds.format(seed);
  }
}
