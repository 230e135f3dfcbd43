package dev.sett.kv.core;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.UnsupportedFormatException;
import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.spi.EntryMeta;
import java.util.zip.CRC32C;

/**
 * The layout of a backup ({@code backup-v1}, see {@code docs/formats/backup.md}): a header, blocks
 * of records, and an end block that makes a truncated backup detectable. Shared by {@link
 * BackupWriter} and {@link BackupReader}, so the two cannot disagree.
 *
 * <p>A backup is a stream, not a file of the database directory, so it does not use the common
 * file header: it names no file id and is loaded into databases other than the one it came from.
 */
final class BackupFormat {
  /** {@code SETK}. */
  static final int MAGIC = 0x5345544B;
  static final String NAME = "backup-v1";
  static final int VERSION = 1;
  /** Magic, version, flags, since, read timestamp, database id, created, CRC. */
  static final int HEADER_LENGTH = 4 + 2 + 2 + 8 + 8 + 16 + 8 + 4;
  static final byte KIND_RECORDS = 1;
  static final byte KIND_END = 2;
  /** Kind, record count, body length, block header CRC. */
  static final int BLOCK_HEADER_LENGTH = 1 + 4 + 4 + 4;
  /** Kind, records, blocks, highest version, CRC. */
  static final int END_LENGTH = 1 + 8 + 8 + 8 + 4;
  /** A block is closed once its body reaches this size (a larger record gets a block alone). */
  static final int BLOCK_TARGET = 1 << 20;
  /** The meta bits a record may carry: the rest are the engine's own. */
  static final byte RECORD_META =
      EntryMeta.DELETE | EntryMeta.DISCARD_EARLIER_VERSIONS | EntryMeta.MERGE;
  /** What the stream is called in errors (a backup has no file name of its own). */
  static final String STREAM = "backup";

  private BackupFormat() {}

  /**
   * A backup's header.
   *
   * @param sinceTs every version in the backup is above it
   * @param readTs every version in the backup is at or below it: the snapshot it was taken at
   * @param dbId the id of the database it was taken from
   * @param createdMillis when it was taken
   */
  record Header(long sinceTs, long readTs, byte[] dbId, long createdMillis) {
    byte[] encode() {
      byte[] b = new byte[HEADER_LENGTH];
      int p = BigEndian.putInt(b, 0, MAGIC);
      b[p++] = 0;
      b[p++] = VERSION;
      p += 2; // flags: none yet
      p = BigEndian.putLong(b, p, sinceTs);
      p = BigEndian.putLong(b, p, readTs);
      System.arraycopy(dbId, 0, b, p, 16);
      p += 16;
      p = BigEndian.putLong(b, p, createdMillis);
      BigEndian.putInt(b, p, crc(b, 0, p));
      return b;
    }

    static Header decode(byte[] b) {
      if (BigEndian.getInt(b, 0) != MAGIC) {
        throw new CorruptionException(STREAM, 0, "not a Sett backup (no SETK magic)");
      }
      int crcAt = HEADER_LENGTH - 4;
      if (BigEndian.getInt(b, crcAt) != crc(b, 0, crcAt)) {
        throw new CorruptionException(STREAM, 0, "the backup header's checksum does not match");
      }
      int version = ((b[4] & 0xff) << 8) | (b[5] & 0xff);
      int flags = ((b[6] & 0xff) << 8) | (b[7] & 0xff);
      if (version != VERSION || flags != 0) {
        throw new UnsupportedFormatException(STREAM, "backup format version " + version
            + " with flags 0x" + Integer.toHexString(flags) + "; this build reads " + NAME
            + " (version " + VERSION + ", no flags)");
      }
      long since = BigEndian.getLong(b, 8);
      long read = BigEndian.getLong(b, 16);
      if (since < 0 || read < since) {
        throw new CorruptionException(STREAM, 8, "the header's timestamps are impossible: since "
            + since + ", read at " + read);
      }
      byte[] id = new byte[16];
      System.arraycopy(b, 24, id, 0, 16);
      return new Header(since, read, id, BigEndian.getLong(b, 40));
    }
  }

  static int crc(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }
}
