package dev.sett.kv.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.CorruptionException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;

/**
 * {@link BloomFilterBuilder} and {@link BloomFilter}: no false negatives at any size and rate,
 * the encoding matches its predicted length and passes its check, and a filter whose header is
 * damaged is refused or, where the damage still fits the length, probed without leaving the
 * array.
 */
class BloomFilterProperties {

  @Property
  void everyAddedKey_mayBeContained(@ForAll @Size(max = 2000) List<byte[]> keys,
      @ForAll @DoubleRange(min = 0.0001, max = 0.5) @Scale(6) double rate) {
    BloomFilterBuilder builder = new BloomFilterBuilder(rate);
    for (byte[] k : keys) {
      builder.add(XxHash64.hash(k));
    }
    byte[] filter = encode(builder);
    BloomFilter.check("f", 0, filter);
    assertEquals(BloomFilter.probes(BloomFilter.bitsPerKey(rate)), filter[0]);
    for (byte[] k : keys) {
      assertTrue(BloomFilter.mayContain(filter, XxHash64.hash(k)));
    }
  }

  @Property
  void damagedHeader_isRefusedOrConsistent(@ForAll @Size(max = 300) List<byte[]> keys,
      @ForAll @IntRange(max = 4) int where, @ForAll @IntRange(min = 1, max = 255) int flip) {
    BloomFilterBuilder builder = new BloomFilterBuilder(0.01);
    keys.forEach(k -> builder.add(XxHash64.hash(k)));
    byte[] filter = encode(builder);
    filter[where] ^= (byte) flip;
    try {
      BloomFilter.check("f", 0, filter);
    } catch (CorruptionException refused) {
      return;
    }
    // The probe count, or the low bits of the bit count, changed and still fit the length (the
    // unit's checksum is what catches that); probing must stay inside the array.
    for (byte[] k : keys) {
      BloomFilter.mayContain(filter, XxHash64.hash(k));
    }
  }

  private static byte[] encode(BloomFilterBuilder builder) {
    GrowableBytes out = new GrowableBytes(16);
    builder.encode(out);
    assertEquals(builder.encodedLength(), out.size());
    return Arrays.copyOf(out.array(), out.size());
  }
}
