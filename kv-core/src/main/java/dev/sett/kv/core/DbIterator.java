package dev.sett.kv.core;

import dev.sett.kv.DbClosedException;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.levels.LevelsController;
import dev.sett.kv.levels.MergingIterator;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.EntryMeta;
import dev.sett.kv.spi.StoredValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The public iterator: walks a {@link MergingIterator} in one direction and turns internal entries
 * into items at the transaction's read timestamp.
 *
 * <p>Forward, the versions of a key arrive newest first, so the first version at or below the read
 * timestamp is the answer and the older ones are skipped. Backward they arrive oldest first, so the
 * iterator reads every version of the key and keeps the newest one at or below the read
 * timestamp; the merged cursor then already stands on the previous key. A tombstone or an expired
 * version hides its key (unless {@code allVersions}); versions at or below {@code sinceTs} are
 * skipped.
 *
 * <p>With {@code allVersions}, the versions shown are the ones the database keeps for this read
 * timestamp, not whatever compactions have not dropped yet: newest first, a key's versions end
 * after the {@code numVersionsToKeep}-th one or after a tombstone, an expired version or one
 * that discards earlier versions (which is shown), as in a compaction at this read timestamp. So
 * what an iterator shows does not depend on when compactions ran, and value log garbage
 * collection may free the values of the versions it hides (see {@link ValueLogGc}). Badger shows
 * every version still in the tree. In managed mode compactions drop versions only at or below the
 * application's discard timestamp, so every version above it is shown and the counting starts
 * below it.
 */
final class DbIterator implements KvIterator {
  private final Transaction txn;
  private final MergingIterator merged;
  private final long readTs;
  private final byte[] prefix;
  private final boolean reverse;
  private final boolean allVersions;
  private final long sinceTs;
  private final byte[] onlyKey;
  private final long now;
  private final SeparatedValues values;
  private final MemTables memTables;
  private final LevelsController.Snapshot pinned;
  private final int readAhead; // 0: no read-ahead
  /**
   * How far to read ahead now: 0 after positioning, then doubling with every step up to {@code
   * readAhead}, so a seek that reads a few items does not pull a hundred (a short scan cost ten
   * times its work before), while a long scan reaches the full read-ahead within a few steps.
   */
  private int window;
  private final int versionsToKeep;
  /**
   * The range covered since the last positioning, for phantom detection ({@link ReadRange}); null
   * when the transaction does not detect conflicts.
   */
  private ReadRange range;
  /** Managed mode: versions above the discard timestamp are all kept (and shown). */
  private final long discardTs;
  private final BannedNamespaces banned;
  /** Forward allVersions: the key whose versions are being walked, and what was seen of it. */
  private byte[] versionKey;
  private int versionsCounted;
  private boolean versionsEnded;
  /** Backward allVersions: one key's versions to show, oldest first. */
  private final ArrayDeque<ItemImpl> backlog = new ArrayDeque<>();
  /** Items found beyond the current one, in iteration order (read-ahead); at most readAhead. */
  private final ArrayDeque<ItemImpl> ahead = new ArrayDeque<>();
  private boolean pulledAny; // since the last positioning
  private boolean exhausted; // the merged stream has no further item
  private Item item;
  private byte[] lastKey;
  private boolean closed;

  DbIterator(SettDb db, Transaction txn, EntryIterator[] sources, long readTs,
      IteratorOptions options, byte[] onlyKey, MemTables memTables,
      LevelsController.Snapshot pinned) {
    this.txn = txn;
    this.merged = new MergingIterator(sources);
    this.readTs = readTs;
    this.prefix = onlyKey != null ? onlyKey : options.prefix();
    this.reverse = options.reverse();
    this.allVersions = options.allVersions() || onlyKey != null;
    // sinceTs 0 means "every version". A transaction's own writes carry its read timestamp, which
    // is 0 in a database nothing was committed to yet, so "above 0" would hide them: -1 keeps
    // every version, those pending writes included.
    this.sinceTs = options.sinceTs() == 0 ? -1 : options.sinceTs();
    this.onlyKey = onlyKey;
    this.now = db.nowSeconds();
    this.values = db.values();
    this.memTables = memTables;
    this.pinned = pinned;
    this.readAhead = options.prefetchValues() ? options.prefetchSize() : 0;
    this.versionsToKeep = db.options().numVersionsToKeep();
    this.discardTs = db.options().managedTxns() ? db.discardTs() : Long.MAX_VALUE;
    this.banned = db.banned();
  }

