package dev.sett.kv.core;

import dev.sett.kv.internal.SyncBehind;
import dev.sett.kv.io.Storage;
import dev.sett.kv.io.WritableFile;
import dev.sett.kv.spi.MemTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Recovery of the write path at open (Badger's steps 5 and 10): deletes WALs the MANIFEST records
 * as flushed, replays the others oldest first into memtables, and opens the WAL that new commits
 * go to: the newest one when its memtable still has room (so reopening does not pile up
 * memtables), else a new one. The caller builds the oracle, the write path and the flusher from
 * the {@link Recovered} record. On a read-only storage it changes nothing: flushed WALs and torn
 * tails are left alone (replay stops at a torn tail anyway), and no WAL is opened for writing.
 * Single-threaded: runs before any other thread exists.
 */
final class WalRecovery {
  private static final System.Logger LOG = System.getLogger(WalRecovery.class.getName());
  /** The capacity of a read-only open's empty mutable memtable: it never takes a write. */
  static final long READ_ONLY_MUTABLE_BYTES = 64 << 10;

  /**
   * What recovery found and opened.
   *
   * @param memTables the replayed memtables, the mutable one receiving new commits
   * @param wal the WAL new commits are appended to; null when read-only
   * @param nextWalId the id of the next WAL to create
   * @param maxVersion the highest version replayed, 0 if none
   */
  record Recovered(MemTables memTables, WalWriter wal, long nextWalId, long maxVersion) {}

  private final Storage storage;
  private final byte[] dbId;
  private final MemTableSource memTables;
  private final SyncBehind walSync;
  private final long memTableSize;
  private final SeparatedValues values;

  WalRecovery(Storage storage, byte[] dbId, MemTableSource memTables, SyncBehind walSync,
      long memTableSize, SeparatedValues values) {
    this.walSync = walSync;
    this.values = values;
    this.storage = storage;
    this.dbId = dbId;
    this.memTables = memTables;
    this.memTableSize = memTableSize;
  }

  /**
   * Replays the WALs.
   *
   * @param flushedThrough the highest WAL id the MANIFEST records as fully in tables
   * @return what was found
   * @throws dev.sett.kv.CorruptionException if a WAL is damaged beyond a torn tail
   * @throws IOException if the files cannot be read or written
   */
  Recovered recover(long flushedThrough) throws IOException {
    List<MemTableHandle> made = new ArrayList<>();
    try {
      return recover(flushedThrough, made);
    } catch (IOException | RuntimeException | Error e) {
      // Nothing is returned: give every memtable back (on a shared budget, its charge too).
      for (MemTableHandle h : made) {
        if (h.refCount() > 0) {
          h.unref();
        }
      }
      throw e;
    }
  }

  private Recovered recover(long flushedThrough, List<MemTableHandle> made) throws IOException {
    List<Long> ids = new ArrayList<>();
    for (String name : storage.list()) {
      long id = FileNames.walId(name);
      if (id >= 0) {
        ids.add(id);
      }
    }
    ids.sort(null);
    boolean readOnly = storage.readOnly();
    while (!ids.isEmpty() && ids.get(0) <= flushedThrough) {
      long id = ids.remove(0);
      if (readOnly) {
        continue; // in tables already; deleted by the next read-write open
      }
      storage.delete(FileNames.wal(id));
      LOG.log(System.Logger.Level.INFO, "deleted {0}: the MANIFEST records it as flushed to"
          + " tables (a crash came before its deletion)", FileNames.wal(id));
    }
    List<MemTableHandle> handles = new ArrayList<>(); // oldest first
    long maxVersion = 0;
    WalReplayer.Result last = null;
    for (int i = 0; i < ids.size(); i++) {
      long id = ids.get(i);
      boolean newest = i == ids.size() - 1;
      List<MemTableHandle> forThisWal = new ArrayList<>();
      forThisWal.add(memTables.newReplayHandle(id));
      made.add(forThisWal.get(0));
      WalReplayer.Result r = WalReplayer.replay(storage, id, dbId, newest, values::resolvable,
          (key, version, meta, userMeta, expiresAt, value) -> {
            MemTable t = forThisWal.get(forThisWal.size() - 1).table();
            if (!t.put(key, version, meta, userMeta, expiresAt, value)) {
              MemTableHandle more = memTables.newReplayHandle(id);
              forThisWal.add(more);
              made.add(more);
              if (!more.table().put(key, version, meta, userMeta, expiresAt, value)) {
                throw new IllegalStateException("entry does not fit in an empty memtable");
              }
            }
          });
      maxVersion = Math.max(maxVersion, r.maxVersion());
      for (MemTableHandle h : forThisWal) {
        h.noteCommit(r.maxVersion()); // the whole WAL's: never below any of its commits
      }
      if (r.headerTorn()) {
        forThisWal.forEach(MemTableHandle::unref);
        if (readOnly) {
          continue;
        }
        storage.delete(FileNames.wal(id));
        storage.syncDirectory();
        LOG.log(System.Logger.Level.WARNING, "removed {0}: its creation was cut short by a"
            + " crash (no complete header)", FileNames.wal(id));
        continue;
      }
      if (r.tornTail() && !readOnly) {
        // Cut now, whether or not this WAL is reused: a torn tail left in a WAL that is sealed
        // from here on would read as damage after the next crash.
        cutTornTail(id, r);
      }
      handles.addAll(forThisWal);
      last = r;
      LOG.log(System.Logger.Level.DEBUG, "replayed {0}: {1} transactions", FileNames.wal(id),
          r.transactions());
    }
    // WAL ids never go back: a reused id at or below the flushed mark would be skipped at replay.
    long nextWalId = Math.max(flushedThrough, ids.isEmpty() ? 0 : ids.get(ids.size() - 1)) + 1;
    MemTableHandle newestHandle = handles.isEmpty() ? null : handles.get(handles.size() - 1);
    boolean reuse = last != null && newestHandle != null
        && newestHandle.walId() == ids.get(ids.size() - 1)
        && handles.stream().filter(h -> h.walId() == newestHandle.walId()).count() == 1
        && newestHandle.table().sizeBytes() < memTableSize;
    WalWriter wal;
    MemTableHandle mutable;
    if (readOnly) {
      wal = null; // nothing is written: the newest replayed memtable, or an empty one, is last
      if (handles.isEmpty()) {
        mutable = memTables.newSmallHandle(nextWalId, READ_ONLY_MUTABLE_BYTES);
        made.add(mutable);
      } else {
        mutable = handles.remove(handles.size() - 1);
      }
    } else if (reuse) {
      wal = WalWriter.reopen(storage, newestHandle.walId(), last.validEnd(), walSync);
      mutable = newestHandle;
      handles.remove(handles.size() - 1);
    } else {
      wal = WalWriter.create(storage, nextWalId, dbId, walSync);
      mutable = memTables.newHandle(nextWalId);
      made.add(mutable);
      nextWalId++;
    }
    MemTableHandle[] imm = new MemTableHandle[handles.size()];
    for (int i = 0; i < imm.length; i++) {
      imm[i] = handles.get(handles.size() - 1 - i); // newest first
    }
    return new Recovered(new MemTables(mutable, imm), wal, nextWalId, maxVersion);
  }

  private void cutTornTail(long id, WalReplayer.Result r) throws IOException {
    try (WritableFile f = storage.openForAppend(FileNames.wal(id))) {
      f.truncate(r.validEnd());
      f.sync();
    }
    LOG.log(System.Logger.Level.WARNING, "cut the torn tail of {0} ({1}): {2} bytes after"
        + " offset {3} that a crash left incomplete (never acknowledged with syncWrites)",
        FileNames.wal(id), r.tailProblem(), r.fileSize() - r.validEnd(), r.validEnd());
  }
}
