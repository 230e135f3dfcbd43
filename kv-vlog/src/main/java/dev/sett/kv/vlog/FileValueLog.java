package dev.sett.kv.vlog;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.Options;
import dev.sett.kv.internal.RefCount;
import dev.sett.kv.internal.SyncBehind;
import dev.sett.kv.io.FileHeader;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.Storage;
import dev.sett.kv.io.WritableFile;
import dev.sett.kv.spi.ValueLog;
import dev.sett.kv.spi.ValuePointer;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.zip.CRC32C;

/**
 * The {@code vlog-v1} value log: files {@code NNNNNN.vlog} in one {@link Storage}.
 *
 * <p>Concurrency notes. Writer state ({@link #out}, {@link #written}, the group buffer and its
 * fields) belongs to the single writer thread (see {@link ValueLog}); it is never read by other
 * threads. Shared state: {@link #files}, a concurrent map from id to {@link VlogFile}, each with
 * its read handle, its readable end (volatile; for the file being written, the end of the last
 * flushed group, published after the write returns, so a reader that sees a pointer's group
 * flushed sees its bytes) and a reference count; and {@link #active} (volatile). A reader takes a
 * reference on the file for the duration of a read or scan, so {@link #deleteFile} closes and
 * deletes a file only after the reads under way on it have finished. A file is put into the map
 * before any pointer into it is handed out, and ids only grow, so a sealed file never becomes
 * active again.
 */
final class FileValueLog implements ValueLog {
  private static final System.Logger LOG = System.getLogger(FileValueLog.class.getName());
  /** Length of every {@code vlog-v1} file header (the format name is fixed). */
  static final int HEADER_LENGTH = new FileHeader(VlogRecords.MAGIC, VlogRecords.FORMAT,
      VlogRecords.VERSION, new byte[FileHeader.DB_ID_LENGTH], 0).length();
  /** Largest group buffer. */
  private static final int MAX_GROUP = Integer.MAX_VALUE - 64;
  private static final int INITIAL_BUFFER = 64 << 10;

  /** One file of the log, shared by readers and the writer. */
  private static final class VlogFile {
    final long id;
    final String name;
    final ReadableFile in;
    /** Bytes readers may read: the length of a sealed file, the flushed end of the active one. */
    volatile long end;
    /** One reference held by the log while the file is in {@link #files}, one per read. */
    final RefCount refs = new RefCount(1);

    VlogFile(long id, String name, ReadableFile in, long end) {
      this.id = id;
      this.name = name;
      this.in = in;
      this.end = end;
    }
  }

  private final Storage storage;
  private final byte[] dbId;
  private final long maxFileSize;
  private final int maxEntries;
  private final ConcurrentSkipListMap<Long, VlogFile> files = new ConcurrentSkipListMap<>();
  private volatile VlogFile active;

  // ---- writer state (the writer thread only) ----
  /**
   * Syncs the active file in the background every {@code bytesPerSync} bytes written without a
   * sync ({@link Options#bytesPerSync()}), so the fsync at
   * rotation (and at the WAL's rotation, see {@link #sync}) finds little dirty data left.
   */
  private final SyncBehind syncBehind;
  private WritableFile out;
  /** Record bytes written since open, and how many of them are known durable. */
  private long totalWritten;
  private long totalDurable;
  /** {@code totalWritten} and {@code written} when the active file was opened for writing. */
  private long fileStartTotal;
  private long fileStartOffset;
  /** Bytes written to the active file by this log (not asked of the file; see WalWriter). */
  private long written;
  private long syncedUpTo;
  private long markedUpTo;
  private int activeEntries;
  private final CRC32C crc = new CRC32C();
  private byte[] buf = new byte[INITIAL_BUFFER];
  private int len;
  private int groupEntries;
  private long groupFileId;
  private long groupStart;
  private boolean rotateBeforeGroup;
  /** The offset the group's sync mark records, or -1 if the group has none. */
  private long groupMark = -1;
  private Throwable failure;
  private volatile boolean closed;

