package dev.sett.kv.bench.kafka;

import dev.sett.kv.Options;
import dev.sett.kv.kafka.SettOptionsCustomizer;
import java.util.Map;

/**
 * A {@link SettOptionsCustomizer} for measuring what smaller per-store memory would buy with many
 * stores: memtable size and memory budget from the system properties {@code
 * sett.bench.memtable} and {@code sett.bench.budget} (bytes, with k or m suffixes; default 1m
 * and 16m). Pass it with {@code --sett-customizer dev.sett.kv.bench.kafka.SmallStoreOptions} and
 * the properties with {@code --jvm-arg -Dsett.bench.memtable=...}. Not the module's default.
 */
public final class SmallStoreOptions implements SettOptionsCustomizer {
  /** Public, for Kafka Streams' configuration to create it by class name. */
  public SmallStoreOptions() {}

  @Override
  public void customize(String storeName, Options.Builder options,
      Map<String, Object> appConfigs) {
    long memtable = bytes(System.getProperty("sett.bench.memtable", "1m"));
    options.memTableSize(memtable).memoryBudget(bytes(System.getProperty("sett.bench.budget",
        "16m")));
  }

  private static long bytes(String s) {
    String t = s.trim().toLowerCase(java.util.Locale.ROOT);
    long mul = t.endsWith("k") ? 1L << 10 : t.endsWith("m") ? 1L << 20 : 1;
    return Long.parseLong(mul == 1 ? t : t.substring(0, t.length() - 1)) * mul;
  }
}
