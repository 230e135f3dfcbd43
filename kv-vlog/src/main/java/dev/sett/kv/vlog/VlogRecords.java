package dev.sett.kv.vlog;

import dev.sett.kv.Options;
import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.internal.EntryBody;
import dev.sett.kv.internal.VarInts;
import java.util.zip.CRC32C;

/**
 * The record codec of {@code vlog-v1}, shared by the writer, the reader and the open-time scan.
 * Byte layout (fixed-width integers big-endian; see {@code docs/formats/vlog.md}):
 *
 * <pre>
 * File    := FileHeader(magic "SETV", format "vlog-v1", version 1) Record*
 * Record  := Crc(int32, CRC32C of every following byte of the record)
 *            Kind(1) Meta(1) UserMeta(1) KeyLen(uvarint) ValueLen(uvarint) ExpiresAt(uvarint)
 *            Version(int64) Key Value
 * </pre>
 *
 * Kind {@link #KIND_VALUE} holds a value; kind {@link #KIND_SYNC_MARK} (meta, user meta, lengths
 * and expiry all zero) records in its version field an offset up to which the file had been
 * fsynced before the mark was written. Not thread-safe: each user keeps its own {@link Header}.
 */
final class VlogRecords {
  /** Magic of the value log file kind: ASCII "SETV". */
  static final int MAGIC = 0x53455456;
  /** The format name recorded in the header. */
  static final String FORMAT = "vlog-v1";
  /** The format version this build writes and reads. */
  static final int VERSION = 1;
  /** Kind of a record holding a value. */
  static final byte KIND_VALUE = 0x01;
  /** Kind of a sync mark. */
  static final byte KIND_SYNC_MARK = 0x02;
  /** Largest encoded header: crc 4, kind/meta/userMeta 3, key length 3, value length 5, expiry 10, version 8. */
  static final int MAX_HEADER = 4 + 3 + 3 + 5 + 10 + 8;
  /** Length of the shortest record: empty key and value, zero expiry; every sync mark. */
  static final int MIN_RECORD = 4 + 3 + 1 + 1 + 1 + 8;
  /** Length of a sync mark. */
  static final int MARK_LENGTH = MIN_RECORD;
  /** Largest offset a pointer can hold; records must end at or before it. */
  static final long MAX_OFFSET = 0xFFFF_FFFFL;

  private VlogRecords() {}

  /** Upper bound of the encoded length of a record, as a long (it may not fit an int). */
  static long maxLength(int keyLength, int valueLength) {
    return (long) MAX_HEADER + keyLength + valueLength;
  }

  /**
   * Encodes one record into {@code buf} at {@code pos}, which must have {@link #maxLength} bytes
   * free.
   *
   * @return the position after the record
   */
  static int encode(byte[] buf, int pos, CRC32C crc, byte kind, byte meta, byte userMeta,
      long expiresAt, long version, byte[] key, byte[] value) {
    int start = pos;
    pos += 4;
    buf[pos++] = kind;
    pos = EntryBody.put(buf, pos, meta, userMeta, expiresAt, version, key, value);
    crc.reset();
    crc.update(buf, start + 4, pos - start - 4);
    BigEndian.putInt(buf, start, (int) crc.getValue());
    return pos;
  }

  /** Encodes a sync mark recording {@code syncedUpTo}; returns the position after it. */
  static int encodeSyncMark(byte[] buf, int pos, CRC32C crc, long syncedUpTo) {
    return encode(buf, pos, crc, KIND_SYNC_MARK, (byte) 0, (byte) 0, 0, syncedUpTo, null, null);
  }

  /** A decoded record header; reused across records by one reader. */
  static final class Header {
    byte kind;
    byte meta;
    byte userMeta;
    long expiresAt;
    long version;
    int keyLength;
    int valueLength;
    /** Bytes from the record's start to its key. */
    int headerLength;
    /** What was wrong, when {@link #decode} returned {@code false}. */
    String problem;
    private final long[] varint = new long[2];
    private final CRC32C crc = new CRC32C();

    /** The whole record's length (header, key, value). */
    long recordLength() {
      return (long) headerLength + keyLength + valueLength;
    }

    /**
     * Decodes the header of the record at {@code pos}, with {@code limit - pos} bytes available
     * (at least {@link #MAX_HEADER}, or everything up to the end of the file).
     *
     * @return {@code true} if the header is complete and plausible
     */
    boolean decode(byte[] buf, int pos, int limit) {
      if (limit - pos < MIN_RECORD) {
        problem = "only " + (limit - pos) + " bytes, too few for a record";
        return false;
      }
      int p = pos + 4;
      kind = buf[p++];
      if (kind != KIND_VALUE && kind != KIND_SYNC_MARK) {
        problem = "unknown record kind " + (kind & 0xFF);
        return false;
      }
      meta = buf[p++];
      userMeta = buf[p++];
      if (VarInts.get(buf, p, limit, varint) < 0 || varint[0] > Options.MAX_KEY_SIZE) {
        problem = "bad key length";
        return false;
      }
      keyLength = (int) varint[0];
      p = (int) varint[1];
      if (VarInts.get(buf, p, limit, varint) < 0 || varint[0] > Integer.MAX_VALUE) {
        problem = "bad value length";
        return false;
      }
      valueLength = (int) varint[0];
      p = (int) varint[1];
      if (VarInts.get(buf, p, limit, varint) < 0 || varint[0] < 0) {
        problem = "bad expiry";
        return false;
      }
      expiresAt = varint[0];
      p = (int) varint[1];
      if (limit - p < 8) {
        problem = "header cut short";
        return false;
      }
      version = BigEndian.getLong(buf, p);
      p += 8;
      headerLength = p - pos;
      if (recordLength() > Integer.MAX_VALUE) {
        problem = "record length " + recordLength() + " too large";
        return false;
      }
      return true;
    }

    /**
     * Checks the checksum of the record at {@code pos} whose header {@link #decode} accepted;
     * {@code buf} must hold the whole record.
     */
    boolean checksumMatches(byte[] buf, int pos) {
      int len = (int) recordLength();
      crc.reset();
      crc.update(buf, pos + 4, len - 4);
      int stored = BigEndian.getInt(buf, pos);
      if (stored != (int) crc.getValue()) {
        problem = String.format(java.util.Locale.ROOT,
            "checksum mismatch: stored %08x, computed %08x", stored, (int) crc.getValue());
        return false;
      }
      return true;
    }

    /** Whether this is a valid sync mark (kind, zero fields). */
    boolean isSyncMark() {
      return kind == KIND_SYNC_MARK && meta == 0 && userMeta == 0 && keyLength == 0
          && valueLength == 0 && expiresAt == 0;
    }
  }
}
