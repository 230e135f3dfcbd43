package dev.sett.kv.core;

import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvIterator;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Takes a backup ({@code db.backup}): every version an {@code allVersions} iterator shows above
 * {@code sinceTs}, read from one snapshot, written by a {@link BackupWriter}. Versions are the
 * ones the database keeps (see {@link DbIterator}): tombstones and expired versions are written
 * without their values and end their key's versions, as does a version that discards earlier
 * ones. Keys in banned namespaces are left out, as iterators leave them out.
 */
final class DbBackup {
  private static final byte[] NO_VALUE = new byte[0];

  private DbBackup() {}

  /**
   * Writes the backup.
   *
   * @return the timestamp of the snapshot: every version at or below it is in this backup or
   *     older than {@code sinceTs}; pass it as {@code sinceTs} for the next incremental backup
   */
  static long write(SettDb db, OutputStream out, long sinceTs) throws IOException {
    // Managed mode: the snapshot is at the highest applied commit timestamp.
    try (Transaction txn = db.options().managedTxns()
        ? db.newTransactionAt(db.oracle().appliedTs(), false)
        : db.newTransaction(false)) {
      long readTs = txn.readTs();
      BackupWriter w = new BackupWriter(out, new BackupFormat.Header(sinceTs,
          Math.max(readTs, sinceTs), db.dbId(), db.options().clock().millis()));
      IteratorOptions o = IteratorOptions.builder().allVersions(true).sinceTs(sinceTs)
          .prefetchValues(true).build();
      try (KvIterator it = txn.newIterator(o)) {
        for (it.rewind(); it.valid(); it.next()) {
          ItemImpl item = (ItemImpl) it.item();
          byte meta = (byte) (item.stored().meta() & BackupFormat.RECORD_META);
          byte[] value = item.isDeletedOrExpired() ? NO_VALUE : item.value();
          w.add(item.keyNoCopy(), item.version(), meta, item.userMeta(), item.expiresAt(),
              value);
        }
      }
      w.finish();
      return Math.max(readTs, sinceTs);
    }
  }
}
