package dev.sett.kv.core;

import dev.sett.kv.BannedNamespaceException;
import dev.sett.kv.CorruptionException;
import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.io.AtomicFiles;
import dev.sett.kv.io.FileHeader;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.Storage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Banned namespaces ({@link dev.sett.kv.Db#banNamespace}, Badger's {@code BanNamespace}): the 8
 * bytes of a key at {@code namespaceOffset}, read as a big-endian number, name its namespace, and
 * keys of a banned namespace can be neither read nor written. Keys shorter than {@code
 * namespaceOffset + 8} belong to no namespace.
 *
 * <p>Persisted in the file {@value #FILE_NAME}: a {@link FileHeader} ({@value #FORMAT}), then a
 * body of a count, the namespaces in ascending order (8 bytes each) and a CRC32C of the body,
 * replaced as a whole ({@link AtomicFiles}). A ban is written before it takes effect, so it
 * survives a crash once {@code banNamespace} returned. A damaged file stops the open with a
 * {@link CorruptionException} (a ban must not silently vanish). Byte layout: {@code
 * docs/formats/banned.md}.
 *
 * <p>Concurrency notes: readers (every get, write and iterator step of a database with a
 * namespace offset) read the volatile sorted array without locking; {@link #ban} runs under this
 * object's monitor, writes the file, then publishes a new array.
 */
final class BannedNamespaces {
  static final String FILE_NAME = "BANNED";
  static final String TEMP_NAME = "BANNED-REWRITE";
  /** Magic of the file kind: ASCII "SETB". */
  static final int MAGIC = 0x53455442;
  static final String FORMAT = "banned-v1";
  static final int VERSION = 1;

  private final Storage storage;
  private final FileHeader header;
  private final int offset;
  private volatile long[] banned; // ascending

  private BannedNamespaces(Storage storage, FileHeader header, int offset, long[] banned) {
    this.storage = storage;
    this.header = header;
    this.offset = offset;
    this.banned = banned;
  }

  /**
   * Reads the bans of a database.
   *
   * @param offset {@link dev.sett.kv.Options#namespaceOffset()}, -1 for none
   * @throws CorruptionException if the file is damaged or belongs to another database
   */
  static BannedNamespaces open(Storage storage, byte[] dbId, int offset) throws IOException {
    FileHeader header = new FileHeader(MAGIC, FORMAT, VERSION, dbId, 0);
    if (!storage.readOnly()) {
      storage.delete(TEMP_NAME); // a rewrite a crash interrupted: the old file is in place
    }
    long[] banned;
    try (ReadableFile in = storage.openRead(FILE_NAME)) {
      banned = read(in, dbId);
    } catch (NoSuchFileException e) {
      banned = new long[0];
    }
    return new BannedNamespaces(storage, header, offset, banned);
  }

  /**
   * Checks {@value #FILE_NAME} as open reads it, changing nothing.
   *
   * @return the number of banned namespaces
   * @throws java.nio.file.NoSuchFileException if nothing was ever banned
   * @throws CorruptionException if the file is damaged or belongs to another database
   */
  static long verify(Storage storage, byte[] dbId) throws IOException {
    try (ReadableFile in = storage.openRead(FILE_NAME)) {
      return read(in, dbId).length;
    }
  }

  private static long[] read(ReadableFile in, byte[] dbId) throws IOException {
    FileHeader h = FileHeader.read(in, MAGIC, FORMAT, VERSION, VERSION);
    h.checkIdentity(FILE_NAME, dbId, 0);
    long size = in.size();
    long bodyLength = size - h.length();
    if (bodyLength < 8 || (bodyLength - 8) % 8 != 0 || bodyLength > (8L << 20)) {
      throw new CorruptionException(FILE_NAME, h.length(), "body of " + bodyLength
          + " bytes is not a count, 8-byte namespaces and a checksum");
    }
    byte[] body = new byte[(int) bodyLength];
    in.readFully(h.length(), body, 0, body.length);
    CRC32C crc = new CRC32C();
    crc.update(body, 0, body.length - 4);
    if (BigEndian.getInt(body, body.length - 4) != (int) crc.getValue()) {
      throw new CorruptionException(FILE_NAME, size - 4, "body checksum mismatch");
    }
    int count = BigEndian.getInt(body, 0);
    if (count < 0 || 8L * count + 8 != bodyLength) {
      throw new CorruptionException(FILE_NAME, h.length(), "count " + count
          + " does not match a body of " + bodyLength + " bytes");
    }
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = BigEndian.getLong(body, 4 + 8 * i);
      if (i > 0 && Long.compareUnsigned(out[i], out[i - 1]) <= 0) {
        throw new CorruptionException(FILE_NAME, h.length() + 4 + 8L * i, "namespace " + i
            + " is out of order");
      }
    }
    return out;
  }

  /** Whether a namespace offset is set (otherwise nothing is ever banned). */
  boolean enabled() {
    return offset >= 0;
  }

  /** Bans {@code ns}: written to the file first. Idempotent. */
  synchronized void ban(long ns) throws IOException {
    long[] now = banned;
    if (indexOf(now, ns) >= 0) {
      return;
    }
    long[] next = Arrays.copyOf(now, now.length + 1);
    next[now.length] = ns;
    sortUnsigned(next);
    AtomicFiles.replace(storage, FILE_NAME, TEMP_NAME, encode(next));
    banned = next;
  }

  /** Whether {@code key} lies in a banned namespace. */
  boolean isBanned(byte[] key) {
    long[] b = banned;
    return b.length > 0 && key.length >= offset + 8 && offset >= 0
        && indexOf(b, BigEndian.getLong(key, offset)) >= 0;
  }

  /** Throws if {@code key} lies in a banned namespace. */
  void check(byte[] key) {
    if (isBanned(key)) {
      throw new BannedNamespaceException("key " + Keys.describe(key) + " is in banned namespace "
          + Long.toUnsignedString(BigEndian.getLong(key, offset)) + " (the 8 bytes at offset "
          + offset + ")");
    }
  }

  /** The banned namespaces, ascending as unsigned numbers. */
  long[] list() {
    return banned.clone();
  }

  private byte[] encode(long[] namespaces) {
    byte[] h = header.encode();
    byte[] out = new byte[h.length + 4 + 8 * namespaces.length + 4];
    System.arraycopy(h, 0, out, 0, h.length);
    int pos = h.length;
    BigEndian.putInt(out, pos, namespaces.length);
    pos += 4;
    for (long ns : namespaces) {
      BigEndian.putLong(out, pos, ns);
      pos += 8;
    }
    CRC32C crc = new CRC32C();
    crc.update(out, h.length, pos - h.length);
    BigEndian.putInt(out, pos, (int) crc.getValue());
    return out;
  }

  private static int indexOf(long[] sorted, long ns) {
    int a = 0;
    int b = sorted.length - 1;
    while (a <= b) {
      int mid = (a + b) >>> 1;
      int c = Long.compareUnsigned(sorted[mid], ns);
      if (c < 0) {
        a = mid + 1;
      } else if (c > 0) {
        b = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  private static void sortUnsigned(long[] a) {
    for (int i = 0; i < a.length; i++) {
      a[i] ^= Long.MIN_VALUE; // unsigned order as signed order
    }
    Arrays.sort(a);
    for (int i = 0; i < a.length; i++) {
      a[i] ^= Long.MIN_VALUE;
    }
  }
}
