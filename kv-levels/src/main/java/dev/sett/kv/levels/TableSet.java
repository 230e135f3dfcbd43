package dev.sett.kv.levels;

import dev.sett.kv.StorageException;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.internal.RefCount;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * An immutable snapshot of the tables in every level (RocksDB calls it a version): L0 newest first
 * (by max version), each deeper level sorted by key with no overlaps. Readers pin the current set
 * with {@link #tryRef()} and release it when done; {@link LevelState} holds one reference while
 * the set is current. A set that loses its last reference releases its tables.
 *
 * <p>Concurrency: immutable apart from {@code refs}. {@link #tryRef()} fails once the count has
 * reached zero, so a reader racing with a replacement retries on the new current set instead of
 * reviving a released one.
 */
final class TableSet {
  static final Comparator<TableHandle> L0_ORDER =
      Comparator.comparingLong((TableHandle t) -> t.maxVersion).reversed()
          .thenComparing(Comparator.comparingLong((TableHandle t) -> t.id).reversed());
  static final Comparator<TableHandle> KEY_ORDER =
      (a, b) -> Keys.compare(a.smallest, b.smallest);

  final TableHandle[][] levels;
  /** The highest version (or newest commit) of any table in the set, 0 if none. */
  final long maxVersion;
  private final RefCount refs = new RefCount(1);

  /** Takes one reference on every table; the caller owns the set's first reference. */
  TableSet(TableHandle[][] levels) {
    this.levels = levels;
    long max = 0;
    for (TableHandle[] level : levels) {
      for (TableHandle t : level) {
        t.ref();
        max = Math.max(max, t.maxVersion);
      }
    }
    this.maxVersion = max;
  }

  static TableSet empty(int maxLevels) {
    TableHandle[][] levels = new TableHandle[maxLevels][];
    Arrays.fill(levels, new TableHandle[0]);
    return new TableSet(levels);
  }

  boolean tryRef() {
    return refs.tryRef();
  }

  void unref() {
    if (refs.unref("table set")) {
      for (TableHandle[] level : levels) {
        for (TableHandle t : level) {
          t.unref();
        }
      }
    }
  }

  /** The set with {@code removed} taken out and {@code added} put into {@code level}. */
  TableSet replace(Set<Long> removed, int level, List<TableHandle> added) {
    TableHandle[][] next = new TableHandle[levels.length][];
    for (int i = 0; i < levels.length; i++) {
      List<TableHandle> l = new ArrayList<>(levels[i].length + added.size());
      for (TableHandle t : levels[i]) {
        if (!removed.contains(t.id)) {
          l.add(t);
        }
      }
      if (i == level) {
        l.addAll(added);
        l.sort(i == 0 ? L0_ORDER : KEY_ORDER);
      }
      next[i] = l.toArray(new TableHandle[0]);
    }
    return new TableSet(next);
  }

  /**
   * The table of a sorted level (L1 and deeper) whose range may hold {@code key}.
   *
   * @return the table, or {@code null}
   */
  static TableHandle find(TableHandle[] level, byte[] key) {
    int lo = 0;
    int hi = level.length - 1;
    while (lo <= hi) { // first table whose largest key >= key
      int mid = (lo + hi) >>> 1;
      if (Keys.compare(level[mid].largest, key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (lo < level.length && Keys.compare(level[lo].smallest, key) <= 0) {
      return level[lo];
    }
    return null;
  }

  /** The most keys {@link #splitKeys} samples from table indexes in all. */
  static final int MAX_SAMPLED_KEYS = 4096;

  /**
   * Keys to cut key ranges at, sorted, without duplicates: the smallest key of every table, and,
   * when there are fewer than {@code wanted} tables, keys sampled from each table's index too (a
   * few large L0 tables would otherwise give a handful of cuts, all near their start).
   *
   * @throws StorageException if a table's index cannot be read
   */
  List<byte[]> splitKeys(int wanted) {
    int tables = tableCount();
    int perTable = tables == 0 || tables >= wanted ? 1
        : Math.max(1, Math.min(wanted, MAX_SAMPLED_KEYS / tables));
    List<byte[]> keys = new ArrayList<>(tables * perTable);
    for (TableHandle[] level : levels) {
      for (TableHandle t : level) {
        keys.add(t.smallest);
        if (perTable > 1) {
          try {
            keys.addAll(t.table.sampleKeys(perTable));
          } catch (IOException e) {
            throw new StorageException(t.fileName, "cannot read the table's index: " + e, e);
          }
        }
      }
    }
    keys.sort(Keys::compare);
    List<byte[]> distinct = new ArrayList<>(keys.size());
    for (byte[] k : keys) {
      if (distinct.isEmpty() || !Arrays.equals(distinct.get(distinct.size() - 1), k)) {
        distinct.add(k);
      }
    }
    return distinct;
  }

  int tableCount() {
    int n = 0;
    for (TableHandle[] l : levels) {
      n += l.length;
    }
    return n;
  }

  long levelBytes(int level) {
    long sum = 0;
    for (TableHandle t : levels[level]) {
      sum += t.sizeBytes;
    }
    return sum;
  }
}
