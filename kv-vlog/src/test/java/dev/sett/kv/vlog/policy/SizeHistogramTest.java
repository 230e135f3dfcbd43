package dev.sett.kv.vlog.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** {@link SizeHistogram}: the buckets tile the int range, and generations rotate. */
class SizeHistogramTest {

  @Test
  void buckets_tileTheIntRange_withoutGapsOrOverlaps() {
    assertEquals(0, SizeHistogram.lowerBound(0));
    for (int i = 1; i < SizeHistogram.BUCKETS; i++) {
      assertEquals(SizeHistogram.lowerBound(i - 1) + SizeHistogram.width(i - 1),
          SizeHistogram.lowerBound(i), "bucket " + i);
    }
    int last = SizeHistogram.BUCKETS - 1;
    assertEquals(1L << 31, SizeHistogram.lowerBound(last) + SizeHistogram.width(last));
    assertEquals(last, SizeHistogram.bucket(Integer.MAX_VALUE));
    assertEquals(448, SizeHistogram.BUCKETS);
  }

  @Property
  void aSize_fallsInItsBucket_whichIsAtMostASixteenthOfItsSizesWide(
      @ForAll @IntRange(min = 0) int size) {
    int b = SizeHistogram.bucket(size);
    long lo = SizeHistogram.lowerBound(b);
    long w = SizeHistogram.width(b);
    assertTrue(lo <= size && size < lo + w, size + " in [" + lo + ", " + (lo + w) + ")");
    assertTrue(size < 16 ? w == 1 : w * 16 <= lo, "width " + w + " at " + lo);
  }

  @Test
  void rotate_dropsTheOlderGeneration() {
    SizeHistogram h = new SizeHistogram();
    long[] counts = new long[SizeHistogram.BUCKETS];
    h.record(100);
    h.rotate();
    h.record(200);
    assertEquals(2, h.sumInto(counts), "both generations");
    assertEquals(1, h.currentCount());
    h.rotate();
    assertEquals(1, h.sumInto(counts), "the first generation is gone");
    assertEquals(1, counts[SizeHistogram.bucket(200)]);
    assertEquals(0, counts[SizeHistogram.bucket(100)]);
  }

  @Test
  void percentile_interpolatesWithinTheBucket() {
    long[] counts = new long[SizeHistogram.BUCKETS];
    counts[5] = 50; // sizes 5
    counts[SizeHistogram.bucket(1024)] = 50; // [1024, 1088)
    assertEquals(6.0, SizeHistogram.percentile(counts, 100, 0.5), 1e-9, "all of bucket 5");
    assertEquals(1024 + 32.0, SizeHistogram.percentile(counts, 100, 0.75), 1e-9);
    assertEquals(1088.0, SizeHistogram.percentile(counts, 100, 1.0), 1e-9);
  }
}
