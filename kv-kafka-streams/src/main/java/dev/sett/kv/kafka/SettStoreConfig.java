package dev.sett.kv.kafka;

import dev.sett.kv.Db;
import dev.sett.kv.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.StateStoreContext;

/**
 * The configuration keys Sett's stores read from the Kafka Streams application's configuration,
 * and how a store's database is opened from them.
 *
 * <ul>
 *   <li>{@value #OPTIONS_CUSTOMIZER_CONFIG}: a {@link SettOptionsCustomizer} class applied to
 *       every store's options.
 *   <li>{@value #SYNC_WRITES_CONFIG}: whether each commit is fsynced (default {@code false}, as
 *       Kafka's RocksDB store: the changelog topic is the durable copy, and a store that lost its
 *       newest commits to a power cut restores them from it).
 * </ul>
 */
public final class SettStoreConfig {
  /** Class name of a {@link SettOptionsCustomizer}. */
  public static final String OPTIONS_CUSTOMIZER_CONFIG = "sett.options.customizer";
  /** Whether commits are fsynced; {@code false} by default. */
  public static final String SYNC_WRITES_CONFIG = "sett.sync.writes";

  /** The folder under a task's state directory that holds the Sett stores. */
  static final String STORES_DIR = "sett";

  private SettStoreConfig() {}

  /** The directory of one store's database: {@code <task state dir>/sett/<store name>}. */
  static Path storeDir(StateStoreContext context, String name) {
    return context.stateDir().toPath().resolve(STORES_DIR).resolve(name);
  }

  /** Whether the application runs with exactly-once processing. */
  static boolean exactlyOnce(Map<String, Object> configs) {
    Object g = configs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
    return g != null && g.toString().startsWith("exactly_once");
  }

  /** Opens the database of store {@code name} with the application's configuration. */
  static Db open(StateStoreContext context, String name) {
    Map<String, Object> configs = context.appConfigs();
    Path dir = storeDir(context, name);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ProcessorStateException("cannot create the directory of store " + name + ": "
          + dir, e);
    }
    Options.Builder b = Options.builder(dir)
        .detectConflicts(false) // one writer per store: no reads to track
        .syncWrites(bool(configs.get(SYNC_WRITES_CONFIG), false))
        .memTableSize(STORE_MEMTABLE_SIZE)
        .memoryBudget(STORE_MEMORY_BUDGET);
    Object customizer = configs.get(OPTIONS_CUSTOMIZER_CONFIG);
    if (customizer != null) {
      customizer(customizer).customize(name, b, configs);
    }
    try {
      return Db.open(b.build());
    } catch (RuntimeException e) {
      throw new ProcessorStateException("cannot open store " + name + " in " + dir + ": "
          + e.getMessage(), e);
    }
  }

  static final long STORE_MEMTABLE_SIZE = 8L << 20;
  static final long STORE_MEMORY_BUDGET = 64L << 20;

  private static SettOptionsCustomizer customizer(Object value) {
    if (value instanceof SettOptionsCustomizer c) {
      return c;
    }
    try {
      Class<?> type = value instanceof Class<?> c ? c : Class.forName(value.toString(), true,
          Thread.currentThread().getContextClassLoader() != null
              ? Thread.currentThread().getContextClassLoader()
              : SettStoreConfig.class.getClassLoader());
      return (SettOptionsCustomizer) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException(OPTIONS_CUSTOMIZER_CONFIG + "=" + value
          + " is not a SettOptionsCustomizer class with a public no-argument constructor", e);
    }
  }

  private static boolean bool(Object v, boolean dflt) {
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim();
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException(SYNC_WRITES_CONFIG + " must be true or false, got " + v);
  }
}