  private FileValueLog(Storage storage, byte[] dbId, long maxFileSize, int maxEntries,
      long bytesPerSync) {
    this.syncBehind = new SyncBehind("sett-vlog-sync", bytesPerSync);
    this.storage = storage;
    this.dbId = dbId.clone();
    this.maxFileSize = maxFileSize;
    this.maxEntries = maxEntries;
  }

  static String name(long id) {
    return String.format(Locale.ROOT, "%06d.vlog", id);
  }

  /** The id in a file name, or -1 if the name is not a value log file's. */
  static long idOf(String name) {
    if (!name.endsWith(".vlog") || name.length() < 6 + 5 || name.length() > 19 + 5) {
      return -1;
    }
    String digits = name.substring(0, name.length() - 5);
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -1;
      }
    }
    try {
      long id = Long.parseLong(digits);
      return name(id).equals(name) && id <= VlogRecords.MAX_OFFSET ? id : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Open

  static FileValueLog open(Storage storage, byte[] dbId, long maxFileSize, int maxEntries,
      long bytesPerSync)
      throws IOException {
    Objects.requireNonNull(storage, "storage");
    if (dbId == null || dbId.length != FileHeader.DB_ID_LENGTH) {
      throw new IllegalArgumentException("dbId must be " + FileHeader.DB_ID_LENGTH + " bytes");
    }
    if (maxFileSize < HEADER_LENGTH + VlogRecords.MIN_RECORD || maxFileSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxFileSize " + maxFileSize + " is outside ["
          + (HEADER_LENGTH + VlogRecords.MIN_RECORD) + ", 2^31 - 1]");
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    FileValueLog log = new FileValueLog(storage, dbId, maxFileSize, maxEntries, bytesPerSync);
    try {
      log.load();
      return log;
    } catch (IOException | RuntimeException e) {
      log.closeAll();
      throw e;
    }
  }

  /** The ids of the value log files in {@code storage}, ascending. */
  static List<Long> fileIds(Storage storage) throws IOException {
    List<Long> ids = new ArrayList<>();
    for (String n : storage.list()) {
      long id = idOf(n);
      if (id >= 0) {
        ids.add(id);
      }
    }
    ids.sort(null);
    return ids;
  }

  private void load() throws IOException {
    List<Long> ids = fileIds(storage);
    // A newest file too short for its header was being created when the process stopped: its
    // header was never synced, so no record was ever written to it.
    while (!ids.isEmpty()) {
      long id = ids.get(ids.size() - 1);
      String n = name(id);
      boolean torn;
      try (ReadableFile in = storage.openRead(n)) {
        long size = in.size();
        torn = size <= HEADER_LENGTH && !headerChecksOut(in);
      }
      if (!torn) {
        break;
      }
      if (storage.readOnly()) {
        ids.remove(ids.size() - 1); // holds no record: left for the next read-write open
        continue;
      }
      LOG.log(System.Logger.Level.WARNING, "{0}: deleting a value log file whose header was"
          + " never completed (crash while it was created)", n);
      storage.delete(n);
      storage.syncDirectory();
      ids.remove(ids.size() - 1);
    }
    for (int i = 0; i < ids.size(); i++) {
      long id = ids.get(i);
      String n = name(id);
      ReadableFile in = storage.openRead(n);
      try {
        FileHeader.read(in, VlogRecords.MAGIC, VlogRecords.FORMAT, 1, VlogRecords.VERSION)
            .checkIdentity(n, dbId, id);
        files.put(id, new VlogFile(id, n, in, in.size()));
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    }
    if (ids.isEmpty()) {
      if (!storage.readOnly()) {
        create(1);
      }
    } else {
      recoverNewest(files.lastEntry().getValue());
    }
  }

  private static boolean headerChecksOut(ReadableFile in) throws IOException {
    try {
      FileHeader.read(in, VlogRecords.MAGIC, VlogRecords.FORMAT, 1, VlogRecords.VERSION);
      return true;
    } catch (CorruptionException e) {
      return false;
    }
  }

  /**
   * Scans the newest file, cuts a torn tail and makes it the file being written. A record that is
   * incomplete or fails its checks ends the valid part; if a valid sync mark after it records an
   * offset beyond it, the record had been synced and the damage is reported; otherwise the bytes
   * from it on were never synced and are cut.
   */
  private void recoverNewest(VlogFile f) throws IOException {
    long size = f.end;
    Walk found = walk(f.in, size);
    long pos = found.validEnd;
    if (pos < size) {
      if (found.syncedBeyond > pos) {
        throw new CorruptionException(f.name, pos, found.problem + "; a later sync mark shows"
            + " the file was synced up to offset " + found.syncedBeyond);
      }
      LOG.log(System.Logger.Level.WARNING, "{0}: torn tail at offset {1} ({2}); dropping {3}"
          + " bytes that were never synced", f.name, pos, found.problem, size - pos);
    }
    if (storage.readOnly()) {
      f.end = pos; // reads stop before a torn tail; the file is left as it is
      active = f;
      return;
    }
    WritableFile w = storage.openForAppend(f.name);
    try {
      if (w.size() != pos) {
        w.truncate(pos);
      }
      // Bytes that survived a process crash may still sit in the page cache only: sync them
      // before any sync mark claims they are durable.
      w.sync();
    } catch (IOException | RuntimeException e) {
      w.close();
      throw e;
    }
    f.end = pos;
    out = w;
    written = pos;
    syncedUpTo = pos;
    fileStartTotal = totalWritten;
    fileStartOffset = pos;
    markedUpTo = found.lastMark;
    activeEntries = found.values;
    active = f;
  }

  /**
   * What a pass over a file's records found.
   *
   * @param validEnd where the first bad record starts, or the end of the file
   * @param values the value records before it
   * @param records every record before it, sync marks included
   * @param lastMark the highest offset a sync mark before it records (at least the header's end)
   * @param problem why the record at {@code validEnd} is bad, {@code null} if none is
   * @param syncedBeyond the highest offset a valid sync mark after the bad record records, -1 if
   *     none (or no bad record): beyond the bad record means it had been synced, so it is damage
   */
  private record Walk(long validEnd, int values, long records, long lastMark, String problem,
      long syncedBeyond) {}

  /**
   * Checks the records of a file from the end of its header to {@code size}, stopping at the
   * first one that is incomplete, fails its checks or is a malformed sync mark. The one record
   * walk of the format: the open-time recovery of the newest file and {@link #verifyFile} use it.
   */
  private static Walk walk(ReadableFile in, long size) throws IOException {
    RecordReader r = new RecordReader(in, size);
    long pos = HEADER_LENGTH;
    long lastMark = HEADER_LENGTH;
    int values = 0;
    long records = 0;
    String problem = null;
    while (pos < size) {
      int n = r.next(pos);
      if (n < 0) {
        problem = r.header.problem;
        break;
      }
      if (r.header.kind == VlogRecords.KIND_SYNC_MARK) {
        if (!r.header.isSyncMark() || r.header.version > pos) {
          problem = "malformed sync mark";
          break;
        }
        lastMark = Math.max(lastMark, r.header.version);
      } else {
        values++;
      }
      records++;
      pos += n;
    }
    long synced = pos < size ? r.syncMarkBeyond(pos + 1) : -1;
    return new Walk(pos, values, records, lastMark, problem, synced);
  }

  /**
   * Checks one file without opening the log (see {@link
   * dev.sett.kv.spi.ValueLogFormat#verifyFile}): header, identity, every record.
   */
  static long verifyFile(Storage storage, byte[] dbId, String name, boolean newest)
      throws IOException {
    long id = idOf(name);
    if (id < 0) {
      throw new IllegalArgumentException(name + " is not a value log file name");
    }
    try (ReadableFile in = storage.openRead(name)) {
      FileHeader.read(in, VlogRecords.MAGIC, VlogRecords.FORMAT, 1, VlogRecords.VERSION)
          .checkIdentity(name, dbId, id);
      long size = in.size();
      Walk w = walk(in, size);
      if (w.validEnd < size) {
        String why = !newest ? " in a sealed file"
            : w.syncedBeyond > w.validEnd ? "; a later sync mark shows the file was synced up to"
                + " offset " + w.syncedBeyond
            : "; no later sync mark covers it, so it is a torn tail of the newest file that the"
                + " next open cuts (" + (size - w.validEnd) + " bytes)";
        throw new CorruptionException(name, w.validEnd, w.problem + why);
      }
      return w.records;
    }
  }

  /** Creates file {@code id}: header written and synced, name synced, before any record. */
  private void create(long id) throws IOException {
    String n = name(id);
    WritableFile w = storage.create(n);
    ReadableFile in = null;
    try {
      byte[] h = new FileHeader(VlogRecords.MAGIC, VlogRecords.FORMAT, VlogRecords.VERSION, dbId,
          id).encode();
      w.write(h, 0, h.length);
      w.sync();
      storage.syncDirectory();
      in = storage.openRead(n);
      VlogFile f = new VlogFile(id, n, in, h.length);
      files.put(id, f);
      out = w;
      written = h.length;
      syncedUpTo = h.length;
      fileStartTotal = totalWritten;
      fileStartOffset = h.length;
      markedUpTo = h.length;
      activeEntries = 0;
      active = f;
    } catch (IOException | RuntimeException e) {
      w.close();
      if (in != null) {
        in.close();
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writer

  private void checkWritable() {
    if (closed) {
      throw new IllegalStateException("value log is closed");
    }
    if (failure != null) {
      throw new IllegalStateException("value log refuses writes after an earlier failure: "
          + failure, failure);
    }
  }

  @Override
  public ValuePointer add(byte[] key, long version, byte meta, byte userMeta, long expiresAt,
      byte[] value) {
    checkWritable();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (key.length > Options.MAX_KEY_SIZE) {
      throw new IllegalArgumentException("key of " + key.length + " bytes exceeds "
          + Options.MAX_KEY_SIZE);
    }
    if (expiresAt < 0) {
      throw new IllegalArgumentException("expiresAt is negative: " + expiresAt);
    }
    long max = VlogRecords.maxLength(key.length, value.length);
    if (groupEntries == 0) {
      startGroup(max);
    }
    long offset = groupStart + len;
    if (len + max > MAX_GROUP || offset + max > VlogRecords.MAX_OFFSET) {
      throw new IllegalArgumentException("a record of " + max + " bytes does not fit the group"
          + " (" + len + " bytes from offset " + groupStart + "); flush first");
    }
    if (len + max > buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.min(MAX_GROUP, Math.max(len + max, 2L * buf.length)));
    }
    int end = VlogRecords.encode(buf, len, crc, VlogRecords.KIND_VALUE, meta, userMeta,
        expiresAt, version, key, value);
    ValuePointer p = new ValuePointer(groupFileId, offset, end - len, value.length);
    len = end;
    groupEntries++;
    return p;
  }

  /** Places a new group: in the active file, or first in a new one if this record passes. */
  private void startGroup(long firstRecordMax) {
    len = 0;
    groupMark = -1;
    boolean markNeeded = syncedUpTo > markedUpTo;
    long after = written + (markNeeded ? VlogRecords.MARK_LENGTH : 0) + firstRecordMax;
    rotateBeforeGroup = activeEntries > 0
        && (after > maxFileSize || activeEntries >= maxEntries);
    if (rotateBeforeGroup) {
      groupFileId = active.id + 1;
      groupStart = HEADER_LENGTH;
    } else {
      groupFileId = active.id;
      groupStart = written;
      if (markNeeded) {
        // First record after a sync: tell recovery that everything before syncedUpTo was durable.
        len = VlogRecords.encodeSyncMark(buf, 0, crc, syncedUpTo);
        groupMark = syncedUpTo;
      }
    }
  }

  @Override
  public void sealActiveFile() throws IOException {
    checkWritable();
    if (groupEntries > 0) {
      throw new IllegalStateException("a group is pending: flush it first");
    }
    if (activeEntries > 0) {
      try {
        rotate();
      } catch (IOException | RuntimeException e) {
        failure = e;
        throw e;
      }
    }
  }

  @Override
  public int pendingEntries() {
    return groupEntries;
  }

  @Override
  public void flush(boolean sync) throws IOException {
    checkWritable();
    try {
      if (groupEntries > 0) {
        if (rotateBeforeGroup) {
          rotate();
        }
        int n = len;
        int entries = groupEntries;
        len = 0;
        groupEntries = 0;
        rotateBeforeGroup = false;
        out.write(buf, 0, n);
        written += n;
        totalWritten += n;
        activeEntries += entries;
        if (groupMark >= 0) {
          markedUpTo = groupMark;
        }
        active.end = written;
        if (buf.length > (4 << 20)) {
          buf = new byte[INITIAL_BUFFER]; // do not keep a huge buffer after one big group
        }
      } else {
        len = 0;
      }
      syncedUpTo = Math.max(syncedUpTo, syncBehind.checkedDurableUpTo(out));
      if (sync && syncedUpTo < written) {
        out.sync();
        syncedUpTo = written;
        totalDurable = totalWritten;
      } else if (!sync) {
        syncBehind.wrote(out, written);
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
      throw e;
    }
  }

  /** Seals the active file (fully synced) and creates the next. */
  private void rotate() throws IOException {
    syncedUpTo = Math.max(syncedUpTo, syncBehind.durableUpTo(out));
    if (syncedUpTo < written) {
      out.sync();
      syncedUpTo = written;
    }
    totalDurable = totalWritten;
    WritableFile old = out;
    out = null;
    syncBehind.detach(old); // a background sync of the file ends before it closes
    old.close();
    create(active.id + 1);
  }

  @Override
  public long writtenBytes() {
    return totalWritten;
  }

  @Override
  public long durableBytes() {
    // Earlier files were synced whole when the log moved on; in the active file, a background
    // sync may have gone further than the writer's last own sync.
    long d = syncBehind.durableUpTo(out);
    return d > fileStartOffset ? Math.max(totalDurable, fileStartTotal + d - fileStartOffset)
        : totalDurable;
  }

  @Override
  public void sync() throws IOException {
    checkWritable();
    try {
      syncedUpTo = Math.max(syncedUpTo, syncBehind.checkedDurableUpTo(out));
      if (syncedUpTo < written) {
        out.sync();
        syncedUpTo = written;
      }
      totalDurable = totalWritten;
    } catch (IOException | RuntimeException e) {
      failure = e;
      throw e;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Readers

  /** Takes a reference on a file in the log, or returns null if it is not (or no longer) there. */
  private VlogFile acquire(long id) {
    VlogFile f = files.get(id);
    return f != null && f.refs.tryRef() ? f : null;
  }

  private void release(VlogFile f) {
    if (f.refs.unref(f.name)) {
      destroy(f);
    }
  }

  /** Closes and deletes a file removed from the log, once its last reference is gone. */
  private void destroy(VlogFile f) {
    try {
      f.in.close();
      storage.delete(f.name);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "{0}: could not delete the removed value log file"
          + " ({1}); it is removed again at the next garbage collection", f.name, e.toString());
    }
  }

  @Override
  public byte[] read(ValuePointer p) throws IOException {
    Objects.requireNonNull(p, "pointer");
    VlogFile f = acquire(p.fileId());
    if (f == null) {
      throw new CorruptionException(name(p.fileId()), p.offset(),
          "value pointer into a value log file that does not exist (deleted or never written)");
    }
    try {
      long end = f.end;
      if (p.offset() < HEADER_LENGTH || p.end() > end) {
        throw new CorruptionException(f.name, p.offset(), "value pointer to a record of "
            + p.recordLength() + " bytes at offset " + p.offset() + " lies outside the records"
            + " of the file [" + HEADER_LENGTH + ", " + end + ")");
      }
      int n = p.recordLength();
      if (n < VlogRecords.MIN_RECORD) {
        throw new CorruptionException(f.name, p.offset(), "value pointer record length " + n
            + " is shorter than any record");
      }
      byte[] rec = new byte[n];
      try {
        f.in.readFully(p.offset(), rec, 0, n);
      } catch (EOFException e) {
        throw new CorruptionException(f.name, p.offset(), "file ends inside the record");
      }
      VlogRecords.Header h = new VlogRecords.Header();
      if (!h.decode(rec, 0, n)) {
        throw new CorruptionException(f.name, p.offset(), h.problem);
      }
      if (h.recordLength() != n) {
        throw new CorruptionException(f.name, p.offset(), "record of " + h.recordLength()
            + " bytes where the pointer expects " + n);
      }
      if (!h.checksumMatches(rec, 0)) {
        throw new CorruptionException(f.name, p.offset(), h.problem);
      }
      if (h.kind != VlogRecords.KIND_VALUE || h.valueLength != p.valueSize()) {
        throw new CorruptionException(f.name, p.offset(), "record (kind " + h.kind + ", value of "
            + h.valueLength + " bytes) does not match the pointer (value of " + p.valueSize()
            + " bytes)");
      }
      return Arrays.copyOfRange(rec, n - h.valueLength, n);
    } finally {
      release(f);
    }
  }

  @Override
  public List<Long> fileIds() {
    return List.copyOf(files.keySet());
  }

  @Override
  public long activeFileId() {
    return active.id;
  }

  @Override
  public long fileSize(long fileId) throws IOException {
    VlogFile f = files.get(fileId);
    if (f == null) {
      throw new NoSuchFileException(name(fileId));
    }
    return f.end;
  }

  @Override
  public String fileName(long fileId) {
    return name(fileId);
  }

  @Override
  public void scan(long fileId, RecordVisitor visitor) throws IOException {
    Objects.requireNonNull(visitor, "visitor");
    VlogFile f = acquire(fileId);
    if (f == null) {
      throw new NoSuchFileException(name(fileId));
    }
    try {
      long end = f.end;
      RecordReader r = new RecordReader(f.in, end);
      VlogRecords.Header h = r.header;
      long pos = HEADER_LENGTH;
      while (pos < end) {
        int n = r.next(pos);
        if (n < 0) {
          throw new CorruptionException(f.name, pos, h.problem);
        }
        if (h.kind == VlogRecords.KIND_VALUE) {
          byte[] b = r.buffer();
          int keyAt = r.recordIndex + h.headerLength;
          LogRecord rec = new LogRecord(Arrays.copyOfRange(b, keyAt, keyAt + h.keyLength),
              h.version, h.meta, h.userMeta, h.expiresAt,
              new ValuePointer(fileId, pos, n, h.valueLength));
          if (!visitor.visit(rec)) {
            return;
          }
        } else if (!h.isSyncMark()) {
          throw new CorruptionException(f.name, pos, "malformed sync mark");
        }
        pos += n;
      }
    } finally {
      release(f);
    }
  }

  @Override
  public void deleteFile(long fileId) throws IOException {
    VlogFile f = files.get(fileId);
    if (f == null) {
      throw new NoSuchFileException(name(fileId));
    }
    if (f == active) {
      throw new IllegalArgumentException(f.name + " is the value log file being written");
    }
    if (!files.remove(fileId, f)) {
      throw new NoSuchFileException(name(fileId));
    }
    if (f.refs.unref(f.name)) {
      destroy(f);
      storage.syncDirectory();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    IOException first = null;
    try {
      if (failure == null && out != null) {
        flush(true);
      }
    } catch (IOException e) {
      first = e;
    } catch (RuntimeException e) {
      first = new IOException(e);
    }
    closed = true;
    try {
      closeAll();
    } catch (IOException e) {
      if (first == null) {
        first = e;
      } else {
        first.addSuppressed(e);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void closeAll() throws IOException {
    IOException first = null;
    syncBehind.close(); // waits for a background sync in flight
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        first = e;
      }
      out = null;
    }
    for (VlogFile f : files.values()) {
      try {
        f.in.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    files.clear();
    if (first != null) {
      throw first;
    }
  }
}
