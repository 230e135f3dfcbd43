package dev.sett.kv.testkit;

import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.StoredValue;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * An {@link EntryIterator} over a sorted map in internal order: a reference source for tests of
 * code that combines iterators (merging, concatenation) without building memtables or tables.
 * Every move is one {@link NavigableMap} lookup ({@code ceilingKey} for {@code seek}, {@code
 * floorKey} for {@code seekForPrev}, {@code higherKey}/{@code lowerKey} for the steps), so its
 * behaviour is the contract itself and nothing more.
 */
public final class ModelEntryIterator implements EntryIterator {
  private final NavigableMap<At, StoredValue> entries;
  private At at;
  private boolean closed;

  /**
   * Iterates a copy of {@code entries}.
   *
   * @param entries the entries; copied, so later changes to the map are not seen
   */
  public ModelEntryIterator(Map<At, StoredValue> entries) {
    this.entries = new TreeMap<>(entries);
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return {@code true} once closed
   */
  public boolean closed() {
    return closed;
  }

  @Override
  public boolean valid() {
    return at != null;
  }

  @Override
  public void seekToFirst() {
    at = entries.isEmpty() ? null : entries.firstKey();
  }

  @Override
  public void seekToLast() {
    at = entries.isEmpty() ? null : entries.lastKey();
  }

  @Override
  public void seek(byte[] key, long version) {
    at = entries.ceilingKey(new At(key, version));
  }

  @Override
  public void seekForPrev(byte[] key, long version) {
    at = entries.floorKey(new At(key, version));
  }

  @Override
  public void next() {
    at = entries.higherKey(current());
  }

  @Override
  public void prev() {
    at = entries.lowerKey(current());
  }

  @Override
  public byte[] key() {
    return current().key();
  }

  @Override
  public long version() {
    return current().version();
  }

  @Override
  public StoredValue value() {
    return entries.get(current());
  }

  @Override
  public void close() {
    closed = true;
  }

  // Fails loudly where a real source would return garbage: a caller stepping an exhausted
  // iterator is a bug the test should see.
  private At current() {
    if (at == null) {
      throw new NoSuchElementException("iterator is not valid");
    }
    return at;
  }
}
