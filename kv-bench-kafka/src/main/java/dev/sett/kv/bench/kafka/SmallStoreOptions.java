package dev.sett.kv.bench.kafka;

import dev.sett.kv.Compression;
import dev.sett.kv.Options;
import dev.sett.kv.kafka.SettOptionsCustomizer;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link SettOptionsCustomizer} for measuring Sett's stores away from the module's defaults,
 * from system properties (each optional; unset leaves the module's default):
 *
 * <ul>
 *   <li>{@code sett.bench.memtable}: memtable size in bytes (k, m suffixes);
 *   <li>{@code sett.bench.budget}: memory budget in bytes (k, m suffixes);
 *   <li>{@code sett.bench.compression}: {@code NONE} or {@code LZ4}.
 * </ul>
 *
 * <p>Pass it with {@code --sett-customizer dev.sett.kv.bench.kafka.SmallStoreOptions} and the
 * properties with {@code --jvm-arg -Dsett.bench.memtable=1m} and so on.
 */
public final class SmallStoreOptions implements SettOptionsCustomizer {
  /** Public, for Kafka Streams' configuration to create it by class name. */
  public SmallStoreOptions() {}

  @Override
  public void customize(String storeName, Options.Builder options,
      Map<String, Object> appConfigs) {
    String memtable = System.getProperty("sett.bench.memtable");
    if (memtable != null) {
      options.memTableSize(bytes(memtable));
    }
    String budget = System.getProperty("sett.bench.budget");
    if (budget != null) {
      options.memoryBudget(bytes(budget));
    }
    String compression = System.getProperty("sett.bench.compression");
    if (compression != null) {
      options.compression(Compression.valueOf(compression.toUpperCase(Locale.ROOT)));
    }
  }

  private static long bytes(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    long mul = t.endsWith("k") ? 1L << 10 : t.endsWith("m") ? 1L << 20 : 1;
    return Long.parseLong(mul == 1 ? t : t.substring(0, t.length() - 1)) * mul;
  }
}
