package dev.sett.kv.levels;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.UnsupportedFormatException;
import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.io.AtomicFiles;
import dev.sett.kv.io.FileHeader;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.Storage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Discard statistics (Badger's {@code discardStats}): per value log file, the bytes of records
 * that no entry of the tree points at any more, because a compaction dropped the entry that did
 * (overwritten, deleted, expired, or a version beyond {@code numVersionsToKeep}). Value log
 * garbage collection reads them to pick the file worth rewriting. Only compaction adds to them
 * ({@link CompactionJob} counts what it drops, {@link CompactionScheduler} adds the count once
 * the compaction is installed); garbage collection {@link #remove}s a file it deleted.
 *
 * <p>Persisted in the file {@value #FILE_NAME}: a {@link FileHeader} ({@value #FORMAT}) and a
 * checksummed body of (file id, bytes) pairs, rewritten as a whole by write-temp, fsync, rename,
 * fsync directory, so a crash leaves the old or the new file, never a mix. The numbers are a hint:
 * losing the latest additions only makes garbage collection find that garbage later (or by its
 * own scan), and counting too much only makes it rewrite a file with less garbage than expected;
 * neither ever loses data, because garbage collection checks every record against the tree
 * before dropping it. Hence a damaged file (torn, bad checksum, bad layout) is logged and the
 * statistics start from zero; only a file of another database ({@link CorruptionException}) or
 * of a newer format ({@link UnsupportedFormatException}) stops the open. Byte layout and rules:
 * {@code docs/formats/discard.md}.
 *
 * <p>Concurrency notes: the map is guarded by {@code this} (compactors add, garbage collection
 * removes, anyone reads; every call is short and does no I/O). {@link #persist()} is serialized
 * by {@code fileLock} and writes a snapshot taken under {@code this}, so readers and adders never
 * wait for the disk. {@code version} counts changes and {@code persistedVersion} is the version
 * the file holds; both are guarded by {@code this}, and {@code persistedVersion} only grows.
 */
public final class DiscardStats implements Closeable {
  private static final System.Logger LOG = System.getLogger(DiscardStats.class.getName());
  /** The file name. */
  public static final String FILE_NAME = "DISCARD";
  /** The name a new file is written under before it is renamed into place. */
  public static final String TEMP_NAME = "DISCARD-REWRITE";
  /** Magic of the file kind: ASCII "SETD". */
  public static final int MAGIC = 0x53455444;
  /** The format name recorded in the header. */
  public static final String FORMAT = "discard-v1";
  /** The format version this build writes. */
  public static final int VERSION_CURRENT = 1;
  private static final int ENTRY = 16;
  /** Entries accepted when reading: far above any real count, far below a garbage one. */
  private static final int MAX_ENTRIES = 1 << 24;

  /**
   * The garbage of one value log file.
   *
   * @param fileId the value log file's id
   * @param bytes bytes of its records that nothing points at any more (whole records: header,
   *     key and value)
   */
  public record FileGarbage(long fileId, long bytes) {}

  /** Most garbage first; equal garbage: the older file first. */
  private static final Comparator<FileGarbage> MOST_FIRST =
      Comparator.comparingLong(FileGarbage::bytes).reversed()
          .thenComparingLong(FileGarbage::fileId);

  private final Storage storage;
  private final FileHeader header;
  private final TreeMap<Long, Long> garbage; // guarded by this; values > 0
  private final Object fileLock = new Object();
  private long version; // guarded by this
  private long persistedVersion; // guarded by this
  private boolean closed; // guarded by fileLock

  private DiscardStats(Storage storage, FileHeader header, TreeMap<Long, Long> garbage,
      boolean persisted) {
    this.storage = storage;
    this.header = header;
    this.garbage = garbage;
    this.version = persisted ? 0 : 1;
  }

  /**
   * Reads {@value #FILE_NAME}, or starts empty if there is none or it is damaged (logged); deletes
   * a leftover {@value #TEMP_NAME} of an interrupted rewrite.
   *
   * @param storage the database directory
   * @param dbId the database's id (from the MANIFEST)
   * @return the statistics; {@link #close()} them to persist what is not yet
   * @throws CorruptionException if the file is intact but belongs to another database
   * @throws UnsupportedFormatException if a newer format wrote it
   * @throws IOException if the directory or the file cannot be read
   */
  public static DiscardStats open(Storage storage, byte[] dbId) throws IOException {
    FileHeader header = new FileHeader(MAGIC, FORMAT, VERSION_CURRENT, dbId, 0);
    if (!storage.readOnly()) {
      storage.delete(TEMP_NAME);
    }
    TreeMap<Long, Long> garbage = new TreeMap<>();
    boolean intact;
    try (ReadableFile in = storage.openRead(FILE_NAME)) {
      intact = read(in, dbId, garbage);
    } catch (NoSuchFileException e) {
      return new DiscardStats(storage, header, garbage, true);
    }
    if (!intact) {
      garbage.clear();
    }
    // A damaged file is rewritten at the next persist (version 1 != persisted 0).
    return new DiscardStats(storage, header, garbage, intact);
  }

  /**
   * Reads the file into {@code out}; returns {@code false} (logged) if it is damaged.
   *
   * @throws CorruptionException if it belongs to another database
   */
  private static boolean read(ReadableFile in, byte[] dbId, Map<Long, Long> out)
      throws IOException {
    FileHeader h;
    try {
      h = FileHeader.read(in, MAGIC, FORMAT, 1, VERSION_CURRENT);
    } catch (CorruptionException e) {
      return damaged(e.getMessage());
    }
    h.checkIdentity(FILE_NAME, dbId, 0); // an intact file of another database: refuse
    try {
      readBody(in, h, out);
      return true;
    } catch (CorruptionException e) {
      out.clear();
      return damaged(e.getMessage());
    }
  }

  /**
   * Checks {@value #FILE_NAME} as open reads it, changing nothing, and reports damage that open
   * would log and start over from (for a check of the whole database: the statistics are a hint,
   * but a damaged file is still damage).
   *
   * @param storage the database directory
   * @param dbId the database's id
   * @return the number of entries
   * @throws java.nio.file.NoSuchFileException if there is no such file (a database whose
   *     compactions never found garbage)
   * @throws CorruptionException naming the file and the offset of the damage
   * @throws UnsupportedFormatException if a newer format wrote it
   * @throws IOException if it cannot be read
   */
  public static long verify(Storage storage, byte[] dbId) throws IOException {
    try (ReadableFile in = storage.openRead(FILE_NAME)) {
      FileHeader h = FileHeader.read(in, MAGIC, FORMAT, 1, VERSION_CURRENT);
      h.checkIdentity(FILE_NAME, dbId, 0);
      Map<Long, Long> entries = new TreeMap<>();
      readBody(in, h, entries);
      return entries.size();
    }
  }

  /** Reads and checks the body after header {@code h} into {@code out}. */
  private static void readBody(ReadableFile in, FileHeader h, Map<Long, Long> out)
      throws IOException {
    long size = in.size();
    long bodyLength = size - h.length();
    if (bodyLength < 8) {
      throw new CorruptionException(FILE_NAME, h.length(), "body of " + bodyLength
          + " bytes is too short for a count and a checksum");
    }
    if (bodyLength > 8L + (long) MAX_ENTRIES * ENTRY) {
      throw new CorruptionException(FILE_NAME, h.length(), "body of " + bodyLength
          + " bytes is too large");
    }
    byte[] body = new byte[(int) bodyLength];
    in.readFully(h.length(), body, 0, body.length);
    CRC32C crc = new CRC32C();
    crc.update(body, 0, body.length - 4);
    int stored = BigEndian.getInt(body, body.length - 4);
    if (stored != (int) crc.getValue()) {
      // As for BANNED: the offset of the checksum, which covers the whole body.
      throw new CorruptionException(FILE_NAME, size - 4, "body checksum mismatch");
    }
    long count = BigEndian.getInt(body, 0) & 0xFFFF_FFFFL;
    if (count * ENTRY + 8 != bodyLength) {
      throw new CorruptionException(FILE_NAME, h.length(), "count " + count
          + " does not match a body of " + bodyLength + " bytes");
    }
    long previous = -1;
    for (int i = 0; i < count; i++) {
      int pos = 4 + i * ENTRY;
      long fileId = BigEndian.getLong(body, pos);
      long bytes = BigEndian.getLong(body, pos + 8);
      if (fileId <= previous || bytes <= 0) {
        throw new CorruptionException(FILE_NAME, h.length() + pos, "entry " + i + " (file "
            + fileId + ", " + bytes + " bytes) is out of order or not positive");
      }
      previous = fileId;
      out.put(fileId, bytes);
    }
  }

  private static boolean damaged(String why) {
    LOG.log(System.Logger.Level.WARNING, "{0} is damaged ({1}); value log discard statistics"
        + " start from zero (they are a hint for garbage collection: no data is lost)",
        FILE_NAME, why);
    return false;
  }

  // ------------------------------------------------------------------------------- changes

  /**
   * Adds garbage found by one installed compaction.
   *
   * @param bytesByFile value log file id to bytes now garbage; zero entries are ignored
   * @throws IllegalArgumentException if a count is negative (nothing is added then)
   */
  public synchronized void add(Map<Long, Long> bytesByFile) {
    for (long b : bytesByFile.values()) {
      if (b < 0) {
        throw new IllegalArgumentException("negative discard count " + b);
      }
    }
    boolean changed = false;
    for (Map.Entry<Long, Long> e : bytesByFile.entrySet()) {
      if (e.getValue() > 0) {
        garbage.merge(e.getKey(), e.getValue(), DiscardStats::saturatedAdd);
        changed = true;
      }
    }
    if (changed) {
      version++;
    }
  }

  private static Long saturatedAdd(Long a, Long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s;
  }

  /**
   * Raises a file's garbage to at least {@code bytes}: garbage collection moved every live value
   * out of it, so all of it is garbage, and a restart before its deletion picks it first.
   *
   * @param fileId the value log file's id
   * @param bytes the file's size
   */
  public synchronized void markGarbage(long fileId, long bytes) {
    if (bytes > garbage.getOrDefault(fileId, 0L)) {
      garbage.put(fileId, bytes);
      version++;
    }
  }

  /**
   * Forgets a file (garbage collection deleted it). Persisted by the next {@link #persist()}
   * (an entry for a file that no longer exists is dropped at the next open anyway).
   *
   * @param fileId the value log file's id
   */
  public synchronized void remove(long fileId) {
    if (garbage.remove(fileId) != null) {
      version++;
    }
  }

  /**
   * Forgets every file not in {@code existing}: at open, the value log files that are gone.
   *
   * @param existing the ids of the value log files that exist
   */
  public synchronized void retainFiles(Collection<Long> existing) {
    Set<Long> keep = new HashSet<>(existing);
    if (garbage.keySet().removeIf(id -> !keep.contains(id))) {
      version++;
    }
  }

  // ------------------------------------------------------------------------------- queries

  /**
   * The garbage bytes of one file.
   *
   * @param fileId the value log file's id
   * @return bytes, 0 if none is known
   */
  public synchronized long get(long fileId) {
    return garbage.getOrDefault(fileId, 0L);
  }

  /**
   * Every file with garbage, by id (for statistics: live bytes = file size - header - garbage).
   *
   * @return an immutable copy, ascending file id
   */
  public synchronized SortedMap<Long, Long> snapshot() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(garbage));
  }

  /**
   * The file with the most garbage (Badger's {@code MaxDiscard}).
   *
   * @return it, or empty if no file has garbage
   */
  public synchronized Optional<FileGarbage> maxGarbageFile() {
    FileGarbage best = null;
    for (Map.Entry<Long, Long> e : garbage.entrySet()) {
      if (best == null || e.getValue() > best.bytes()) {
        best = new FileGarbage(e.getKey(), e.getValue());
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Every file with garbage, most garbage first (equal garbage: older file first), so garbage
   * collection can pass over a file it may not rewrite (the active one) and try the next.
   *
   * @return a new list
   */
  public synchronized List<FileGarbage> byMostGarbage() {
    List<FileGarbage> all = new ArrayList<>(garbage.size());
    garbage.forEach((id, b) -> all.add(new FileGarbage(id, b)));
    all.sort(MOST_FIRST);
    return all;
  }

  /**
   * Whether there are changes that {@value #FILE_NAME} does not hold yet.
   *
   * @return {@code true} if {@link #persist()} would write
   */
  public synchronized boolean dirty() {
    return version != persistedVersion;
  }

  // ----------------------------------------------------------------------------- persisting

  /**
   * Rewrites {@value #FILE_NAME} if anything changed since it was last written: the whole
   * statistics under {@value #TEMP_NAME}, fsync, rename over {@value #FILE_NAME}, fsync the
   * directory. When it returns, the file holds at least every change made before the call.
   *
   * @throws IOException if a step fails; the old file (or, after the rename, the new one) is
   *     still in place and the changes stay pending for the next call
   * @throws IllegalStateException if closed
   */
  public void persist() throws IOException {
    if (storage.readOnly()) {
      return; // a read-only open keeps its counts in memory (they only grow by compactions)
    }
    synchronized (fileLock) {
      if (closed) {
        throw new IllegalStateException(FILE_NAME + " is closed");
      }
      long v;
      byte[] bytes;
      synchronized (this) {
        if (version == persistedVersion) {
          return;
        }
        v = version;
        bytes = encode(header, garbage);
      }
      AtomicFiles.replace(storage, FILE_NAME, TEMP_NAME, bytes);
      synchronized (this) {
        persistedVersion = Math.max(persistedVersion, v);
      }
    }
  }

  /**
   * {@link #persist()}, logging a failure instead of throwing it (the statistics are a hint; the
   * changes stay pending).
   *
   * @return {@code true} if the file is up to date
   */
  public boolean persistQuietly() {
    try {
      persist();
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot write " + FILE_NAME + "; the value log"
          + " discard statistics stay in memory and are written again later", e);
      return false;
    }
  }

  static byte[] encode(FileHeader header, SortedMap<Long, Long> garbage) {
    byte[] h = header.encode();
    byte[] out = new byte[h.length + 4 + garbage.size() * ENTRY + 4];
    System.arraycopy(h, 0, out, 0, h.length);
    int pos = h.length;
    BigEndian.putInt(out, pos, garbage.size());
    pos += 4;
    for (Map.Entry<Long, Long> e : garbage.entrySet()) {
      BigEndian.putLong(out, pos, e.getKey());
      BigEndian.putLong(out, pos + 8, e.getValue());
      pos += ENTRY;
    }
    CRC32C crc = new CRC32C();
    crc.update(out, h.length, pos - h.length);
    BigEndian.putInt(out, pos, (int) crc.getValue());
    return out;
  }

  /**
   * Persists pending changes (a failure is logged: see {@link #persistQuietly()}) and refuses
   * further writes of the file. Idempotent.
   */
  @Override
  public void close() {
    synchronized (fileLock) {
      if (closed) {
        return;
      }
      persistQuietly();
      closed = true;
    }
  }

  @Override
  public synchronized String toString() {
    return "DiscardStats" + garbage;
  }
}
