package dev.sett.kv.kafka;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;

/**
 * A child JVM for {@link SettKeyValueStoreTest}'s crash tests: writes and commits keys 0..99 at
 * changelog offset 100, then writes keys 100..199 and overwrites key 0 without committing, prints
 * {@code READY} and waits to be killed.
 *
 * <p>Arguments: state directory, {@code eos} or {@code alos}, and {@code spill} to write keys
 * 100..999 and overwrite keys 0..99 instead, enough that the buffer is written early (spilled)
 * several times before the kill.
 */
public final class StoreCrashChild {
  static final TopicPartition CHANGELOG = new TopicPartition("app-store-changelog", 0);

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    TestContext ctx = args[1].equals("eos") ? TestContext.exactlyOnce(dir)
        : TestContext.atLeastOnce(dir);
    boolean spill = args.length > 2 && args[2].equals("spill");
    SettKeyValueStore store = new SettKeyValueStore("store", "sett-state");
    store.init(ctx, store);
    for (int i = 0; i < 100; i++) {
      store.put(key(i), value(i, "committed"));
    }
    store.commit(Map.of(CHANGELOG, 100L));
    store.put(key(0), value(0, "uncommitted"));
    for (int i = 100; i < (spill ? 1000 : 200); i++) {
      store.put(key(i), value(i, "uncommitted"));
    }
    if (spill) {
      for (int round = 0; round < 30; round++) {
        for (int i = 0; i < 100; i++) {
          store.put(key(i), value(i, "uncommitted-" + round));
        }
      }
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
