package dev.sett.examples.wordcount;

import dev.sett.kv.kafka.SettDslStoreSuppliers;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The word count: lines of text in, the running count of each word out. The topology says
 * nothing about where its state lives; {@link #config} does, in one line.
 *
 * <p>Shared by the application ({@link Main}), the broker-less demo ({@link Demo}) and the tests,
 * so that what the demo shows is what the application runs.
 */
public final class WordCountTopology {
  /** The name of the counts' store (it names its folder, and interactive queries use it). */
  public static final String STORE = "word-counts";

  private WordCountTopology() {}

  /**
   * The topology: split each line into lower-case words, re-key by word, count.
   *
   * @param inputTopic topic of text lines (keys ignored)
   * @param outputTopic topic of counts: word to count (a {@code Long})
   * @return the topology
   */
  public static Topology build(String inputTopic, String outputTopic) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(inputTopic, Consumed.with(Serdes.String(), Serdes.String()))
        .flatMapValues(WordCountTopology::words)
        .groupBy((key, word) -> word, Grouped.with("by-word", Serdes.String(), Serdes.String()))
        .count(Materialized.as(STORE))
        .toStream()
        .to(outputTopic, Produced.with(Serdes.String(), Serdes.Long()));
    return builder.build();
  }

  /**
   * The application's configuration.
   *
   * @param applicationId the application id (names the consumer group and the state folder)
   * @param bootstrapServers the brokers ({@code host:port,...}); not contacted by the demo
   * @param stateDir where the stores keep their files
   * @return the configuration
   */
  public static Properties config(String applicationId, String bootstrapServers, Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // The one line: every store the DSL creates (here the counts) is a Sett store.
    props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, SettDslStoreSuppliers.class);
    return props;
  }

  /**
   * The words of a line: lower case, split at every character that is not a letter, digit or
   * underscore ({@code \W}), empty pieces dropped.
   *
   * @param line the line
   * @return its words, in order
   */
  public static List<String> words(String line) {
    return Arrays.stream(line.toLowerCase(Locale.ROOT).split("\\W+"))
        .filter(w -> !w.isEmpty())
        .toList();
  }
}
