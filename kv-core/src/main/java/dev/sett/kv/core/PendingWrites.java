package dev.sett.kv.core;

import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.ValuePointer;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.StoredValue;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A transaction's own writes, one per key (the last write wins), kept in key order so that commit
 * emits them sorted and iterators can merge them.
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

  private final TreeMap<byte[], Write> writes = new TreeMap<>(Arrays::compareUnsigned);

  Write get(byte[] key) {
    return writes.get(key);
  }

  /** Adds or replaces a write; returns the one replaced, or null. */
  Write put(Write w) {
    return writes.put(w.key(), w);
  }

  int size() {
    return writes.size();
  }

  boolean isEmpty() {
    return writes.isEmpty();
  }

  Iterable<Write> inOrder() {
    return writes.values();
  }

  /** An iterator over a snapshot of the writes as they are now, all at version {@code ts}. */
  EntryIterator iterator(long ts) {
    Write[] snapshot = writes.values().toArray(new Write[0]);
    return new SnapshotIterator(snapshot, ts);
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
    for (Map.Entry<byte[], Write> e : writes.entrySet()) {
      sb.append(e.getKey().length).append("B ");
    }
    return sb.append(']').toString();
  }
}
