package dev.sett.kv.core;

import dev.sett.kv.internal.Keys;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the keys under a prefix into ranges for a parallel scan (Badger's {@code KeySplits}), at
 * table boundaries: tables hold comparable amounts of data, so ranges between their smallest keys
 * hold comparable amounts too (with few tables the levels add keys sampled from their indexes,
 * see {@code LevelsController.Snapshot.splitKeys}). The ranges partition the prefix: every key
 * under it lies in exactly one range (the first starts at the prefix, each ends where the next
 * starts, the last ends with the prefix). Memtable contents are not sampled: a range's iterator
 * reads the memtables too, so they are covered, only not balanced.
 */
final class KeySplits {
  private KeySplits() {}

  /**
   * Keys from {@code lo} (inclusive; empty for the start of the prefix) to {@code hi} (exclusive;
   * {@code null} for the end of the prefix).
   */
  record Range(byte[] lo, byte[] hi) {
    /** Whether {@code key} (a key under the prefix) lies before the end of this range. */
    boolean beforeEnd(byte[] key) {
      return hi == null || Keys.compare(key, hi) < 0;
    }
  }

  /**
   * Splits the keys under {@code prefix} at up to {@code maxRanges - 1} of {@code boundaries}.
   *
   * @param prefix the prefix, empty for every key
   * @param boundaries candidate split keys, sorted, without duplicates (table smallest keys)
   * @param maxRanges at least 1
   * @return the ranges in key order, at least one
   */
  static List<Range> split(byte[] prefix, List<byte[]> boundaries, int maxRanges) {
    List<byte[]> inside = new ArrayList<>();
    for (byte[] b : boundaries) {
      // A boundary equal to the prefix would start an empty first range.
      if (Keys.hasPrefix(b, prefix) && b.length > prefix.length) {
        inside.add(b);
      }
    }
    List<byte[]> cuts = new ArrayList<>();
    int n = Math.min(inside.size(), maxRanges - 1);
    for (int i = 1; i <= n; i++) {
      // Evenly spaced picks; strictly increasing indices, as inside.size() >= n.
      cuts.add(inside.get((int) ((long) i * inside.size() / (n + 1))));
    }
    List<Range> ranges = new ArrayList<>(cuts.size() + 1);
    byte[] lo = prefix;
    for (byte[] cut : cuts) {
      ranges.add(new Range(lo, cut));
      lo = cut;
    }
    ranges.add(new Range(lo, null));
    return ranges;
  }
}
