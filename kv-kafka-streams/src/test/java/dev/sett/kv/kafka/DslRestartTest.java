package dev.sett.kv.kafka;

import static dev.sett.kv.kafka.DslHarness.OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.kafka.DslHarness.In;
import dev.sett.kv.kafka.DslHarness.Out;
import dev.sett.kv.kafka.DslHarness.Stores;
import dev.sett.kv.testkit.TestSeeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to a Sett store's state when a {@link TopologyTestDriver} is restarted on the same
 * {@code state.dir} and application id.
 *
 * <p>What TopologyTestDriver 4.3.1 does (read from its bytecode and asserted below):
 *
 * <ul>
 *   <li>It never restores a store from its changelog: there is no broker, the task is told its
 *       restoration is complete as soon as it is initialized, and the changelog records it
 *       "produces" only land in its captured output.
 *   <li>{@code close()} commits and closes the task (so Sett's stores are closed cleanly), then
 *       calls {@code StateDirectory.clean()}, which deletes every task directory under {@code
 *       <state.dir>/<application id>}: the {@code sett/} folder goes with it. A driver opened next
 *       on the same directory starts empty, whatever the stores; a real KafkaStreams {@code close()}
 *       leaves the directory alone (only {@code cleanUp()} deletes it).
 *   <li>Opening a driver does not wipe what it finds: stores open what is in the task directory.
 * </ul>
 *
 * <p>So a restart in which state survives has to keep the files from {@code close()}: {@link
 * #filesLeftBehind_areReopened_andCountsContinue} copies the task directory while the first
 * driver is still open, as a killed process would leave it, and puts the copy back after {@code
 * close()} has deleted the original.
 */
class DslRestartTest {
  private static final String CHANGELOG = DslHarness.APP_ID + "-counts-changelog";

  @TempDir
  Path tmp;

  private long seed;
  private Random rnd;

  @BeforeEach
  void seed(TestInfo info) {
    seed = TestSeeds.seed(info);
    rnd = new Random(seed);
  }

  private static final Consumer<StreamsBuilder> COUNT = b -> b.<String, String>stream("in")
      .groupByKey()
      .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts"))
      .toStream().mapValues(v -> v == null ? null : v.toString()).to(OUT);

  @Test
  void close_deletesTheTaskDirectory_soTheNextDriverStartsEmpty() {
    Path stateDir = tmp.resolve("state");
    List<In> first = DslHarness.input(rnd, 1_000, List.of("in"), 20, 0);
    List<In> second = DslHarness.input(rnd, 1_000, List.of("in"), 20, 0);
    try (TopologyTestDriver d = DslHarness.driver(COUNT, stateDir, Stores.SETT)) {
      DslHarness.pipe(d, first);
      assertEquals(counts(first), last(DslHarness.output(d)), seedText());
      assertTrue(DslHarness.settStoreDirs(stateDir).contains("counts"), seedText());
    }
    // TopologyTestDriver.close() -> StateDirectory.clean(): the task directory is gone.
    assertFalse(Files.exists(stateDir.resolve(DslHarness.APP_ID).resolve(DslHarness.TASK_DIR)),
        seedText());

    try (TopologyTestDriver d = DslHarness.driver(COUNT, stateDir, Stores.SETT)) {
      DslHarness.pipe(d, second);
      // The counts start over: they are the second input's alone.
      assertEquals(counts(second), last(DslHarness.output(d)), seedText());
    }
  }

  @Test
  void filesLeftBehind_areReopened_andCountsContinue() {
    Path stateDir = tmp.resolve("state");
    Path image = tmp.resolve("image");
    List<In> first = DslHarness.input(rnd, 1_000, List.of("in"), 20, 0);
    List<In> second = DslHarness.input(rnd, 1_000, List.of("in"), 20, 0);
    Long offsetBefore;
    try (TopologyTestDriver d = DslHarness.driver(COUNT, stateDir, Stores.SETT)) {
      DslHarness.pipe(d, first);
      assertEquals(counts(first), last(DslHarness.output(d)), seedText());
      // The driver commits after every record, so the last commit wrote every count together
      // with the changelog offset it covers. Nothing writes between records (no memtable is near
      // full, no value is large enough for the value log), so a file-by-file copy now is the
      // image a process killed here would leave: the WAL holds the committed transactions.
      offsetBefore = settStore(d).storeDb().committedOffset(new TopicPartition(CHANGELOG, 0));
      assertNotNull(offsetBefore, seedText() + ": no changelog offset committed in the store");
      copyTree(stateDir, image);
    }
    assertFalse(Files.exists(stateDir.resolve(DslHarness.APP_ID).resolve(DslHarness.TASK_DIR)),
        seedText());
    copyTree(image, stateDir); // what a real restart would find: the files, untouched

    try (TopologyTestDriver d = DslHarness.driver(COUNT, stateDir, Stores.SETT)) {
      SettKeyValueStore store = settStore(d);
      // Reopened from the files (TopologyTestDriver restores nothing): the committed offset and
      // the counts are the first driver's.
      assertEquals(offsetBefore, store.storeDb().committedOffset(new TopicPartition(CHANGELOG,
          0)), seedText());
      KeyValueStore<String, Long> counts = d.getKeyValueStore("counts");
      counts(first).forEach((k, n) -> assertEquals(Long.valueOf(n), counts.get(k),
          seedText() + ": " + k));

      DslHarness.pipe(d, second);
      List<In> both = Stream.concat(first.stream(), second.stream()).toList();
      // The counts continue from the old values.
      Map<String, String> expected = new HashMap<>(counts(both));
      expected.keySet().retainAll(counts(second).keySet()); // the keys the second run updated
      assertEquals(expected, last(DslHarness.output(d)), seedText());
    }
  }

  private static SettKeyValueStore settStore(TopologyTestDriver d) {
    return (SettKeyValueStore) DslHarness.innermost(d.getAllStateStores().get("counts"));
  }

  private static Map<String, String> counts(List<In> in) {
    Map<String, Long> c = new HashMap<>();
    in.stream().filter(r -> r.value() != null).forEach(r -> c.merge(r.key(), 1L, Long::sum));
    Map<String, String> s = new HashMap<>();
    c.forEach((k, v) -> s.put(k, v.toString()));
    return s;
  }

  private static Map<String, String> last(List<Out> out) {
    Map<String, String> m = new HashMap<>();
    out.forEach(o -> m.put(o.key(), o.value()));
    return m;
  }

  private static void copyTree(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String seedText() {
    return "reproduce: -D" + TestSeeds.PROPERTY + "=" + TestSeeds.format(seed);
  }
}
