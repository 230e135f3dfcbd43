package dev.sett.examples.wordcount;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The word count without a broker: the same topology and configuration as {@link Main}, driven by
 * Kafka's {@link TopologyTestDriver} (it feeds records to the topology in process and captures
 * what it writes), over a bundled text or a file.
 */
public final class Demo {
  /** The bundled text: the opening of Alice's Adventures in Wonderland (public domain). */
  public static final String BUNDLED_TEXT = "alice.txt";

  static final String INPUT = "text-lines";
  static final String OUTPUT = "word-counts";

  /**
   * What a demo run saw.
   *
   * @param lines lines read
   * @param counts the last count written for each word
   * @param stored the count the store holds for each word (an interactive query)
   * @param storeDir the folder of the counts' Sett store
   * @param storeFiles the files in it, while the store was open
   */
  public record Result(int lines, Map<String, Long> counts, Map<String, Long> stored,
      Path storeDir, List<String> storeFiles) {}

  private Demo() {}

  /**
   * Counts the words of {@code text} through the topology, with its state in Sett under {@code
   * stateDir}.
   *
   * @param text the lines
   * @param stateDir the state directory (TopologyTestDriver deletes the task's folder in it when
   *     it closes)
   * @return what the run saw
   */
  public static Result run(List<String> text, Path stateDir) {
    var config = WordCountTopology.config("sett-wordcount-demo", "no-broker:9092", stateDir);
    try (TopologyTestDriver driver = new TopologyTestDriver(
        WordCountTopology.build(INPUT, OUTPUT), config, Instant.EPOCH)) {
      TestInputTopic<String, String> in = driver.createInputTopic(INPUT, new StringSerializer(),
          new StringSerializer());
      TestOutputTopic<String, Long> out = driver.createOutputTopic(OUTPUT,
          new StringDeserializer(), new LongDeserializer());
      for (String line : text) {
        in.pipeInput(null, line);
      }
      Map<String, Long> counts = out.readKeyValuesToMap();
      // The DSL's count() keeps a timestamp with each value: a timestamped store.
      KeyValueStore<String, ValueAndTimestamp<Long>> store =
          driver.getTimestampedKeyValueStore(WordCountTopology.STORE);
      Map<String, Long> stored = new LinkedHashMap<>();
      try (var it = store.all()) {
        it.forEachRemaining(kv -> stored.put(kv.key, kv.value.value()));
      }
      // TopologyTestDriver runs one task, 0_0; Sett keeps each store in <task>/sett/<store>.
      Path storeDir = stateDir.resolve("sett-wordcount-demo").resolve("0_0").resolve("sett")
          .resolve(WordCountTopology.STORE);
      return new Result(text.size(), counts, stored, storeDir, list(storeDir));
    }
  }

  /**
   * Runs the demo and prints the top words.
   *
   * @param file a text file, or null for the bundled text
   * @param top how many words to print
   * @param out where to print
   */
  static void print(Path file, int top, PrintStream out) throws IOException {
    List<String> text = file == null ? bundledText() : Files.readAllLines(file);
    Path stateDir = Files.createTempDirectory("sett-wordcount-");
    try {
      Result r = run(text, stateDir);
      out.printf("Word count on Sett, through TopologyTestDriver (no broker): %d lines of %s%n",
          r.lines(), file == null ? "Alice's Adventures in Wonderland, chapter I" : file);
      out.printf("%d distinct words; the counts were in a Sett store in %s (a temporary"
          + " folder, deleted at exit), holding:%n  %s%n",
          r.counts().size(), r.storeDir(), String.join(" ", r.storeFiles()));
      out.printf("top %d words:%n", top);
      r.counts().entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed()
              .thenComparing(Map.Entry.comparingByKey()))
          .limit(top)
          .forEach(e -> out.printf("  %-12s %4d%n", e.getKey(), e.getValue()));
      out.println(r.stored().equals(r.counts())
          ? "the store (read back with an interactive query) holds the same counts"
          : "MISMATCH: the store holds " + r.stored());
    } finally {
      delete(stateDir);
    }
  }

  /**
   * The bundled text's lines.
   *
   * @return the lines
   */
  public static List<String> bundledText() {
    try (InputStream s = Demo.class.getResourceAsStream(BUNDLED_TEXT)) {
      if (s == null) {
        throw new IllegalStateException(BUNDLED_TEXT + " missing from the class path");
      }
      return new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8)).lines()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.forEach(all::add);
    }
    all.sort(Comparator.reverseOrder()); // children before their folder
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
