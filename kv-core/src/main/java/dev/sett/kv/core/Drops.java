package dev.sett.kv.core;

import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.WriteBatch;
import dev.sett.kv.internal.Keys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code dropAll} and {@code dropPrefix}: deletes every live key under the prefixes as of one
 * snapshot, then reclaims the space: seals and flushes the memtable holding the tombstones,
 * compacts the prefixes' key ranges into the last level (where tombstones and the versions they
 * delete are dropped) and runs value log garbage collection rounds over the garbage those
 * compactions counted.
 *
 * <p>Unlike Badger, which stops writes (they fail while a drop runs) and removes files, a drop
 * here is an ordinary writer, so nothing else is blocked or failed: readers keep their
 * snapshots (a transaction that began before the drop still reads the dropped keys), and
 * writers go on. A key that did not exist when the drop began survives it; a write to a key that
 * did exist may or may not, depending on whether it commits before the tombstone; every write
 * that commits after the drop returns survives. Space held by versions that open transactions
 * may still read is reclaimed only once they end (by later compactions and collection rounds).
 */
final class Drops {
  /** Collection rounds after a drop at most (each takes up to eight value log files). */
  private static final int MAX_GC_ROUNDS = 64;

  private Drops() {}

  /** Deletes the keys under {@code prefixes} (an empty prefix: every key); returns how many. */
  static long drop(SettDb db, byte[][] prefixes) throws InterruptedException {
    byte[][] roots = roots(prefixes);
    long deleted = 0;
    try (Transaction snapshot = db.newTransaction(false);
        WriteBatch batch = db.newWriteBatch()) {
      for (byte[] p : roots) {
        IteratorOptions o = IteratorOptions.builder().prefix(p).keysOnly(true)
            .prefetchValues(false).build();
        try (KvIterator it = snapshot.newIterator(o)) {
          for (it.rewind(); it.valid(); it.next()) {
            batch.delete(((ItemImpl) it.item()).keyNoCopy());
            deleted++;
          }
        }
      }
      batch.flush();
    } // the snapshot ends here: it would keep compactions from dropping what it reads
    reclaim(db, roots);
    return deleted;
  }

  private static void reclaim(SettDb db, byte[][] roots) throws InterruptedException {
    long walId = db.memTables().mutable.walId();
    db.pipeline().sealMemTable();
    db.awaitFlushed(walId);
    byte[] top = new byte[Options.MAX_KEY_SIZE];
    for (byte[] p : roots) {
      byte[] hi = top.clone();
      System.arraycopy(p, 0, hi, 0, p.length);
      Arrays.fill(hi, p.length, hi.length, (byte) 0xff); // above every key under p
      db.levels().compactRange(p, hi);
    }
    double ratio = db.options().valueLogGcDiscardRatio();
    try {
      for (int i = 0; i < MAX_GC_ROUNDS && db.valueLogGc().runRound(ratio, true); i++) {
        // each round rewrites or deletes files whose garbage the compactions counted
      }
    } catch (IOException e) {
      throw new dev.sett.kv.StorageException(null, "the keys were dropped, but value log"
          + " garbage collection failed (its space is reclaimed by later rounds): " + e, e);
    }
  }

  /** The prefixes without those that lie under another one, sorted. */
  static byte[][] roots(byte[][] prefixes) {
    byte[][] sorted = prefixes.clone();
    Arrays.sort(sorted, Keys::compare);
    List<byte[]> out = new ArrayList<>();
    for (byte[] p : sorted) {
      if (out.isEmpty() || !Keys.hasPrefix(p, out.get(out.size() - 1))) {
        out.add(p);
      }
    }
    return out.toArray(new byte[0][]);
  }
}
