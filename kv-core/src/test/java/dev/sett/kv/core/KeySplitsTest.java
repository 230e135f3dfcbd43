package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.internal.Keys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link KeySplits}: the ranges partition the keys under the prefix (no gaps, no overlaps), at
 * most the number asked for, cut only at boundaries under the prefix.
 */
class KeySplitsTest {

  private static byte[] randomKey(Random r, byte[] prefix) {
    byte[] k = Arrays.copyOf(prefix, prefix.length + r.nextInt(4));
    for (int i = prefix.length; i < k.length; i++) {
      k[i] = (byte) (r.nextBoolean() ? r.nextInt(3) : r.nextInt(256)); // 0x00 and 0xFF too
    }
    return k;
  }

  @Property(tries = 300)
  void theRangesPartitionThePrefix(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] prefix = r.nextInt(3) == 0 ? new byte[0] : randomKey(new Random(seed ^ 1), new byte[]
        {(byte) r.nextInt(3)});
    TreeSet<byte[]> set = new TreeSet<>(Keys::compare);
    int n = r.nextInt(60);
    for (int i = 0; i < n; i++) {
      set.add(r.nextInt(3) == 0 ? randomKey(r, new byte[] {(byte) r.nextInt(4)})
          : randomKey(r, prefix));
    }
    int maxRanges = 1 + r.nextInt(20);
    List<KeySplits.Range> ranges = KeySplits.split(prefix, new ArrayList<>(set), maxRanges);
    String at = "seed " + seed;
    assertTrue(!ranges.isEmpty() && ranges.size() <= maxRanges, at);
    assertArrayEquals(prefix, ranges.get(0).lo(), at);
    assertNull(ranges.get(ranges.size() - 1).hi(), at);
    for (int i = 0; i + 1 < ranges.size(); i++) {
      byte[] cut = ranges.get(i).hi();
      assertArrayEquals(cut, ranges.get(i + 1).lo(), at + ": no gap, no overlap");
      assertTrue(Keys.compare(ranges.get(i).lo(), cut) < 0, at + ": not empty by its bounds");
      assertTrue(Keys.hasPrefix(cut, prefix) && set.contains(cut), at + ": a boundary");
    }
    for (int i = 0; i < 200; i++) {
      byte[] key = randomKey(r, prefix);
      int holders = 0;
      for (KeySplits.Range range : ranges) {
        if (Keys.compare(key, range.lo()) >= 0 && range.beforeEnd(key)) {
          holders++;
        }
      }
      assertEquals(1, holders, at + ": key " + Keys.describe(key));
    }
  }

  @Test
  void manyBoundaries_areThinnedEvenly() {
    List<byte[]> bounds = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      bounds.add(String.format("p%03d", i).getBytes());
    }
    List<KeySplits.Range> ranges = KeySplits.split("p".getBytes(), bounds, 4);
    assertEquals(List.of("p025", "p050", "p075"), ranges.subList(0, 3).stream()
        .map(x -> new String(x.hi())).toList());
    assertEquals(1, KeySplits.split("q".getBytes(), bounds, 4).size(), "none under the prefix");
    assertEquals(1, KeySplits.split(new byte[0], bounds, 1).size());
  }
}
