package dev.sett.kv.core;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.Options;
import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.internal.VarInts;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a backup ({@link BackupFormat}) record by record, checking everything before it hands a
 * record out: every checksum, every length, the order of keys and versions, the versions against
 * the header's timestamps, and at the end the record and block counts and that nothing follows.
 * A problem is a {@link CorruptionException} at the offset in the stream where it was found; a
 * backup that stops early (truncated) is one too, since its end block is missing. Not
 * thread-safe.
 */
final class BackupReader {
  /** One record of a backup, and the offset in the stream where it starts. */
  record Record(byte[] key, long version, byte meta, byte userMeta, long expiresAt,
      byte[] value, long offset) {}

  private final InputStream in;
  private final BackupFormat.Header header;
  private long offset; // of the next byte to read
  private byte[] body = new byte[0];
  private long bodyOffset; // stream offset of body[0]
  private int bodyLength;
  private int pos;
  private int left; // records left in the block
  private long records;
  private long blocks;
  private long maxVersion;
  private byte[] lastKey;
  private long lastVersion;
  private boolean ended;

  BackupReader(InputStream in) throws IOException {
    this.in = in;
    byte[] h = new byte[BackupFormat.HEADER_LENGTH];
    readFully(h, h.length, "the header");
    this.header = BackupFormat.Header.decode(h);
  }

  BackupFormat.Header header() {
    return header;
  }

  /** Bytes of the stream read so far. */
  long offset() {
    return offset;
  }

  /** The next record, or null after the end block (checked) has been read. */
  Record next() throws IOException {
    while (left == 0) {
      if (ended || !nextBlock()) {
        return null;
      }
    }
    left--;
    long at = bodyOffset + pos;
    long[] v = new long[2];
    pos = varint(pos, v, at, "key length");
    if (v[0] < 1 || v[0] > Options.MAX_KEY_SIZE) {
      throw corrupt(at, "a key length of " + v[0]);
    }
    byte[] key = bytes((int) v[0], at, "key");
    if (pos + 10 > bodyLength) {
      throw corrupt(at, "a record runs past its block");
    }
    long version = BigEndian.getLong(body, pos);
    byte meta = body[pos + 8];
    byte userMeta = body[pos + 9];
    pos += 10;
    pos = varint(pos, v, at, "expiry");
    long expiresAt = v[0];
    pos = varint(pos, v, at, "value length");
    if (v[0] > bodyLength - pos) {
      throw corrupt(at, "a value length of " + v[0] + " runs past its block");
    }
    byte[] value = bytes((int) v[0], at, "value");
    if ((meta & ~BackupFormat.RECORD_META) != 0) {
      throw corrupt(at, "unknown meta bits 0x" + Integer.toHexString(meta & 0xff));
    }
    if (version <= header.sinceTs() || version > header.readTs()) {
      throw corrupt(at, "version " + version + " is outside the backup's (" + header.sinceTs()
          + ", " + header.readTs() + "]");
    }
    if (lastKey != null) {
      int c = Keys.compare(lastKey, key);
      if (c > 0 || (c == 0 && version >= lastVersion)) {
        throw corrupt(at, "records out of order: " + Keys.describe(key) + "@" + version
            + " after " + Keys.describe(lastKey) + "@" + lastVersion);
      }
    }
    lastKey = key;
    lastVersion = version;
    records++;
    maxVersion = Math.max(maxVersion, version);
    if (left == 0 && pos != bodyLength) {
      throw corrupt(bodyOffset + pos, (bodyLength - pos) + " bytes after the block's last"
          + " record");
    }
    return new Record(key, version, meta, userMeta, expiresAt, value, at);
  }

  /** Reads the next block; false after the end block. */
  private boolean nextBlock() throws IOException {
    long at = offset;
    byte[] head = new byte[BackupFormat.BLOCK_HEADER_LENGTH];
    if (!readKind(head, at)) {
      return false;
    }
    readFully(head, 1, BackupFormat.BLOCK_HEADER_LENGTH - 1, "a block header");
    int crcAt = BackupFormat.BLOCK_HEADER_LENGTH - 4;
    if (BigEndian.getInt(head, crcAt) != BackupFormat.crc(head, 0, crcAt)) {
      throw corrupt(at, "a block header's checksum does not match");
    }
    int count = BigEndian.getInt(head, 1);
    int length = BigEndian.getInt(head, 5);
    if (count < 1 || length < count) {
      throw corrupt(at, "a block of " + count + " record(s) in " + length + " bytes");
    }
    if (body.length < length) {
      body = new byte[length];
    }
    bodyOffset = offset;
    readFully(body, length, "a block body");
    byte[] crc = new byte[4];
    readFully(crc, 4, "a block checksum");
    if (BigEndian.getInt(crc, 0) != BackupFormat.crc(body, 0, length)) {
      throw corrupt(bodyOffset, "a block's checksum does not match");
    }
    bodyLength = length;
    pos = 0;
    left = count;
    blocks++;
    return true;
  }

  /** Reads a block's kind into {@code head[0]}; at the end block checks it and returns false. */
  private boolean readKind(byte[] head, long at) throws IOException {
    readFully(head, 1, "the end block (the backup is truncated)");
    if (head[0] == BackupFormat.KIND_RECORDS) {
      return true;
    }
    if (head[0] != BackupFormat.KIND_END) {
      throw corrupt(at, "unknown block kind " + head[0]);
    }
    byte[] end = new byte[BackupFormat.END_LENGTH];
    end[0] = head[0];
    readFully(end, 1, end.length - 1, "the end block");
    int crcAt = end.length - 4;
    if (BigEndian.getInt(end, crcAt) != BackupFormat.crc(end, 0, crcAt)) {
      throw corrupt(at, "the end block's checksum does not match");
    }
    long n = BigEndian.getLong(end, 1);
    long b = BigEndian.getLong(end, 9);
    if (n != records || b != blocks) {
      throw corrupt(at, "the end block counts " + n + " record(s) in " + b + " block(s) but "
          + records + " in " + blocks + " came before it");
    }
    if (in.read() >= 0) {
      throw corrupt(offset, "data follows the end block");
    }
    ended = true;
    return false;
  }

  private int varint(int p, long[] out, long at, String what) {
    int n = VarInts.get(body, p, bodyLength, out);
    if (n < 0 || out[0] < 0) {
      throw corrupt(at, "a bad " + what);
    }
    return n;
  }

  private byte[] bytes(int n, long at, String what) {
    if (n > bodyLength - pos) {
      throw corrupt(at, "a " + what + " runs past its block");
    }
    byte[] b = Arrays.copyOfRange(body, pos, pos + n);
    pos += n;
    return b;
  }

  private void readFully(byte[] b, int n, String what) throws IOException {
    readFully(b, 0, n, what);
  }

  private void readFully(byte[] b, int off, int n, String what) throws IOException {
    int done = 0;
    while (done < n) {
      int r = in.read(b, off + done, n - done);
      if (r < 0) {
        throw corrupt(offset + done, "the backup ends inside " + what + " (truncated)");
      }
      done += r;
    }
    offset += n;
  }

  private static CorruptionException corrupt(long at, String detail) {
    return new CorruptionException(BackupFormat.STREAM, at, detail);
  }
}
