package dev.sett.kv.bench.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every store behind {@link KvStore} keeps what it is given: single puts, a batch, values of
 * several sizes (16 KiB included), overwrites, absent keys, and all of it after a reopen. The
 * native libraries of RocksDB and LMDB load on this machine's platform or the test fails here,
 * before a benchmark would.
 */
class KvStoreTest {
  @TempDir Path dir;

  private static Function<Path, KvStore> opener(String name) {
    return switch (name) {
      case "sett" -> SettStore::new;
      case "rocksdb" -> RocksDbStore::new;
      case "lmdb" -> d -> new LmdbStore(d, 1L << 30);
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static byte[] key(int i) {
    return String.format("key-%08d", i).getBytes();
  }

  private static byte[] value(int i, int round) {
    int size = (i % 4 == 0) ? 16 << 10 : 100 + i % 900;
    byte[] v = new byte[size];
    for (int j = 0; j < size; j++) {
      v[j] = (byte) (i * 31 + j + round);
    }
    return v;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sett", "rocksdb", "lmdb"})
  void putsBatchesAndReads_surviveAReopen(String name) {
    Function<Path, KvStore> open = opener(name);
    try (KvStore s = open.apply(dir)) {
      assertEquals(name, s.name());
      for (int i = 0; i < 500; i++) {
        s.put(key(i), value(i, 0));
      }
      byte[][] ks = new byte[100][];
      byte[][] vs = new byte[100][];
      for (int b = 0; b < 10; b++) {
        for (int j = 0; j < 100; j++) {
          ks[j] = key(500 + b * 100 + j);
          vs[j] = value(500 + b * 100 + j, 0);
        }
        s.putBatch(ks, vs, 100);
      }
      for (int i = 0; i < 1500; i += 3) {
        s.put(key(i), value(i, 1)); // overwrite every third key
      }
      check(s);
    }
    try (KvStore s = open.apply(dir)) {
      check(s);
    }
  }

  private static void check(KvStore s) {
    for (int i = 0; i < 1500; i++) {
      assertArrayEquals(value(i, i % 3 == 0 ? 1 : 0), s.get(key(i)), s.name() + " key " + i);
    }
    assertNull(s.get(key(1_000_000)), s.name() + ": an absent key");
    String n = s.name();
    assertEquals(bytes(10, 14), s.scan(key(10), 5, false), n + ": forward from a key");
    assertEquals(bytes(6, 10), s.scan(key(10), 5, true), n + ": reverse from a key");
    byte[] between = (new String(key(10)) + "x").getBytes(); // after key 10, before key 11
    assertEquals(bytes(11, 12), s.scan(between, 2, false), n + ": forward from between keys");
    assertEquals(bytes(9, 10), s.scan(between, 2, true), n + ": reverse from between keys");
    assertEquals(bytes(0, 2), s.scan(null, 3, false), n + ": forward from the first key");
    assertEquals(bytes(1497, 1499), s.scan(null, 3, true), n + ": reverse from the last key");
    assertEquals(bytes(0, 1499), s.scan(null, Long.MAX_VALUE, true), n + ": everything");
    assertEquals(0, s.scan(key(2000), 5, false), n + ": forward past the last key");
    assertEquals(bytes(1495, 1499), s.scan(key(2000), 5, true), n + ": reverse from beyond");
  }

  /** The bytes of keys {@code lo..hi} (inclusive) and their current values. */
  private static long bytes(int lo, int hi) {
    long sum = 0;
    for (int i = lo; i <= hi; i++) {
      sum += key(i).length + value(i, i % 3 == 0 ? 1 : 0).length;
    }
    return sum;
  }
}
