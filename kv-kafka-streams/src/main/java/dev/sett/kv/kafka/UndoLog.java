package dev.sett.kv.kafka;

import dev.sett.kv.Db;
import dev.sett.kv.Item;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Txn;
import dev.sett.kv.WriteBatch;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * What an exactly-once store needs to take back writes that reached disk before Kafka committed
 * them: the value each key had at the store's last commit, kept before the key's first early
 * write ("spill") after that commit.
 *
 * <p>Why: Kafka Streams 4.3 asks a store to commit its offsets under exactly-once only when a
 * task is suspended or closed, so a running task's writes outgrow any buffer and must reach disk
 * ahead of the offsets; after a crash they may belong to a Kafka transaction that was aborted. A
 * store that kept them could not say what it holds, and would have to be wiped and restored
 * whole. With the undo log, reopening rolls the store back to exactly what its committed offsets
 * cover, and Kafka restores only the changelog after them.
 *
 * <p>Layout: entries live under {@code META 'u' ‖ BE64(epoch) ‖ data key}, the value {@code 1 ‖
 * old value} or {@code 0} when the key was absent. The epoch is the number of commits made
 * (kept under {@code META 'e'}, written by each commit with its offsets), so a commit retires every
 * entry at once by moving to the next epoch; the old entries are then deleted, and any a crash
 * left are deleted at the next open.
 *
 * <p>Used by the store's writer thread only (and at open), like the write buffer.
 */
final class UndoLog {
  private static final byte ABSENT = 0;
  private static final byte PRESENT = 1;

  private final Db db;
  private long epoch;
  private boolean recorded; // entries were written in this epoch

  UndoLog(Db db) {
    this.db = db;
    try (Txn read = db.newTransaction(false)) {
      Item e = read.get(StoreKeys.EPOCH_KEY);
      this.epoch = e == null ? 0 : StoreKeys.longOf(e.value());
    }
  }

  /**
   * Restores every key the current epoch's entries name to its value at the last commit, then
   * deletes every entry. Idempotent, so a crash during it is repaired by the next open.
   *
   * @return how many keys were rolled back
   */
  long recover() {
    long rolledBack = 0;
    byte[] current = prefix(epoch);
    try (Txn read = db.newTransaction(false);
        KvIterator it = read.newIterator(IteratorOptions.builder()
            .prefix(StoreKeys.UNDO_PREFIX).build());
        WriteBatch batch = db.newWriteBatch()) {
      for (it.rewind(); it.valid(); it.next()) {
        Item item = it.item();
        byte[] key = item.key();
        if (StoreDb.startsWith(key, current)) {
          byte[] dataKey = Arrays.copyOfRange(key, current.length, key.length);
          byte[] v = item.value();
          if (v[0] == PRESENT) {
            batch.set(dataKey, Arrays.copyOfRange(v, 1, v.length));
          } else {
            batch.delete(dataKey);
          }
          rolledBack++;
        }
      }
      batch.flush();
    }
    deleteAll();
    return rolledBack;
  }

  /**
   * Keeps the committed value of each key that has none kept in this epoch yet. Called before
   * those keys' buffered writes are committed early; durable before them (the WAL is ordered).
   *
   * @param keys data keys about to be written (duplicates allowed)
   */
  void record(Collection<byte[]> keys) {
    byte[] p = prefix(epoch);
    Set<ByteBuffer> seen = new HashSet<>();
    try (Txn read = db.newTransaction(false); WriteBatch batch = db.newWriteBatch()) {
      for (byte[] key : keys) {
        if (!seen.add(ByteBuffer.wrap(key))) {
          continue;
        }
        byte[] undoKey = concat(p, key);
        if (read.get(undoKey) != null) {
          continue; // kept by an earlier spill of this epoch: that is the committed value
        }
        Item now = read.get(key);
        batch.set(undoKey, now == null ? new byte[] {ABSENT} : concat(new byte[] {PRESENT},
            now.value()));
        recorded = true;
      }
      batch.flush();
    }
  }

  /** Whether this epoch has entries, which the next commit must retire. */
  boolean pending() {
    return recorded;
  }

  /** The entry a commit writes with its offsets: the next epoch. */
  byte[][] nextEpochEntry() {
    return new byte[][] {StoreKeys.EPOCH_KEY, StoreKeys.longBytes(epoch + 1)};
  }

  /** After that commit: the store is in the next epoch; the old entries are deleted. */
  void advance() {
    epoch++;
    recorded = false;
    deleteAll();
  }

  /** Deletes every entry (those of the current epoch too: call only when none is needed). */
  private void deleteAll() {
    try (Txn read = db.newTransaction(false);
        KvIterator it = read.newIterator(IteratorOptions.builder()
            .prefix(StoreKeys.UNDO_PREFIX).keysOnly(true).build());
        WriteBatch batch = db.newWriteBatch()) {
      boolean any = false;
      for (it.rewind(); it.valid(); it.next()) {
        batch.delete(it.item().key());
        any = true;
      }
      if (any) {
        batch.flush();
      }
    }
  }

  private static byte[] prefix(long epoch) {
    return concat(StoreKeys.UNDO_PREFIX, StoreKeys.longBytes(epoch));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
