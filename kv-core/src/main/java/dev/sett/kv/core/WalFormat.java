package dev.sett.kv.core;

import dev.sett.kv.Options;
import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.internal.EntryBody;
import dev.sett.kv.internal.VarInts;
import dev.sett.kv.spi.EntryMeta;
import java.util.zip.CRC32C;

/**
 * The record codec of the memtable WAL ({@code NNNNNN.mem}), shared by {@link WalWriter} and
 * {@link WalReplayer}. Byte layout (all fixed-width integers big-endian; see
 * {@code docs/formats/wal.md}):
 *
 * <pre>
 * File    := FileHeader(magic "SETW", format "wal-v1") Record*
 * Record  := Meta(1) UserMeta(1) KeyLen(uvarint) ValueLen(uvarint) ExpiresAt(uvarint)
 *            Version(int64) Key Value Crc(int32, CRC32C of every preceding byte of the record)
 * </pre>
 *
 * A transaction's entries carry {@link EntryMeta#TXN} and are followed by a commit marker: meta
 * {@link EntryMeta#FIN_TXN}, empty key and value, the commit timestamp as version. A sync mark
 * (meta {@link #SYNC_MARK}, empty key and value) records in its version field an offset up to which
 * the file was fsynced before the mark was written; recovery uses it to tell a torn, never-synced
 * tail (truncated) from damage to synced data (reported).
 */
final class WalFormat {
  /** Magic of the WAL file kind: ASCII "SETW". */
  static final int MAGIC = 0x53455457;
  /** The format name recorded in the header. */
  static final String FORMAT = "wal-v1";
  /** The format version this build writes and reads. */
  static final int VERSION = 1;
  /** Meta of a sync mark: both transaction bits, a combination no entry has. */
  static final byte SYNC_MARK = (byte) (EntryMeta.TXN | EntryMeta.FIN_TXN);
  /** Largest encoded header: 2 + 3 + 5 + 10 + 8. */
  static final int MAX_HEADER = 28;
  /** Length of a record with empty key and value and zero expiry (marker, sync mark). */
  static final int MARKER_LENGTH = 2 + 1 + 1 + 1 + 8 + 4;

  private WalFormat() {}

  /** Upper bound of the encoded length of a record. */
  static int maxLength(int keyLength, int valueLength) {
    return MAX_HEADER + keyLength + valueLength + 4;
  }

  /**
   * Encodes one record into {@code buf} at {@code pos}; {@code buf} must have {@link #maxLength}
   * bytes free.
   *
   * @return the position after the record
   */
  static int encode(byte[] buf, int pos, CRC32C crc, byte meta, byte userMeta, long expiresAt,
      long version, byte[] key, byte[] value) {
    int start = pos;
    pos = EntryBody.put(buf, pos, meta, userMeta, expiresAt, version, key, value);
    crc.reset();
    crc.update(buf, start, pos - start);
    return BigEndian.putInt(buf, pos, (int) crc.getValue());
  }

  /**
   * A decoded record's fields; reused across records by one replayer.
   */
  static final class Cursor {
    byte meta;
    byte userMeta;
    long expiresAt;
    long version;
    int keyOffset;
    int keyLength;
    int valueOffset;
    int valueLength;
    int end;
    private final long[] varint = new long[2];
    private final CRC32C crc = new CRC32C();

    /**
     * Decodes the record at {@code pos}.
     *
     * @return {@code true} if a complete record with a matching checksum is there
     */
    boolean decode(byte[] buf, int pos, int limit) {
      int p = pos;
      if (limit - p < MARKER_LENGTH) {
        return false;
      }
      meta = buf[p++];
      userMeta = buf[p++];
      if (VarInts.get(buf, p, limit, varint) < 0 || varint[0] > Options.MAX_KEY_SIZE) {
        return false;
      }
      keyLength = (int) varint[0];
      p = (int) varint[1];
      if (VarInts.get(buf, p, limit, varint) < 0 || varint[0] > Integer.MAX_VALUE) {
        return false;
      }
      valueLength = (int) varint[0];
      p = (int) varint[1];
      if (VarInts.get(buf, p, limit, varint) < 0) {
        return false;
      }
      expiresAt = varint[0];
      p = (int) varint[1];
      if ((long) p + 8 + keyLength + valueLength + 4 > limit) {
        return false;
      }
      version = BigEndian.getLong(buf, p);
      p += 8;
      keyOffset = p;
      p += keyLength;
      valueOffset = p;
      p += valueLength;
      crc.reset();
      crc.update(buf, pos, p - pos);
      if (BigEndian.getInt(buf, p) != (int) crc.getValue()) {
        return false;
      }
      end = p + 4;
      return true;
    }
  }
}
