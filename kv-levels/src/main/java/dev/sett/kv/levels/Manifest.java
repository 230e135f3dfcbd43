package dev.sett.kv.levels;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.UnsupportedFormatException;
import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.internal.VarInts;
import dev.sett.kv.io.AtomicFiles;
import dev.sett.kv.io.FileHeader;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.Storage;
import dev.sett.kv.io.WritableFile;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The {@code MANIFEST} file: a {@link FileHeader} that fixes the database's random id, followed by
 * checksummed change records that say which table lives in which level and which WALs are fully
 * in tables. Replaying the records gives the {@link State}; a change set is applied all or
 * nothing.
 *
 * <p>Every append is fsynced before {@link #apply} returns, because callers act on it at once
 * (delete the inputs of a compaction, delete a flushed WAL). A record cut short at the end of the
 * file was never acknowledged (the crash came before its fsync) and is truncated at open with a
 * warning; a damaged record followed by a valid one is a {@link CorruptionException}. When
 * deletions dominate (more than {@code rewriteThreshold} and ten times the live tables, as
 * Badger), the file is rewritten: a new one is written under {@value #TEMP_NAME}, synced, renamed
 * into place and the directory synced. Byte layout: {@code docs/formats/manifest.md}.
 *
 * <p>Concurrency: {@link #apply} is synchronized (flusher and compactors call it); {@link #state()}
 * returns an immutable snapshot.
 */
public final class Manifest implements Closeable {
  private static final System.Logger LOG = System.getLogger(Manifest.class.getName());
  /** The file name. */
  public static final String FILE_NAME = "MANIFEST";
  /** The name a new MANIFEST is written under before it is published. */
  public static final String TEMP_NAME = "MANIFEST-REWRITE";
  /** Magic of the MANIFEST file kind: ASCII "SETM". */
  public static final int MAGIC = 0x5345544D;
  /** The format name recorded in the header. */
  public static final String FORMAT = "manifest-v1";
  /** The format version this build writes. */
  public static final int VERSION_CURRENT = 1;
  /** Deletions after which a rewrite is considered, as Badger. */
  public static final int DEFAULT_REWRITE_THRESHOLD = 10_000;

  static final int TAG_CREATE = 1;
  static final int TAG_DELETE = 2;
  static final int TAG_WAL_FLUSHED = 3;
  private static final int RECORD_HEADER = 8;
  /** Largest record accepted when reading: far above any real one, far below a garbage length. */
  private static final int MAX_RECORD = 64 << 20;

  /**
   * Where a table lives.
   *
   * @param level its level
   * @param format the name of the table format that wrote it
   */
  public record TableEntry(int level, String format) {}

  /**
   * One change.
   *
   * @param create {@code true} to add the table, {@code false} to remove it
   * @param tableId the table's file id
   * @param level the level it is created in (ignored for a deletion)
   * @param format the table format's name (ignored for a deletion)
   */
  public record Change(boolean create, long tableId, int level, String format) {

    /**
     * A creation.
     *
     * @param tableId the table
     * @param level its level
     * @param format its format
     * @return the change
     */
    public static Change create(long tableId, int level, String format) {
      return new Change(true, tableId, level, format);
    }

    /**
     * A deletion.
     *
     * @param tableId the table
     * @return the change
     */
    public static Change delete(long tableId) {
      return new Change(false, tableId, 0, null);
    }
  }

  /**
   * The replayed content.
   *
   * @param tables every live table by id
   * @param walFlushedThrough the highest WAL id whose entries are all in tables (0 for none)
   */
  public record State(Map<Long, TableEntry> tables, long walFlushedThrough) {

    /** Copies the map. */
    public State {
      tables = Collections.unmodifiableMap(new HashMap<>(tables));
    }
  }

  private final Storage storage;
  private final FileHeader header;
  private final int rewriteThreshold;
  private final Map<Long, TableEntry> tables;
  private long walFlushedThrough;
  private long deletions;
  private WritableFile out;
  private volatile State state;

  private Manifest(Storage storage, FileHeader header, int rewriteThreshold,
      Map<Long, TableEntry> tables, long walFlushedThrough, long deletions, WritableFile out) {
    this.storage = storage;
    this.header = header;
    this.rewriteThreshold = rewriteThreshold;
    this.tables = tables;
    this.walFlushedThrough = walFlushedThrough;
    this.deletions = deletions;
    this.out = out;
    this.state = new State(tables, walFlushedThrough);
  }

  /**
   * Whether {@code storage} holds a MANIFEST.
   *
   * @param storage the database directory
   * @return {@code true} if it exists
   * @throws IOException if the directory cannot be read
   */
  public static boolean exists(Storage storage) throws IOException {
    return storage.exists(FILE_NAME);
  }

  /**
   * Creates the MANIFEST of a new database with a fresh random id and publishes it durably.
   *
   * @param storage the database directory, without a MANIFEST
   * @return the manifest, open for appending; close it
   * @throws IOException if it cannot be written
   */
  public static Manifest create(Storage storage) throws IOException {
    byte[] dbId = new byte[FileHeader.DB_ID_LENGTH];
    new SecureRandom().nextBytes(dbId);
    FileHeader header = new FileHeader(MAGIC, FORMAT, VERSION_CURRENT, dbId, 0);
    publish(storage, header, Map.of(), 0);
    return new Manifest(storage, header, DEFAULT_REWRITE_THRESHOLD, new HashMap<>(), 0, 0,
        storage.openForAppend(FILE_NAME));
  }

  /**
   * Reads and replays an existing MANIFEST; removes a leftover temp file of an interrupted
   * rewrite and truncates a record torn by a crash.
   *
   * @param storage the database directory
   * @return the manifest, open for appending; close it
   * @throws CorruptionException if the header or a record fails its checks
   * @throws UnsupportedFormatException if it was written by a newer format
   * @throws IOException if it cannot be read
   */
  public static Manifest open(Storage storage) throws IOException {
    return open(storage, DEFAULT_REWRITE_THRESHOLD);
  }

  /**
   * As {@link #open(Storage)} with a rewrite threshold (tests use small ones).
   *
   * @param storage the database directory
   * @param rewriteThreshold deletions after which a rewrite is considered
   * @return the manifest
   * @throws IOException if it cannot be read
   */
  public static Manifest open(Storage storage, int rewriteThreshold) throws IOException {
    if (!storage.readOnly()) {
      storage.delete(TEMP_NAME); // a rewrite a crash interrupted: the old file is in place
    }
    Contents c = read(storage);
    Map<Long, TableEntry> tables = new HashMap<>(c.state().tables());
    if (storage.readOnly()) {
      // Read-only: a torn tail is left as it is (it was never acknowledged) and no change can
      // be applied (apply refuses: there is no file to append to).
      return new Manifest(storage, c.header(), rewriteThreshold, tables,
          c.state().walFlushedThrough(), c.deletions(), null);
    }
    WritableFile out = storage.openForAppend(FILE_NAME);
    try {
      if (c.tornTail()) {
        LOG.log(System.Logger.Level.WARNING, "MANIFEST: dropping {0} bytes of a record cut short"
            + " by a crash at offset {1}", c.size() - c.validEnd(), c.validEnd());
        out.truncate(c.validEnd());
        out.sync();
      }
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
    return new Manifest(storage, c.header(), rewriteThreshold, tables,
        c.state().walFlushedThrough(), c.deletions(), out);
  }

  /**
   * What reading the file found.
   *
   * @param header the file header (the database id)
   * @param state the tables and flushed WAL id after replaying every valid record
   * @param records the valid records replayed
   * @param deletions the table deletions among them
   * @param validEnd where the valid records end
   * @param size the file's length
   */
  public record Contents(FileHeader header, State state, long records, long deletions,
      long validEnd, long size) {

    /**
     * Whether the last record is cut short or fails its checksum with no valid record after it:
     * a torn append that {@link Manifest#open} drops.
     *
     * @return {@code true} if bytes follow the last valid record
     */
    public boolean tornTail() {
      return validEnd < size;
    }
  }

  /**
   * Reads and replays the file, changing nothing (no torn tail is cut, no temp file deleted).
   *
   * @param storage the database directory
   * @return what the file holds
   * @throws CorruptionException if the header fails its checks or a damaged record is followed
   *     by a valid one
   * @throws UnsupportedFormatException if it was written by a newer format
   * @throws IOException if it cannot be read
   */
  public static Contents read(Storage storage) throws IOException {
    Map<Long, TableEntry> tables = new HashMap<>();
    long[] walFlushed = {0};
    long deletions = 0;
    long records = 0;
    try (ReadableFile in = storage.openRead(FILE_NAME)) {
      FileHeader header = FileHeader.read(in, MAGIC, FORMAT, 1, VERSION_CURRENT);
      long size = in.size();
      if (size - header.length() > Integer.MAX_VALUE - 16) {
        throw new CorruptionException(FILE_NAME, 0, "file of " + size + " bytes is too large");
      }
      byte[] body = new byte[(int) (size - header.length())];
      in.readFully(header.length(), body, 0, body.length);
      int pos = 0;
      while (pos < body.length) {
        int len = recordLength(body, pos);
        if (len < 0) {
          // Damaged or cut short. Only the last record can be torn (each append is synced
          // before the next): if a valid record follows, this is corruption, else a torn tail.
          if (validRecordAfter(body, pos + 1)) {
            throw new CorruptionException(FILE_NAME, header.length() + (long) pos,
                "damaged record (bad length or checksum) followed by valid ones");
          }
          break;
        }
        byte[] payload = java.util.Arrays.copyOfRange(body, pos + RECORD_HEADER,
            pos + RECORD_HEADER + len);
        deletions += replay(payload, header.length() + (long) pos, tables, walFlushed);
        records++;
        pos += RECORD_HEADER + len;
      }
      return new Contents(header, new State(tables, walFlushed[0]), records, deletions,
          header.length() + (long) pos, size);
    }
  }

  /**
   * Reads only the header (for a check that found a damaged record but still needs the database
   * id).
   *
   * @param storage the database directory
   * @return the header
   * @throws CorruptionException if it fails its checks
   * @throws IOException if it cannot be read
   */
  public static FileHeader readHeader(Storage storage) throws IOException {
    try (ReadableFile in = storage.openRead(FILE_NAME)) {
      return FileHeader.read(in, MAGIC, FORMAT, 1, VERSION_CURRENT);
    }
  }

  /**
   * Reads this open MANIFEST's file again, as {@link #read} does, while no change is appended
   * (for a check of an open database: an append in progress would look like a torn tail).
   *
   * @return what the file holds
   * @throws IOException if it cannot be read
   */
  public synchronized Contents reread() throws IOException {
    return read(storage);
  }

  /**
   * The payload length of the record at {@code pos} if it is complete and its checksum (over the
   * length and the payload) matches, else -1.
   */
  private static int recordLength(byte[] body, int pos) {
    if (body.length - pos < RECORD_HEADER) {
      return -1;
    }
    int len = BigEndian.getInt(body, pos);
    if (len < 0 || len > MAX_RECORD || len > body.length - pos - RECORD_HEADER) {
      return -1;
    }
    CRC32C c = new CRC32C();
    c.update(body, pos, 4);
    c.update(body, pos + RECORD_HEADER, len);
    return (int) c.getValue() == BigEndian.getInt(body, pos + 4) ? len : -1;
  }

  /** Whether a valid record starts anywhere at or after {@code from}. */
  private static boolean validRecordAfter(byte[] body, int from) {
    for (int p = from; p <= body.length - RECORD_HEADER; p++) {
      if (recordLength(body, p) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Applies one record's payload; returns the number of deletions in it. */
  private static long replay(byte[] p, long recordPos, Map<Long, TableEntry> tables,
      long[] walFlushed) {
    long[] v = new long[2];
    int pos = 0;
    Map<Long, TableEntry> staged = new HashMap<>(tables);
    long deletions = 0;
    long wal = walFlushed[0];
    try {
      while (pos < p.length) {
        int tag = p[pos++] & 0xFF;
        switch (tag) {
          case TAG_CREATE -> {
            pos = uvarint(p, pos, v, recordPos);
            long id = v[0];
            pos = uvarint(p, pos, v, recordPos);
            int level = (int) v[0];
            int nameLen = p[pos++] & 0xFF;
            if (nameLen == 0 || pos + nameLen > p.length) {
              throw new CorruptionException(FILE_NAME, recordPos, "bad format name length");
            }
            String format = new String(p, pos, nameLen, StandardCharsets.US_ASCII);
            pos += nameLen;
            if (staged.putIfAbsent(id, new TableEntry(level, format)) != null) {
              throw new CorruptionException(FILE_NAME, recordPos,
                  "creates table " + id + ", which already exists");
            }
          }
          case TAG_DELETE -> {
            pos = uvarint(p, pos, v, recordPos);
            if (staged.remove(v[0]) == null) {
              LOG.log(System.Logger.Level.WARNING, "MANIFEST record at offset {0} deletes"
                  + " table {1}, which it does not list", recordPos, v[0]);
            }
            deletions++;
          }
          case TAG_WAL_FLUSHED -> {
            pos = uvarint(p, pos, v, recordPos);
            wal = Math.max(wal, v[0]);
          }
          default -> throw new UnsupportedFormatException(FILE_NAME, "record at offset "
              + recordPos + " has change tag " + tag + ", which this build does not know");
        }
      }
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw new CorruptionException(FILE_NAME, recordPos, "malformed record: " + e.getMessage());
    }
    tables.clear();
    tables.putAll(staged);
    walFlushed[0] = wal;
    return deletions;
  }

  private static int uvarint(byte[] p, int pos, long[] v, long recordPos) {
    int next = VarInts.get(p, pos, p.length, v);
    if (next < 0 || v[0] < 0) {
      throw new CorruptionException(FILE_NAME, recordPos, "malformed varint at " + pos);
    }
    return next;
  }

  /**
   * Appends a change set, fsyncs it and updates the state; rewrites the file when deletions
   * dominate.
   *
   * @param changes the changes, applied together
   * @param walFlushedThrough the highest WAL id now fully in tables, or 0 for no change
   * @throws IOException if the record cannot be written or synced. The in-memory state is then
   *     unchanged but the record may or may not be on disk: the caller must keep every file the
   *     change refers to (the next open sorts it out) and this manifest refuses further changes
   * @throws IllegalArgumentException if a change contradicts the state
   */
  public synchronized void apply(List<Change> changes, long walFlushedThrough)
      throws IOException {
    if (out == null) {
      throw new IllegalStateException("the MANIFEST is closed, read-only, or failed on an"
          + " earlier write");
    }
    Map<Long, TableEntry> staged = new HashMap<>(tables);
    int deleted = 0;
    for (Change c : changes) {
      if (c.create()) {
        if (staged.putIfAbsent(c.tableId(), new TableEntry(c.level(), c.format())) != null) {
          throw new IllegalArgumentException("table " + c.tableId() + " already exists");
        }
      } else {
        if (staged.remove(c.tableId()) == null) {
          throw new IllegalArgumentException("table " + c.tableId() + " does not exist");
        }
        deleted++;
      }
    }
    byte[] payload = encode(changes, walFlushedThrough);
    byte[] record = frame(payload);
    try {
      out.write(record, 0, record.length);
      out.sync();
    } catch (IOException | RuntimeException e) {
      // What reached the file is unknown: appending after it could bury a torn record mid-file.
      // Refuse further changes; the next open truncates the torn tail.
      WritableFile dead = out;
      out = null;
      try {
        dead.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    tables.clear();
    tables.putAll(staged);
    this.walFlushedThrough = Math.max(this.walFlushedThrough, walFlushedThrough);
    deletions += deleted;
    state = new State(tables, this.walFlushedThrough);
    if (deletions > rewriteThreshold && deletions > 10L * tables.size()) {
      rewrite();
    }
  }

  /**
   * Rewrites the file without the deletions. The change that triggered it is already durable,
   * so a failure here is logged, not thrown: the old file (or the new one, if the rename went
   * through) holds the whole state, and appending resumes on whichever is in place.
   */
  private void rewrite() {
    try {
      out.close();
      out = null;
      publish(storage, header, tables, walFlushedThrough);
      LOG.log(System.Logger.Level.DEBUG, "MANIFEST rewritten: {0} tables, {1} deletions"
          + " dropped", tables.size(), deletions);
      deletions = 0;
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot rewrite the MANIFEST; appending to it as it"
          + " is", e);
    }
    try {
      out = storage.openForAppend(FILE_NAME);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "cannot reopen the MANIFEST for appending; no further"
          + " table changes can be recorded", e);
    }
  }

  /**
   * Whether changes can still be appended (not closed, no failed append or reopen).
   *
   * @return {@code true} while {@link #apply} may succeed
   */
  public synchronized boolean isWritable() {
    return out != null;
  }

  /** Writes a MANIFEST holding {@code tables} under the temp name, then publishes it. */
  private static void publish(Storage storage, FileHeader header, Map<Long, TableEntry> tables,
      long walFlushedThrough) throws IOException {
    byte[] bytes = header.encode();
    if (!tables.isEmpty() || walFlushedThrough > 0) {
      List<Change> all = tables.entrySet().stream()
          .map(e -> Change.create(e.getKey(), e.getValue().level(), e.getValue().format()))
          .toList();
      byte[] record = frame(encode(all, walFlushedThrough));
      byte[] both = Arrays.copyOf(bytes, bytes.length + record.length);
      System.arraycopy(record, 0, both, bytes.length, record.length);
      bytes = both;
    }
    AtomicFiles.replace(storage, FILE_NAME, TEMP_NAME, bytes);
  }

  static byte[] encode(List<Change> changes, long walFlushedThrough) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] tmp = new byte[10];
    for (Change c : changes) {
      b.write(c.create() ? TAG_CREATE : TAG_DELETE);
      b.write(tmp, 0, VarInts.put(tmp, 0, c.tableId()));
      if (c.create()) {
        b.write(tmp, 0, VarInts.put(tmp, 0, c.level()));
        byte[] name = c.format().getBytes(StandardCharsets.US_ASCII);
        b.write(name.length);
        b.write(name, 0, name.length);
      }
    }
    if (walFlushedThrough > 0) {
      b.write(TAG_WAL_FLUSHED);
      b.write(tmp, 0, VarInts.put(tmp, 0, walFlushedThrough));
    }
    return b.toByteArray();
  }

  private static byte[] frame(byte[] payload) {
    byte[] r = new byte[RECORD_HEADER + payload.length];
    BigEndian.putInt(r, 0, payload.length);
    System.arraycopy(payload, 0, r, RECORD_HEADER, payload.length);
    CRC32C c = new CRC32C();
    c.update(r, 0, 4);
    c.update(payload, 0, payload.length);
    BigEndian.putInt(r, 4, (int) c.getValue());
    return r;
  }

  /**
   * The database's random id, recorded in the header of every file it writes.
   *
   * @return a copy of the 16-byte id
   */
  public byte[] dbId() {
    return header.dbId();
  }

  /**
   * The replayed state.
   *
   * @return an immutable snapshot
   */
  public State state() {
    return state;
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }

  @Override
  public String toString() {
    return "Manifest[" + header + ", " + tables.size() + " tables]";
  }
}
