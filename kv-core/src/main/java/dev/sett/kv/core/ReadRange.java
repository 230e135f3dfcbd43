package dev.sett.kv.core;

import dev.sett.kv.internal.Keys;

/**
 * A key range a read-write transaction's iterator has covered: from where it was positioned to
 * the key it stands on, or to the end of its prefix once it ran out. A commit that wrote a key in
 * it after the transaction began is a phantom for the transaction (see {@link Oracle}), so the
 * transaction's commit fails.
 *
 * <p>Bounds: {@code lo} inclusive, {@code hi} inclusive or exclusive as {@code hiInclusive} says;
 * {@code null} is open. Not thread-safe: the transaction's thread updates it as its iterator moves
 * and reads it at commit.
 */
final class ReadRange {
  byte[] lo;
  byte[] hi;
  boolean hiInclusive;

  ReadRange(byte[] lo, byte[] hi, boolean hiInclusive) {
    this.lo = lo;
    this.hi = hi;
    this.hiInclusive = hiInclusive;
  }

  boolean covers(byte[] key) {
    if (lo != null && Keys.compare(key, lo) < 0) {
      return false;
    }
    if (hi == null) {
      return true;
    }
    int c = Keys.compare(key, hi);
    return c < 0 || (c == 0 && hiInclusive);
  }

  /** The first of {@code sortedKeys} this range covers, or {@code null}. */
  byte[] firstCovered(byte[][] sortedKeys) {
    int from = 0;
    if (lo != null) {
      int a = 0;
      int b = sortedKeys.length;
      while (a < b) { // the first key at or above lo
        int mid = (a + b) >>> 1;
        if (Keys.compare(sortedKeys[mid], lo) < 0) {
          a = mid + 1;
        } else {
          b = mid;
        }
      }
      from = a;
    }
    return from < sortedKeys.length && covers(sortedKeys[from]) ? sortedKeys[from] : null;
  }

  /** The smallest range that holds both. */
  static ReadRange union(ReadRange a, ReadRange b) {
    byte[] lo = a.lo == null || b.lo == null ? null
        : Keys.compare(a.lo, b.lo) <= 0 ? a.lo : b.lo;
    if (a.hi == null || b.hi == null) {
      return new ReadRange(lo, null, false);
    }
    int c = Keys.compare(a.hi, b.hi);
    ReadRange higher = c > 0 || (c == 0 && a.hiInclusive) ? a : b;
    return new ReadRange(lo, higher.hi, higher.hiInclusive);
  }

  @Override
  public String toString() {
    return "[" + (lo == null ? "-inf" : Keys.describe(lo)) + ", "
        + (hi == null ? "+inf" : Keys.describe(hi)) + (hiInclusive ? "]" : ")");
  }
}
