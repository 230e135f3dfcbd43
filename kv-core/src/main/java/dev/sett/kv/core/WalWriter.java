package dev.sett.kv.core;

import dev.sett.kv.internal.SyncBehind;
import dev.sett.kv.io.FileHeader;
import dev.sett.kv.io.Storage;
import dev.sett.kv.io.WritableFile;
import dev.sett.kv.spi.EntryMeta;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Appends records to one WAL file. Records are encoded into a reusable buffer and reach the file
 * in one write per {@link #flush}, so a group commit costs one system call (and one fsync with
 * {@code syncWrites}); nothing is allocated per entry.
 *
 * <p>Without {@code syncWrites}, a {@link SyncBehind} syncs the file in the background as it
 * grows ({@link #syncBehind}), so the fsync at {@link #seal} (memtable rotation, on the write
 * path) finds little left.
 *
 * <p>Concurrency: used only by the thread that currently leads the write path (see {@link
 * WritePipeline}); not thread-safe. The background syncer only syncs the file.
 */
final class WalWriter implements AutoCloseable {
  private final WritableFile file;
  private final long id;
  private final SyncBehind syncBehind;
  private final CRC32C crc = new CRC32C();
  private byte[] buf = new byte[64 << 10];
  private int len;
  /**
   * Bytes this writer has written to the file. Kept here rather than asked of the file: whether to
   * fsync must depend on what we wrote, never on what the file reports (after a power loss a
   * file can report fewer bytes, and skipping the fsync then would acknowledge lost data).
   */
  private long written;
  /** Offset up to which the file is known to be synced. */
  private long syncedUpTo;
  /** Offset recorded by the last sync mark written. */
  private long markedUpTo;

  private WalWriter(WritableFile file, long id, long syncedUpTo, SyncBehind syncBehind) {
    this.file = file;
    this.id = id;
    this.syncBehind = syncBehind;
    this.written = syncedUpTo;
    this.syncedUpTo = syncedUpTo;
    this.markedUpTo = syncedUpTo;
  }

  /**
   * Creates a new WAL file, writes its header and makes file and name durable, so that a file
   * that exists after a crash always has a complete header.
   */
  static WalWriter create(Storage storage, long id, byte[] dbId, SyncBehind syncBehind)
      throws IOException {
    String name = FileNames.wal(id);
    WritableFile f = storage.create(name);
    try {
      byte[] h = new FileHeader(WalFormat.MAGIC, WalFormat.FORMAT, WalFormat.VERSION, dbId, id)
          .encode();
      f.write(h, 0, h.length);
      f.sync();
      storage.syncDirectory();
      return new WalWriter(f, id, h.length, syncBehind);
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  /** Reopens a replayed WAL for appending after cutting it to its valid end. */
  static WalWriter reopen(Storage storage, long id, long validEnd, SyncBehind syncBehind)
      throws IOException {
    WritableFile f = storage.openForAppend(FileNames.wal(id));
    try {
      if (f.size() != validEnd) {
        f.truncate(validEnd);
        f.sync();
      }
      return new WalWriter(f, id, validEnd, syncBehind);
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  long id() {
    return id;
  }

  String name() {
    return file.name();
  }

  /** Bytes written to the file so far. */
  long writtenBytes() {
    return written;
  }

  /** Bytes written plus bytes buffered. */
  long size() {
    return written + len;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(len + more, buf.length * 2));
    }
    if (len == 0 && syncedUpTo > markedUpTo) {
      // First record after a sync: tell recovery that everything before syncedUpTo was durable.
      int need = WalFormat.MARKER_LENGTH + more;
      if (need > buf.length) {
        buf = Arrays.copyOf(buf, need);
      }
      len = WalFormat.encode(buf, 0, crc, WalFormat.SYNC_MARK, (byte) 0, 0, syncedUpTo, null,
          null);
      markedUpTo = syncedUpTo;
    }
  }

  /** Buffers one entry. */
  void add(byte meta, byte userMeta, long expiresAt, long version, byte[] key, byte[] value) {
    ensure(WalFormat.maxLength(key.length, value.length) + WalFormat.MARKER_LENGTH);
    len = WalFormat.encode(buf, len, crc, meta, userMeta, expiresAt, version, key, value);
  }

  /** Buffers the commit marker of the transaction committed at {@code commitTs}. */
  void addCommitMarker(long commitTs) {
    ensure(WalFormat.MARKER_LENGTH * 2);
    len = WalFormat.encode(buf, len, crc, EntryMeta.FIN_TXN, (byte) 0, 0, commitTs, null, null);
  }

  /** Writes the buffered records to the file and, if asked, fsyncs it. */
  void flush(boolean sync) throws IOException {
    if (len > 0) {
      int n = len;
      len = 0; // a failed write leaves the buffer dropped; the database then refuses writes
      file.write(buf, 0, n);
      written += n;
      if (buf.length > (4 << 20)) {
        buf = new byte[64 << 10]; // do not keep a huge buffer after one big transaction
      }
    }
    syncedUpTo = Math.max(syncedUpTo, syncBehind.checkedDurableUpTo(file));
    if (sync && syncedUpTo < written) {
      file.sync();
      syncedUpTo = written;
    }
  }

  /**
   * Lets the background syncer make the file durable up to {@code upTo} (it syncs once {@code
   * bytesPerSync} bytes accumulated). The caller must know that every value the WAL points to up
   * there is durable already (see {@link WritePipeline}).
   */
  void syncBehind(long upTo) {
    syncBehind.wrote(file, upTo);
  }

  /** Flushes, syncs and closes: a sealed WAL is complete and durable. */
  void seal() throws IOException {
    try {
      flush(true);
    } finally {
      close();
    }
  }

  @Override
  public void close() throws IOException {
    syncBehind.detach(file); // a background sync of the file must end before it closes
    file.close();
  }
}