  private void checkOpen() {
    if (closed) {
      throw new DbClosedException("iterator is closed");
    }
    txn.checkOpen();
  }

  @Override
  public void rewind() {
    checkOpen();
    reset();
    if (!reverse) {
      range = txn.newRange(prefix.length > 0 ? prefix : null, null, false);
    } else {
      byte[] upper = prefix.length > 0 ? successor(prefix) : null;
      range = txn.newRange(null, upper, false);
    }
    if (!reverse) {
      if (prefix.length > 0) {
        merged.seek(prefix, Long.MAX_VALUE);
      } else {
        merged.seekToFirst();
      }
    } else {
      byte[] upper = prefix.length > 0 ? successor(prefix) : null;
      if (upper != null) {
        merged.seekForPrev(upper, Long.MAX_VALUE);
      } else {
        merged.seekToLast();
      }
    }
    advance();
  }

  /**
   * Widens the range to the item the iterator now stands on, or, when it ran out, to the end of
   * its prefix (open without one): every key between was read, as present or absent.
   */
  private void cover() {
    byte[] k = item != null ? ((ItemImpl) item).keyNoCopy() : null;
    if (!reverse) {
      if (k != null) {
        range.hi = k;
        range.hiInclusive = true;
      } else {
        range.hi = prefix.length > 0 ? successor(prefix) : null;
        range.hiInclusive = false;
      }
    } else {
      range.lo = k != null ? k : prefix.length > 0 ? prefix : null;
    }
  }

  /** Forgets the position: what was read ahead belongs to it. */
  private void reset() {
    lastKey = null;
    versionKey = null;
    backlog.clear();
    ahead.clear();
    window = 0;
    pulledAny = false;
    exhausted = false;
  }

  /**
   * Moves to the next item: the oldest one read ahead, or the next one found in the merged
   * stream; then reads ahead up to {@code window} items further (growing to {@code readAhead}),
   * starting the value log reads of their values in the background (Badger's prefetch), so that a
   * scan that reads values waits for I/O once per batch rather than once per item.
   */
  private void advance() {
    ItemImpl next = ahead.pollFirst();
    item = next != null ? next : pull();
    if (range != null) {
      cover();
    }
    int target = window;
    window = Math.min(readAhead, Math.max(1, window * 2));
    while (target > 0 && item != null && ahead.size() < target) {
      ItemImpl more = pull();
      if (more == null) {
        break;
      }
      values.prefetch(more);
      ahead.addLast(more);
    }
  }

  /** The next item of the merged stream after every item pulled since the positioning. */
  private ItemImpl pull() {
    if (exhausted) {
      return null;
    }
    ItemImpl found;
    if (!reverse) {
      if (pulledAny) {
        merged.next(); // the cursor stands on the item pulled last
      }
      found = findForward();
    } else {
      found = findBackward(); // the cursor already stands before the item pulled last
    }
    pulledAny = true;
    exhausted = found == null;
    return found;
  }

  @Override
  public void seek(byte[] key) {
    checkOpen();
    if (key == null || key.length == 0) {
      rewind();
      return;
    }
    reset();
    if (!reverse) {
      byte[] from = Keys.compare(key, prefix) < 0 ? prefix : key;
      range = txn.newRange(from.clone(), null, false);
      merged.seek(from, Long.MAX_VALUE);
    } else {
      range = txn.newRange(null, key.clone(), true);
      merged.seekForPrev(key, 0);
    }
    advance();
  }

  /** The smallest key greater than every key starting with {@code p}, or null if none. */
  private static byte[] successor(byte[] p) {
    for (int i = p.length - 1; i >= 0; i--) {
      if (p[i] != (byte) 0xFF) {
        byte[] s = Arrays.copyOf(p, i + 1);
        s[i]++;
        return s;
      }
    }
    return null;
  }

  private boolean inRange(byte[] k) {
    return onlyKey != null ? Arrays.equals(k, onlyKey) : Keys.hasPrefix(k, prefix);
  }

