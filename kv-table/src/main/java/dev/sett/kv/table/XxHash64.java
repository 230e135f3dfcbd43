package dev.sett.kv.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * xxHash64 (seed 0 unless given), the hash of the bloom filter. It is part of the {@code sst-v1}
 * format: a filter written with one hash is probed with the same one, so this must compute
 * exactly the published algorithm (a test checks it against lz4-java's implementation) and never
 * change.
 */
final class XxHash64 {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  // xxHash64 reads its input as little-endian words, unlike every Sett format (big-endian, see
  // dev.sett.kv.internal.BigEndian), so the hash keeps its own view handles.
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private XxHash64() {}

  /** The hash of a whole array with seed 0. */
  static long hash(byte[] b) {
    return hash(b, 0, b.length, 0);
  }

  /** The hash of {@code b[off, off + len)} with {@code seed}. */
  static long hash(byte[] b, int off, int len, long seed) {
    int end = off + len;
    int p = off;
    long h;
    if (len >= 32) {
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      int limit = end - 32;
      do {
        v1 = round(v1, getLongLe(b, p));
        v2 = round(v2, getLongLe(b, p + 8));
        v3 = round(v3, getLongLe(b, p + 16));
        v4 = round(v4, getLongLe(b, p + 24));
        p += 32;
      } while (p <= limit);
      h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12)
          + Long.rotateLeft(v4, 18);
      h = merge(h, v1);
      h = merge(h, v2);
      h = merge(h, v3);
      h = merge(h, v4);
    } else {
      h = seed + P5;
    }
    h += len;
    for (; p + 8 <= end; p += 8) {
      h ^= round(0, getLongLe(b, p));
      h = Long.rotateLeft(h, 27) * P1 + P4;
    }
    if (p + 4 <= end) {
      h ^= (getIntLe(b, p) & 0xFFFF_FFFFL) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      p += 4;
    }
    for (; p < end; p++) {
      h ^= (b[p] & 0xFF) * P5;
      h = Long.rotateLeft(h, 11) * P1;
    }
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  private static long round(long acc, long input) {
    acc += input * P2;
    acc = Long.rotateLeft(acc, 31);
    return acc * P1;
  }

  private static long merge(long acc, long v) {
    acc ^= round(0, v);
    return acc * P1 + P4;
  }

  private static long getLongLe(byte[] b, int off) {
    return (long) LONG_LE.get(b, off);
  }

  private static int getIntLe(byte[] b, int off) {
    return (int) INT_LE.get(b, off);
  }
}
