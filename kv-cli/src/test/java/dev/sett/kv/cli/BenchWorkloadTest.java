package dev.sett.kv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The benchmark's generated data: reproducible from the seed, unique keys, a true permutation. */
class BenchWorkloadTest {

  @Test
  void sameSeed_sameKeysValuesAndOrder() {
    BenchWorkload a = new BenchWorkload(7, 1000, 100);
    BenchWorkload b = new BenchWorkload(7, 1000, 100);
    byte[] ka = new byte[16];
    byte[] kb = new byte[16];
    byte[] va = new byte[100];
    byte[] vb = new byte[100];
    for (long i = 0; i < 1000; i++) {
      a.key(i, ka);
      b.key(i, kb);
      a.value(i, va);
      b.value(i, vb);
      assertArrayEquals(ka, kb);
      assertArrayEquals(va, vb);
    }
    assertArrayEquals(a.readOrder(), b.readOrder());
  }

  @Test
  void otherSeed_otherKeys() {
    byte[] ka = new byte[16];
    byte[] kb = new byte[16];
    new BenchWorkload(7, 10, 8).key(0, ka);
    new BenchWorkload(8, 10, 8).key(0, kb);
    assertFalse(Arrays.equals(ka, kb));
  }

  @Test
  void keys_areUnique() {
    BenchWorkload w = new BenchWorkload(42, 200_000, 8);
    Set<String> seen = new HashSet<>();
    byte[] k = new byte[16];
    for (long i = 0; i < w.keyCount(); i++) {
      w.key(i, k);
      seen.add(Hex.encode(k));
    }
    assertEquals(200_000, seen.size());
  }

  @Test
  void readOrder_isAPermutation() {
    int[] order = new BenchWorkload(3, 10_000, 8).readOrder();
    int[] sorted = order.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i]);
    }
    assertFalse(Arrays.equals(order, sorted), "shuffled");
  }

  @Test
  void values_ofOddSizesAreFilled() {
    byte[] v = new byte[13];
    new BenchWorkload(1, 1, 13).value(0, v);
    assertFalse(v[12] == 0 && v[11] == 0 && v[10] == 0, "tail written");
  }
}
