package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link ReadTimestamps} against a {@code TreeMap} multiset: transactions begin at a timestamp
 * that mostly stays or grows (sometimes, defensively, falls) and end in any order; the oldest open
 * timestamp always agrees with the model, and the ring stays small while an old reader stays open.
 */
class ReadTimestampsTest {
  @Property(tries = 200)
  void agreesWithAMultiset(@ForAll long seed) {
    Random r = new Random(seed);
    ReadTimestamps rt = new ReadTimestamps();
    TreeMap<Long, Integer> model = new TreeMap<>();
    List<Long> open = new ArrayList<>();
    long now = 1;
    for (int step = 0; step < 2000; step++) {
      int op = r.nextInt(10);
      if (op < 5 || open.isEmpty()) {
        if (r.nextInt(4) == 0) {
          now += 1 + r.nextInt(3);
        }
        long t = r.nextInt(50) == 0 ? Math.max(1, now - 1 - r.nextInt(5)) : now;
        rt.add(t);
        model.merge(t, 1, Integer::sum);
        open.add(t);
      } else {
        long t = open.remove(r.nextInt(open.size()));
        assertTrue(rt.remove(t), "seed " + seed + ": " + t + " was counted");
        model.computeIfPresent(t, (k, n) -> n == 1 ? null : n - 1);
      }
      assertEquals(model.isEmpty(), rt.isEmpty(), "seed " + seed + " step " + step);
      if (!model.isEmpty()) {
        assertEquals(model.firstKey(), rt.oldest(), "seed " + seed + " step " + step);
      }
    }
    assertFalse(rt.remove(-5), "an uncounted timestamp");
  }

  @Test
  void anOldOpenReader_doesNotMakeTheRingGrowWithEveryLaterTransaction() throws Exception {
    ReadTimestamps rt = new ReadTimestamps();
    rt.add(1); // stays open
    for (long t = 2; t < 1_000_000; t++) {
      rt.add(t);
      rt.remove(t);
    }
    java.lang.reflect.Field f = ReadTimestamps.class.getDeclaredField("ts");
    f.setAccessible(true);
    assertTrue(((long[]) f.get(rt)).length <= 64, "ring length " + ((long[]) f.get(rt)).length);
    assertEquals(1, rt.oldest());
  }
}
