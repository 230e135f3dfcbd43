package dev.sett.kv.levels;

import dev.sett.kv.internal.Keys;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.StoredValue;

/**
 * Merges several {@link EntryIterator}s into one in internal order, forward or backward. Sources
 * are given in priority order (a transaction's own writes, then memtables newest first, later
 * tables): when several sources hold the same key at the same version, the one of highest
 * priority is shown and the others are skipped. Sources are few (memtables, L0 tables and one
 * iterator per deeper level), so a linear scan for the smallest beats a heap. Used by reads
 * (kv-core's iterators) and by compactions ({@link CompactionJob}), so it lives with the levels,
 * exported to kv-core only.
 *
 * <p>Moving forward, every source stands on its first entry at or after the current one; moving
 * backward, on its last entry at or before it. A step moves only the sources on the current
 * entry, which keeps that true as long as the direction stays. A change of direction breaks it:
 * the other sources stand on the wrong side of the current entry (one may hold an older version
 * of the same key just behind it), so they are first repositioned around the current entry with
 * a seek, as LevelDB's merging iterator does.
 */
public final class MergingIterator implements EntryIterator {
  private final EntryIterator[] sources;
  private int current = -1;
  /** The direction of the last positioning call: which side of the current entry sources are. */
  private boolean forward = true;

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
    forward = true;
    pick(true);
  }

  @Override
  public void seekToLast() {
    for (EntryIterator s : sources) {
      s.seekToLast();
    }
    forward = false;
    pick(false);
  }

  @Override
  public void seek(byte[] key, long version) {
    for (EntryIterator s : sources) {
      s.seek(key, version);
    }
    forward = true;
    pick(true);
  }

  @Override
  public void seekForPrev(byte[] key, long version) {
    for (EntryIterator s : sources) {
      s.seekForPrev(key, version);
    }
    forward = false;
    pick(false);
  }

  @Override
  public void next() {
    if (!forward) {
      turn(true);
    }
    step(true);
  }

  @Override
  public void prev() {
    if (forward) {
      turn(false);
    }
    step(false);
  }

  /**
   * Repositions every source but the current one on the side of the current entry that the new
   * direction needs: forward, on its first entry at or after it ({@code seek}); backward, on its
   * last entry at or before it ({@code seekForPrev}). Sources holding the current (key, version)
   * itself land on it, so that {@link #step} moves them past it with the current source and the
   * entry is shown once. The seek is by the whole internal key, not the user key: a source may
   * hold other versions of the current user key on either side.
   */
  private void turn(boolean toForward) {
    byte[] k = sources[current].key();
    long v = sources[current].version();
    for (int i = 0; i < sources.length; i++) {
      if (i == current) {
        continue;
      }
      if (toForward) {
        sources[i].seek(k, v);
      } else {
        sources[i].seekForPrev(k, v);
      }
    }
    forward = toForward;
  }

  /** Moves every source sitting on the current (key, version) past it, then picks again. */
  private void step(boolean ahead) {
    byte[] k = sources[current].key();
    long v = sources[current].version();
    for (EntryIterator s : sources) {
      if (s.valid() && s.version() == v && Keys.compare(s.key(), k) == 0) {
        if (ahead) {
          s.next();
        } else {
          s.prev();
        }
      }
    }
    pick(ahead);
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
