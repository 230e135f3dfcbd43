package dev.sett.kv.internal;

import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.StoredValue;

/**
 * Merges several {@link EntryIterator}s into one in internal order, forward or backward. Sources
 * are given in priority order (a transaction's own writes, then memtables newest first, later
 * tables): when several sources hold the same key at the same version, the one of highest
 * priority is shown and the others are skipped. Sources are few (memtables, L0 tables and one
 * iterator per deeper level), so a linear scan for the smallest beats a heap. Used by reads and
 * by compactions.
 */
public final class MergingIterator implements EntryIterator {
  private final EntryIterator[] sources;
  private int current = -1;

  /**
   * Merges {@code sources}.
   *
   * @param sources the iterators, highest priority first; closed with this one
   */
  public MergingIterator(EntryIterator[] sources) {
    this.sources = sources;
  }

  @Override
  public boolean valid() {
    return current >= 0;
  }

  private void pick(boolean forward) {
    current = -1;
    for (int i = 0; i < sources.length; i++) {
      EntryIterator s = sources[i];
      if (!s.valid()) {
        continue;
      }
      if (current < 0) {
        current = i;
        continue;
      }
      EntryIterator c = sources[current];
      int cmp = Keys.compareInternal(s.key(), s.version(), c.key(), c.version());
      if (forward ? cmp < 0 : cmp > 0) {
        current = i;
      }
    }
  }

  @Override
  public void seekToFirst() {
    for (EntryIterator s : sources) {
      s.seekToFirst();
    }
    pick(true);
  }

  @Override
  public void seekToLast() {
    for (EntryIterator s : sources) {
      s.seekToLast();
    }
    pick(false);
  }

  @Override
  public void seek(byte[] key, long version) {
    for (EntryIterator s : sources) {
      s.seek(key, version);
    }
    pick(true);
  }

  @Override
  public void seekForPrev(byte[] key, long version) {
    for (EntryIterator s : sources) {
      s.seekForPrev(key, version);
    }
    pick(false);
  }

  @Override
  public void next() {
    step(true);
  }

  @Override
  public void prev() {
    step(false);
  }

  /** Moves every source sitting on the current (key, version) past it, then picks again. */
  private void step(boolean forward) {
    byte[] k = sources[current].key();
    long v = sources[current].version();
    for (EntryIterator s : sources) {
      if (s.valid() && s.version() == v && Keys.compare(s.key(), k) == 0) {
        if (forward) {
          s.next();
        } else {
          s.prev();
        }
      }
    }
    pick(forward);
  }

  @Override
  public byte[] key() {
    return sources[current].key();
  }

  @Override
  public long version() {
    return sources[current].version();
  }

  @Override
  public StoredValue value() {
    return sources[current].value();
  }

  @Override
  public void close() {
    for (EntryIterator s : sources) {
      s.close();
    }
  }
}
