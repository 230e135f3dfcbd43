package dev.sett.examples.wordcount;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * The word count application: reads lines from a topic and writes each word's running count to
 * another, its state in Sett.
 *
 * <pre>
 * wordcount [--bootstrap-servers HOST:PORT] [--input TOPIC] [--output TOPIC] [--state-dir DIR]
 * wordcount --demo [FILE] [--top N]     the same topology without a broker (see {@link Demo})
 * </pre>
 *
 * <p>Options not given come from the environment ({@code BOOTSTRAP_SERVERS}, {@code INPUT_TOPIC},
 * {@code OUTPUT_TOPIC}, {@code STATE_DIR}), else default to {@code localhost:9092}, {@code
 * text-lines}, {@code word-counts} and {@code <tmp>/sett-wordcount}. The application id is {@code
 * sett-wordcount}. It runs until interrupted (Ctrl-C), then closes cleanly.
 */
public final class Main {
  private Main() {}

  /**
   * Runs the application, or the demo with {@code --demo}.
   *
   * @param args the options above
   * @throws Exception if the demo cannot read its text, or the wait is interrupted
   */
  public static void main(String[] args) throws Exception {
    String bootstrap = env("BOOTSTRAP_SERVERS", "localhost:9092");
    String input = env("INPUT_TOPIC", "text-lines");
    String output = env("OUTPUT_TOPIC", "word-counts");
    String stateDir = env("STATE_DIR", Path.of(System.getProperty("java.io.tmpdir"),
        "sett-wordcount").toString());
    boolean demo = false;
    Path demoFile = null;
    int top = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--demo" -> {
          demo = true;
          if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
            demoFile = Path.of(args[++i]);
          }
        }
        case "--top" -> top = Integer.parseInt(value(args, ++i));
        case "--bootstrap-servers" -> bootstrap = value(args, ++i);
        case "--input" -> input = value(args, ++i);
        case "--output" -> output = value(args, ++i);
        case "--state-dir" -> stateDir = value(args, ++i);
        case "-h", "--help" -> {
          usage();
          return;
        }
        default -> {
          System.err.println("unknown option: " + args[i]);
          usage();
          System.exit(2);
        }
      }
    }
    if (demo) {
      quietLogs();
      Demo.print(demoFile, top, System.out);
      return;
    }
    run(bootstrap, input, output, Path.of(stateDir));
  }

  private static void run(String bootstrap, String input, String output, Path stateDir)
      throws InterruptedException {
    KafkaStreams streams = new KafkaStreams(WordCountTopology.build(input, output),
        WordCountTopology.config("sett-wordcount", bootstrap, stateDir));
    CountDownLatch stopped = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
        stopped.countDown();
      }
    });
    // A failure stops the application rather than leaving it running without a thread.
    streams.setUncaughtExceptionHandler(e -> {
      System.err.println("word count failed: " + e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close(Duration.ofSeconds(30));
      stopped.countDown();
    }, "wordcount-shutdown"));
    System.out.printf("word count: %s -> %s on %s, state in %s (Sett); Ctrl-C stops%n", input,
        output, bootstrap, stateDir);
    streams.start();
    stopped.await();
  }

  /** Held: java.util.logging keeps only weak references to configured loggers. */
  private static final java.util.logging.Logger SETT_LOG =
      java.util.logging.Logger.getLogger("dev.sett");

  /**
   * The demo prints its own report: Kafka's warnings about its configuration (a temporary state
   * directory, handler defaults) and Sett's notes on opening a database (through {@code
   * System.Logger}, hence java.util.logging) would only hide it. Set before the first logger is
   * made.
   */
  private static void quietLogs() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    SETT_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      System.err.println(args[i - 1] + " needs a value");
      usage();
      System.exit(2);
    }
    return args[i];
  }

  private static void usage() {
    System.err.println("""
        usage: wordcount [--bootstrap-servers HOST:PORT] [--input TOPIC] [--output TOPIC] \
        [--state-dir DIR]
               wordcount --demo [FILE] [--top N]
        The first runs the word count against a Kafka cluster (environment: BOOTSTRAP_SERVERS,
        INPUT_TOPIC, OUTPUT_TOPIC, STATE_DIR); --demo runs the same topology without a broker
        over a bundled text (or FILE) and prints the top words.""");
  }
}
