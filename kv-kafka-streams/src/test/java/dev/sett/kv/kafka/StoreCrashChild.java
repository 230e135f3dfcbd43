package dev.sett.kv.kafka;

import dev.sett.kv.Options;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;

/**
 * A child JVM for {@link SettKeyValueStoreTest}'s crash tests: writes and commits keys 0..99 at
 * changelog offset 100, then writes keys 100..199 and overwrites key 0 without committing, prints
 * {@code READY} and waits to be killed.
 *
 * <p>Arguments: state directory, {@code eos} or {@code alos}, and {@code small} to give the store
 * 64 KiB memtables, so its buffer spills before the kill.
 */
public final class StoreCrashChild {
  static final TopicPartition CHANGELOG = new TopicPartition("app-store-changelog", 0);

  /** Sets 64 KiB memtables (commits of at most ~9.8 KB: the buffer spills). */
  public static final class SmallMemtables implements SettOptionsCustomizer {
    @Override
    public void customize(String storeName, Options.Builder options,
        Map<String, Object> appConfigs) {
      options.memTableSize(Options.MIN_MEM_TABLE_SIZE).memoryBudget(16L << 20);
    }
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    TestContext ctx = args[1].equals("eos") ? TestContext.exactlyOnce(dir)
        : TestContext.atLeastOnce(dir);
    if (args.length > 2 && args[2].equals("small")) {
      ctx.with(SettStoreConfig.OPTIONS_CUSTOMIZER_CONFIG, SmallMemtables.class.getName());
    }
    SettKeyValueStore store = new SettKeyValueStore("store", "sett-state");
    store.init(ctx, store);
    for (int i = 0; i < 100; i++) {
      store.put(key(i), value(i, "committed"));
    }
    store.commit(Map.of(CHANGELOG, 100L));
    store.put(key(0), value(0, "uncommitted"));
    for (int i = 100; i < 200; i++) {
      store.put(key(i), value(i, "uncommitted"));
    }
    System.out.println("READY");
    System.out.flush();
    new java.util.concurrent.CountDownLatch(1).await(); // until the parent kills this JVM
  }

  static Bytes key(int i) {
    return Bytes.wrap(String.format("key-%05d", i).getBytes());
  }

  static byte[] value(int i, String what) {
    return (what + "-" + i + "-" + "x".repeat(100)).getBytes();
  }
}
