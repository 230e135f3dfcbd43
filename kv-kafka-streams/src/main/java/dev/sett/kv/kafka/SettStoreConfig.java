package dev.sett.kv.kafka;

import dev.sett.kv.Compression;
import dev.sett.kv.Db;
import dev.sett.kv.MemoryBudget;
import dev.sett.kv.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.StateStoreContext;

/**
 * The configuration keys Sett's stores read from the Kafka Streams application's configuration,
 * and how a store's database is opened from them.
 *
 * <ul>
 *   <li>{@value #MEMORY_BUDGET_CONFIG}: the memory budget, in bytes, that every Sett store of the
 *       JVM shares (memtables and block and index caches; see {@link MemoryBudget}). Default
 *       {@value #DEFAULT_MEMORY_BUDGET} (512 MiB), however many stores are open: 300 stores share
 *       it as one store does. Stores configured with the same size share one budget; a different
 *       size makes another.
 *   <li>{@value #OPTIONS_CUSTOMIZER_CONFIG}: a {@link SettOptionsCustomizer} class applied to
 *       every store's options.
 *   <li>{@value #SYNC_WRITES_CONFIG}: whether each commit is fsynced (default {@code false}, as
 *       Kafka's RocksDB store: the changelog topic is the durable copy, and a store that lost its
 *       newest commits to a power cut restores them from it).
 * </ul>
 */
public final class SettStoreConfig {
  /** The memory budget all Sett stores of the JVM share, in bytes. */
  public static final String MEMORY_BUDGET_CONFIG = "sett.memory.budget.bytes";
  /** Default {@link #MEMORY_BUDGET_CONFIG}: 512 MiB for all stores together. */
  public static final long DEFAULT_MEMORY_BUDGET = 512L << 20;
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
        // As Kafka's RocksDB store: no block compression. Kafka's serialized values rarely
        // compress well, and LZ4 on every flushed and compacted block took a third of a restore's
        // time (docs/BENCHMARKS.md).
        .compression(Compression.NONE)
        // One compaction thread per store: an instance opens hundreds of stores, each writing
        // a share of the instance's input.
        .numCompactors(1)
        .syncWrites(bool(configs.get(SYNC_WRITES_CONFIG), false))
        .memTableSize(STORE_MEMTABLE_SIZE)
        .memoryBudget(sharedBudget(longValue(configs.get(MEMORY_BUDGET_CONFIG),
            DEFAULT_MEMORY_BUDGET, MEMORY_BUDGET_CONFIG)));
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

  /**
   * The largest memtable of a store: 16 MiB, RocksDB's write buffer in Kafka Streams. The shared
   * pool decides how large each one really is (small for an idle store).
   */
  static final long STORE_MEMTABLE_SIZE = 16L << 20;

  /** One budget per configured size, for the life of the JVM (a budget holds no resources). */
  private static final Map<Long, MemoryBudget> BUDGETS = new ConcurrentHashMap<>();

  /** The budget every store configured with {@code bytes} shares. */
  static MemoryBudget sharedBudget(long bytes) {
    try {
      return BUDGETS.computeIfAbsent(bytes, MemoryBudget::of);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(MEMORY_BUDGET_CONFIG + ": " + e.getMessage(), e);
    }
  }

  private static long longValue(Object v, long dflt, String key) {
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number of bytes, got " + v, e);
    }
  }

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
