package dev.sett.kv.core;

import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.ValuePointer;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.StoredValue;
import java.util.Arrays;
import java.util.Comparator;
import java.util.TreeMap;

/**
 * A transaction's own writes, one per key (the last write wins), handed out in key order so that
 * commit emits them sorted and iterators can merge them.
 *
 * <p>Most transactions write a few keys (a single {@code put} writes one): up to {@value #LINEAR}
 * writes sit in a small array searched linearly and sorted when asked for in order, so such a
 * transaction allocates one small array instead of a tree map and an entry per key. Beyond that,
 * a tree map keeps lookups logarithmic.
 */
final class PendingWrites {
  /**
   * One pending write.
   *
   * @param separate whether its value goes to the value log (decided when it was written)
   */
  record Write(byte[] key, byte[] value, byte meta, byte userMeta, long expiresAt,
      boolean separate) {

    /** The bytes this write takes in the memtable and counts against the transaction limits. */
    long footprint() {
      return (long) key.length + (separate ? ValuePointer.ENCODED_LENGTH : value.length)
          + MemTable.MAX_ENTRY_OVERHEAD;
    }
  }

  /** Writes kept in the small array before a map takes over. */
  static final int LINEAR = 16;
  private static final Comparator<Write> BY_KEY = (a, b) -> Arrays.compareUnsigned(a.key(),
      b.key());

  private Write[] small; // insertion order, while map is null
  private int n;
  private TreeMap<byte[], Write> map; // once more than LINEAR keys were written

  Write get(byte[] key) {
    if (map != null) {
      return map.get(key);
    }
    for (int i = 0; i < n; i++) {
      if (Arrays.equals(small[i].key(), key)) {
        return small[i];
      }
    }
    return null;
  }

  /** Adds or replaces a write; returns the one replaced, or null. */
  Write put(Write w) {
    if (map != null) {
      return map.put(w.key(), w);
    }
    for (int i = 0; i < n; i++) {
      if (Arrays.equals(small[i].key(), w.key())) {
        Write old = small[i];
        small[i] = w;
        return old;
      }
    }
    if (n == LINEAR) {
      map = new TreeMap<>(Arrays::compareUnsigned);
      for (int i = 0; i < n; i++) {
        map.put(small[i].key(), small[i]);
      }
      small = null;
      n = 0;
      return map.put(w.key(), w);
    }
    if (small == null) {
      small = new Write[2];
    } else if (n == small.length) {
      small = Arrays.copyOf(small, n * 2);
    }
    small[n++] = w;
    return null;
  }

  int size() {
    return map != null ? map.size() : n;
  }

  boolean isEmpty() {
    return size() == 0;
  }

  /** The writes in key order. */
  Iterable<Write> inOrder() {
    return map != null ? map.values() : Arrays.asList(sorted());
  }

  /** An iterator over a snapshot of the writes as they are now, all at version {@code ts}. */
  EntryIterator iterator(long ts) {
    Write[] snapshot = map != null ? map.values().toArray(new Write[0]) : sorted();
    return new SnapshotIterator(snapshot, ts);
  }

  /** A sorted copy of the small array. */
  private Write[] sorted() {
    if (n == 0) {
      return new Write[0];
    }
    Write[] c = Arrays.copyOf(small, n);
    if (n > 1) {
      Arrays.sort(c, BY_KEY);
    }
    return c;
  }

  /** Cursor over a sorted array of writes that share one version. */
  private static final class SnapshotIterator implements EntryIterator {
    private final Write[] w;
    private final long ts;
    private int i = -1;

    SnapshotIterator(Write[] w, long ts) {
      this.w = w;
      this.ts = ts;
    }

    @Override
    public boolean valid() {
      return i >= 0 && i < w.length;
    }

    @Override
    public void seekToFirst() {
      i = 0;
    }

    @Override
    public void seekToLast() {
      i = w.length - 1;
    }

    /** Index of the first write whose (key, ts) is at or after (key, version). */
    private int lowerBound(byte[] key, long version) {
      int lo = 0;
      int hi = w.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (Keys.compareInternal(w[mid].key(), ts, key, version) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    @Override
    public void seek(byte[] key, long version) {
      i = lowerBound(key, version);
    }

    @Override
    public void seekForPrev(byte[] key, long version) {
      int lb = lowerBound(key, version);
      i = lb < w.length && Keys.compareInternal(w[lb].key(), ts, key, version) == 0 ? lb : lb - 1;
    }

    @Override
    public void next() {
      i++;
    }

    @Override
    public void prev() {
      i--;
    }

    @Override
    public byte[] key() {
      return w[i].key();
    }

    @Override
    public long version() {
      return ts;
    }

    @Override
    public StoredValue value() {
      Write x = w[i];
      return new StoredValue(ts, x.meta(), x.userMeta(), x.expiresAt(), x.value());
    }

    @Override
    public void close() {}
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("PendingWrites[");
    for (Write w : inOrder()) {
      sb.append(w.key().length).append("B ");
    }
    return sb.append(']').toString();
  }
}