  private ItemImpl findForward() {
    while (merged.valid()) {
      byte[] k = merged.key();
      if (!inRange(k)) {
        if (Keys.compare(k, prefix) > 0) {
          return null; // past the prefix: nothing further can match
        }
        merged.next();
        continue;
      }
      if (banned.isBanned(k)) {
        merged.next(); // a banned namespace's keys are skipped
        continue;
      }
      long v = merged.version();
      if (v > readTs) {
        merged.next();
        continue;
      }
      if (allVersions) {
        StoredValue sv = merged.value();
        if (!hiddenVersion(k, v, sv) && v > sinceTs) {
          return new ItemImpl(k, sv, now, values);
        }
        merged.next();
        continue;
      }
      if (lastKey != null && Arrays.equals(k, lastKey)) {
        merged.next(); // an older version of a key already decided
        continue;
      }
      lastKey = k;
      StoredValue sv = merged.value();
      if (v > sinceTs && !EntryMeta.isDeletedOrExpired(sv.meta(), sv.expiresAt(), now)) {
        return new ItemImpl(k, sv, now, values);
      }
      merged.next();
    }
    return null;
  }

  /**
   * Whether an allVersions iterator hides this version (see the class notes). Called for every
   * version at or below the read timestamp of a key, newest first.
   */
  private boolean hiddenVersion(byte[] k, long v, StoredValue sv) {
    if (versionKey == null || !Arrays.equals(k, versionKey)) {
      versionKey = k;
      versionsCounted = 0;
      versionsEnded = false;
    }
    if (versionsEnded) {
      return true;
    }
    if (v > discardTs || !EntryMeta.countsAsVersion(sv.meta())) {
      return false; // managed mode above the discard ts, or a merge operand: compactions keep it
    }
    versionsCounted++;
    if (EntryMeta.isDeletedOrExpired(sv.meta(), sv.expiresAt(), now)
        || (sv.meta() & EntryMeta.DISCARD_EARLIER_VERSIONS) != 0
        || versionsCounted >= versionsToKeep) {
      versionsEnded = true;
    }
    return false;
  }

  private ItemImpl findBackward() {
    ItemImpl queued = backlog.pollFirst();
    if (queued != null) {
      return queued;
    }
    while (merged.valid()) {
      byte[] k = merged.key();
      if (!inRange(k)) {
        if (Keys.compare(k, prefix) < 0) {
          return null; // before the prefix: nothing further back can match
        }
        merged.prev();
        continue;
      }
      if (banned.isBanned(k)) {
        merged.prev(); // a banned namespace's keys are skipped
        continue;
      }
      if (allVersions) {
        List<StoredValue> versions = new ArrayList<>(); // oldest first
        while (merged.valid() && Arrays.equals(merged.key(), k)) {
          if (merged.version() <= readTs) {
            versions.add(merged.value());
          }
          merged.prev();
        }
        boolean[] hidden = new boolean[versions.size()];
        versionKey = null;
        for (int i = versions.size() - 1; i >= 0; i--) { // newest first, as a compaction
          hidden[i] = hiddenVersion(k, versions.get(i).version(), versions.get(i));
        }
        for (int i = 0; i < versions.size(); i++) {
          if (!hidden[i] && versions.get(i).version() > sinceTs) {
            backlog.addLast(new ItemImpl(k, versions.get(i), now, values));
          }
        }
        ItemImpl first = backlog.pollFirst();
        if (first != null) {
          return first;
        }
        continue;
      }
      StoredValue best = null;
      while (merged.valid() && Arrays.equals(merged.key(), k)) {
        if (merged.version() <= readTs) {
          best = merged.value(); // versions grow as we go back: the last one kept is the newest
        }
        merged.prev();
      }
      if (best != null && best.version() > sinceTs
          && !EntryMeta.isDeletedOrExpired(best.meta(), best.expiresAt(), now)) {
        return new ItemImpl(k, best, now, values);
      }
    }
    return null;
  }

  @Override
  public boolean valid() {
    return item != null && !closed;
  }

  @Override
  public boolean validForPrefix(byte[] p) {
    return valid() && Keys.hasPrefix(((ItemImpl) item).keyNoCopy(), p);
  }

  @Override
  public void next() {
    checkOpen();
    if (item == null) {
      throw new NoSuchElementException("iterator is not positioned on an item");
    }
    advance();
  }

  @Override
  public Item item() {
    checkOpen();
    if (item == null) {
      throw new NoSuchElementException("iterator is not positioned on an item");
    }
    if (txn.isUpdate()) {
      txn.recordRead(((ItemImpl) item).keyNoCopy());
    }
    return item;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      item = null;
      ahead.clear(); // reads under way finish in the background; their results are dropped
      merged.close();
      pinned.close();
      MemTableList.release(memTables);
      txn.iteratorClosed(this);
    }
  }
}
