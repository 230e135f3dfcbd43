package dev.sett.kv.table;

import dev.sett.kv.internal.BigEndian;
import java.util.Arrays;

/**
 * Collects the hashes of a table's distinct user keys and encodes a {@link BloomFilter} sized for
 * them when the table is finished (the key count is known only then). Holds 8 bytes per key
 * meanwhile. Not thread-safe.
 */
final class BloomFilterBuilder {
  private final double bitsPerKey;
  private final int probes;
  private long[] hashes = new long[1024];
  private int count;

  /**
   * Creates a builder.
   *
   * @param falsePositiveRate the target rate, in (0, 1)
   */
  BloomFilterBuilder(double falsePositiveRate) {
    if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
      throw new IllegalArgumentException("false-positive rate must be in (0, 1), got "
          + falsePositiveRate);
    }
    this.bitsPerKey = BloomFilter.bitsPerKey(falsePositiveRate);
    this.probes = BloomFilter.probes(bitsPerKey);
  }

  /** Adds a key by its {@link XxHash64#hash(byte[])}; the caller adds each user key once. */
  void add(long hash) {
    if (count == hashes.length) {
      hashes = Arrays.copyOf(hashes, count * 2);
    }
    hashes[count++] = hash;
  }

  int count() {
    return count;
  }

  /** The encoded length if finished now. */
  int encodedLength() {
    return BloomFilter.HEADER + (int) ((BloomFilter.bitCount(count, bitsPerKey) + 7L) / 8);
  }

  /** Appends the filter to {@code out}. */
  void encode(GrowableBytes out) {
    int bits = BloomFilter.bitCount(count, bitsPerKey);
    int length = BloomFilter.HEADER + (int) ((bits + 7L) / 8);
    out.ensure(length);
    int start = out.size();
    byte[] f = out.array();
    Arrays.fill(f, start, start + length, (byte) 0);
    f[start] = (byte) probes;
    BigEndian.putInt(f, start + 1, bits);
    int base = start + BloomFilter.HEADER;
    for (int i = 0; i < count; i++) {
      long h = hashes[i];
      long h2 = BloomFilter.secondHash(h);
      for (int j = 0; j < probes; j++) {
        int bit = BloomFilter.bit(h, bits);
        f[base + (bit >>> 3)] |= (byte) (1 << (bit & 7));
        h += h2;
      }
    }
    out.advance(length);
  }
}
