package dev.sett.kv.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.testkit.TestSeeds;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sizing and the measured false-positive rate of {@link BloomFilter}. */
class BloomFilterTest {

  @Test
  void sizing_followsTheTextbookOptimum() {
    assertEquals(9.585, BloomFilter.bitsPerKey(0.01), 0.001);
    assertEquals(7, BloomFilter.probes(BloomFilter.bitsPerKey(0.01)));
    assertEquals(14.378, BloomFilter.bitsPerKey(0.001), 0.001);
    assertEquals(10, BloomFilter.probes(BloomFilter.bitsPerKey(0.001)));
    assertEquals(1, BloomFilter.probes(BloomFilter.bitsPerKey(0.9)));
    assertEquals(BloomFilter.MAX_PROBES, BloomFilter.probes(BloomFilter.bitsPerKey(1e-300)));
    assertEquals(959, BloomFilter.bitCount(100, BloomFilter.bitsPerKey(0.01)));
    assertEquals(64, BloomFilter.bitCount(1, BloomFilter.bitsPerKey(0.01)), "minimum");
    assertEquals(Integer.MAX_VALUE, BloomFilter.bitCount(1L << 40, 10), "maximum");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 0.001})
  void falsePositiveRate_onAbsentKeys_isWithinHalfAgainOfTheTarget(double target,
      TestInfo info) {
    long seed = TestSeeds.seed(info);
    Random random = new Random(seed);
    int n = 100_000;
    BloomFilterBuilder builder = new BloomFilterBuilder(target);
    byte[][] present = new byte[n][];
    for (int i = 0; i < n; i++) {
      present[i] = key(random, (byte) 'p');
      builder.add(XxHash64.hash(present[i]));
    }
    GrowableBytes out = new GrowableBytes(16);
    builder.encode(out);
    byte[] filter = Arrays.copyOf(out.array(), out.size());
    assertEquals(builder.encodedLength(), filter.length);
    BloomFilter.check("test", 0, filter);
    for (byte[] key : present) {
      assertTrue(BloomFilter.mayContain(filter, XxHash64.hash(key)), "a false negative");
    }
    int falsePositives = 0;
    for (int i = 0; i < n; i++) {
      if (BloomFilter.mayContain(filter, XxHash64.hash(key(random, (byte) 'a')))) {
        falsePositives++;
      }
    }
    double rate = (double) falsePositives / n;
    System.out.printf(Locale.ROOT, "bloom filter: target %.4f, measured %.5f (%d of %d absent"
        + " keys), %.2f bits per key, %d probes%n", target, rate, falsePositives, n,
        (filter.length - BloomFilter.HEADER) * 8.0 / n, filter[0]);
    assertTrue(rate <= 1.5 * target, "seed " + TestSeeds.format(seed) + ": measured " + rate
        + " for a target of " + target);
  }

  @Test
  void check_refusesInconsistentFilters() {
    byte[] filter = new byte[BloomFilter.HEADER + 8];
    filter[0] = 7;
    BigEndian.putInt(filter, 1, 64);
    BloomFilter.check("f", 0, filter);
    filter[0] = 0;
    assertThrows(CorruptionException.class, () -> BloomFilter.check("f", 0, filter));
    filter[0] = 31;
    assertThrows(CorruptionException.class, () -> BloomFilter.check("f", 0, filter));
    filter[0] = 7;
    BigEndian.putInt(filter, 1, 65);
    assertThrows(CorruptionException.class, () -> BloomFilter.check("f", 0, filter));
    BigEndian.putInt(filter, 1, -64);
    assertThrows(CorruptionException.class, () -> BloomFilter.check("f", 0, filter));
    assertThrows(CorruptionException.class, () -> BloomFilter.check("f", 0, new byte[3]));
  }

  /** A random 16-byte key whose first byte is {@code tag}, so sets with other tags are apart. */
  private static byte[] key(Random random, byte tag) {
    byte[] k = new byte[16];
    random.nextBytes(k);
    k[0] = tag;
    return k;
  }
}
