package dev.sett.kv.table;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.internal.BigEndian;

/**
 * A bloom filter over a table's user keys, probed in place:
 *
 * <pre>
 * Bloom := Probes(uint8, 1..30) BitCount(int32, at least 1) Bits(ceil(BitCount / 8) bytes)
 * </pre>
 *
 * Bit {@code i} is {@code Bits[i / 8] & (1 << (i % 8))}. A key's probes come from its xxHash64
 * {@code h} by double hashing: {@code g_j = h + j * h2} for {@code j = 0 .. Probes - 1}, where
 * {@code h2 = mix(h) | 1}, and each {@code g_j} picks bit {@code ((g_j >>> 32) * BitCount) >>> 32}
 * (a multiply-shift range reduction, cheaper than a division and unbiased enough at 32 bits).
 *
 * <p>Sizing follows the textbook optimum for a false-positive rate {@code p}: {@code
 * -ln(p) / ln(2)^2} bits per key and {@code round(bitsPerKey * ln 2)} probes, so 9.6 bits and 7
 * probes for 1% (Badger rounds both down and gets about 3.6%).
 */
final class BloomFilter {
  /** Bytes before the bits. */
  static final int HEADER = 1 + 4;
  /** The most probes a filter may use. */
  static final int MAX_PROBES = 30;
  /** The most bits a filter may have; beyond it the false-positive rate rises. */
  static final long MAX_BITS = Integer.MAX_VALUE;
  /** The fewest bits a filter has, so tiny tables do not get useless filters. */
  static final long MIN_BITS = 64;

  private static final double LN2 = Math.log(2);

  private BloomFilter() {}

  /** Bits per key for a false-positive rate {@code p} in (0, 1). */
  static double bitsPerKey(double p) {
    return -Math.log(p) / (LN2 * LN2);
  }

  /** The best number of probes for {@code bitsPerKey}. */
  static int probes(double bitsPerKey) {
    return (int) Math.max(1, Math.min(MAX_PROBES, Math.round(bitsPerKey * LN2)));
  }

  /** The bit count for {@code keys} keys at {@code bitsPerKey}. */
  static int bitCount(long keys, double bitsPerKey) {
    double bits = Math.ceil(keys * bitsPerKey);
    return (int) Math.max(MIN_BITS, Math.min(MAX_BITS, (long) bits));
  }

  /** The second hash of double hashing: a different mix of the same 64 bits, made odd. */
  static long secondHash(long h) {
    h ^= h >>> 31;
    h *= 0x7FB5D329728EA185L;
    h ^= h >>> 27;
    h *= 0x81DADEF4BC2DD44DL;
    h ^= h >>> 33;
    return h | 1;
  }

  /** The bit that probe {@code g} picks among {@code bits}. */
  static int bit(long g, int bits) {
    return (int) (((g >>> 32) * bits) >>> 32);
  }

  /**
   * Whether a key with hash {@code hash} may be in the filter.
   *
   * @param filter a filter that passed {@link #check}
   * @param hash the key's {@link XxHash64#hash(byte[])}
   * @return {@code false} only if the key was never added
   */
  static boolean mayContain(byte[] filter, long hash) {
    int probes = filter[0];
    int bits = BigEndian.getInt(filter, 1);
    long h2 = secondHash(hash);
    long g = hash;
    for (int j = 0; j < probes; j++) {
      int bit = bit(g, bits);
      if ((filter[HEADER + (bit >>> 3)] & (1 << (bit & 7))) == 0) {
        return false;
      }
      g += h2;
    }
    return true;
  }

  /**
   * Checks a filter read from the file.
   *
   * @param file the file, for errors
   * @param offset the filter's offset in the file, for errors
   * @param filter the bytes (payload of its unit)
   * @throws CorruptionException if the probe count or bit count does not fit the length
   */
  static void check(String file, long offset, byte[] filter) {
    if (filter.length < HEADER + 1) {
      throw new CorruptionException(file, offset,
          "bloom filter of " + filter.length + " bytes is too short");
    }
    int probes = filter[0] & 0xFF;
    int bits = BigEndian.getInt(filter, 1);
    if (probes < 1 || probes > MAX_PROBES || bits < 1
        || filter.length - HEADER != (bits + 7L) / 8) {
      throw new CorruptionException(file, offset, "bloom filter with " + probes + " probes and "
          + bits + " bits does not fit its " + filter.length + " bytes");
    }
  }
}
