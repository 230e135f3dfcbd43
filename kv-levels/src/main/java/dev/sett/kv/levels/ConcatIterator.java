package dev.sett.kv.levels;

import dev.sett.kv.internal.Keys;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.StoredValue;

/**
 * Iterates a sorted level (L1 and deeper) as one sequence: its tables hold disjoint key ranges in
 * order, so at most one table iterator is open at a time and a seek goes straight to the one
 * table that can hold the key.
 */
final class ConcatIterator implements EntryIterator {
  private final TableHandle[] tables;
  private final boolean fillCache;
  private int index = -1;
  private EntryIterator current;

  ConcatIterator(TableHandle[] tables, boolean fillCache) {
    this.tables = tables;
    this.fillCache = fillCache;
  }

  private boolean open(int i) {
    if (i == index && current != null) {
      return true;
    }
    if (current != null) {
      current.close();
      current = null;
    }
    index = i;
    if (i < 0 || i >= tables.length) {
      return false;
    }
    current = tables[i].table.iterator(fillCache);
    return true;
  }

  @Override
  public boolean valid() {
    return current != null && current.valid();
  }

  @Override
  public void seekToFirst() {
    if (open(0)) {
      current.seekToFirst();
      skipForward();
    }
  }

  @Override
  public void seekToLast() {
    if (open(tables.length - 1)) {
      current.seekToLast();
      skipBackward();
    }
  }

  @Override
  public void seek(byte[] key, long version) {
    // The first table whose largest key is at or after key.
    int lo = 0;
    int hi = tables.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Keys.compare(tables[mid].largest, key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (open(lo)) {
      current.seek(key, version);
      skipForward();
    }
  }

  @Override
  public void seekForPrev(byte[] key, long version) {
    // The last table whose smallest key is at or before key.
    int lo = 0;
    int hi = tables.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Keys.compare(tables[mid].smallest, key) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (open(hi)) {
      current.seekForPrev(key, version);
      skipBackward();
    }
  }

  @Override
  public void next() {
    current.next();
    skipForward();
  }

  @Override
  public void prev() {
    current.prev();
    skipBackward();
  }

  private void skipForward() {
    while (current != null && !current.valid()) {
      if (open(index + 1)) {
        current.seekToFirst();
      }
    }
  }

  private void skipBackward() {
    while (current != null && !current.valid()) {
      if (open(index - 1)) {
        current.seekToLast();
      }
    }
  }

  @Override
  public byte[] key() {
    return current.key();
  }

  @Override
  public long version() {
    return current.version();
  }

  @Override
  public StoredValue value() {
    return current.value();
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
