package dev.sett.kv.core;

import java.util.Arrays;

/**
 * The read timestamps of open transactions, with how many transactions read at each: a multiset
 * kept as a sorted ring of {@code (timestamp, count)} pairs, without boxing or a node per
 * transaction (it replaced a {@code TreeMap<Long, Integer>} that allocated two objects per
 * transaction on every get).
 *
 * <p>Transactions begin at the applied timestamp, which never falls, so a new timestamp is
 * never below the newest in the ring and is appended (or counted on the newest pair). An ended
 * transaction decrements its pair, found by binary search; pairs at zero leave from the front,
 * so the front pair is always the oldest open read. Zero pairs behind an old open transaction
 * are squeezed out when the ring is full, so it holds at most about twice the distinct
 * timestamps in use.
 *
 * <p>Not thread-safe: the {@link Oracle} calls it under its lock.
 */
final class ReadTimestamps {
  private long[] ts = new long[16]; // capacity: a power of two
  private int[] counts = new int[16];
  private int head;
  private int size;

  /** Whether no transaction is open. */
  boolean isEmpty() {
    return size == 0;
  }

  /** The oldest open read timestamp; only when not {@link #isEmpty()}. */
  long oldest() {
    return ts[head];
  }

  private int at(int i) {
    return (head + i) & (ts.length - 1);
  }

  /** Counts a transaction reading at {@code t}. */
  void add(long t) {
    if (size > 0) {
      int last = at(size - 1);
      if (ts[last] == t) {
        counts[last]++;
        return;
      }
      if (ts[last] > t) {
        insertOutOfOrder(t); // not expected (timestamps never fall), but stay correct
        return;
      }
    }
    if (size == ts.length) {
      makeRoom();
    }
    int p = at(size);
    ts[p] = t;
    counts[p] = 1;
    size++;
  }

  /** Uncounts a transaction that read at {@code t}; returns whether one was counted there. */
  boolean remove(long t) {
    int i = find(t);
    if (i < 0) {
      return false;
    }
    int p = at(i);
    counts[p]--;
    while (size > 0 && counts[head] == 0) {
      head = (head + 1) & (ts.length - 1);
      size--;
    }
    return true;
  }

  /** The logical index of the live pair at {@code t}, or -1. */
  private int find(long t) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long v = ts[at(mid)];
      if (v < t) {
        lo = mid + 1;
      } else if (v > t) {
        hi = mid - 1;
      } else {
        return counts[at(mid)] > 0 ? mid : -1;
      }
    }
    return -1;
  }

  /** Squeezes out zero pairs, or doubles the ring if fewer than half of them are zero. */
  private void makeRoom() {
    int live = 0;
    for (int i = 0; i < size; i++) {
      if (counts[at(i)] > 0) {
        live++;
      }
    }
    int capacity = live * 2 > ts.length ? ts.length * 2 : ts.length;
    long[] nts = new long[capacity];
    int[] ncounts = new int[capacity];
    int n = 0;
    for (int i = 0; i < size; i++) {
      int p = at(i);
      if (counts[p] > 0) {
        nts[n] = ts[p];
        ncounts[n] = counts[p];
        n++;
      }
    }
    ts = nts;
    counts = ncounts;
    head = 0;
    size = n;
  }

  private void insertOutOfOrder(long t) {
    int i = find(t);
    if (i >= 0) {
      counts[at(i)]++;
      return;
    }
    makeRoom(); // compacts into a fresh array starting at 0, with room for one more
    if (size == ts.length) {
      ts = Arrays.copyOf(ts, ts.length * 2);
      counts = Arrays.copyOf(counts, counts.length * 2);
    }
    int pos = 0;
    while (pos < size && ts[pos] < t) {
      pos++;
    }
    System.arraycopy(ts, pos, ts, pos + 1, size - pos);
    System.arraycopy(counts, pos, counts, pos + 1, size - pos);
    ts[pos] = t;
    counts[pos] = 1;
    size++;
  }
}
