package dev.sett.kv.core;

import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.internal.VarInts;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Writes a backup ({@link BackupFormat}) to a stream: the header at once, records into blocks of
 * about {@value BackupFormat#BLOCK_TARGET} bytes, each written with its checksums when full, and
 * the end block at {@link #finish}. Not thread-safe; one backup, one writer.
 */
final class BackupWriter {
  private final OutputStream out;
  private byte[] body = new byte[64 * 1024];
  private int length;
  private int count;
  private long records;
  private long blocks;
  private long maxVersion;

  BackupWriter(OutputStream out, BackupFormat.Header header) throws IOException {
    this.out = out;
    out.write(header.encode());
  }

  /**
   * Adds a record; the caller adds them in the order a backup keeps (keys ascending, each key's
   * versions newest first).
   */
  void add(byte[] key, long version, byte meta, byte userMeta, long expiresAt, byte[] value)
      throws IOException {
    int need = VarInts.size(key.length) + key.length + 8 + 2 + VarInts.size(expiresAt)
        + VarInts.size(value.length) + value.length;
    if (length > 0 && length + need > BackupFormat.BLOCK_TARGET) {
      writeBlock();
    }
    if (length + need > body.length) {
      body = Arrays.copyOf(body, Math.max(length + need, body.length * 2));
    }
    int p = VarInts.put(body, length, key.length);
    System.arraycopy(key, 0, body, p, key.length);
    p = BigEndian.putLong(body, p + key.length, version);
    body[p++] = meta;
    body[p++] = userMeta;
    p = VarInts.put(body, p, expiresAt);
    p = VarInts.put(body, p, value.length);
    System.arraycopy(value, 0, body, p, value.length);
    length = p + value.length;
    count++;
    records++;
    maxVersion = Math.max(maxVersion, version);
  }

  /** Writes what is buffered and the end block, and flushes the stream (which stays open). */
  void finish() throws IOException {
    if (count > 0) {
      writeBlock();
    }
    byte[] end = new byte[BackupFormat.END_LENGTH];
    end[0] = BackupFormat.KIND_END;
    int p = BigEndian.putLong(end, 1, records);
    p = BigEndian.putLong(end, p, blocks);
    p = BigEndian.putLong(end, p, maxVersion);
    BigEndian.putInt(end, p, BackupFormat.crc(end, 0, p));
    out.write(end);
    out.flush();
  }

  /** Records written so far. */
  long records() {
    return records;
  }

  private void writeBlock() throws IOException {
    byte[] head = new byte[BackupFormat.BLOCK_HEADER_LENGTH];
    head[0] = BackupFormat.KIND_RECORDS;
    int p = BigEndian.putInt(head, 1, count);
    p = BigEndian.putInt(head, p, length);
    BigEndian.putInt(head, p, BackupFormat.crc(head, 0, p));
    out.write(head);
    out.write(body, 0, length);
    byte[] crc = new byte[4];
    BigEndian.putInt(crc, 0, BackupFormat.crc(body, 0, length));
    out.write(crc);
    blocks++;
    length = 0;
    count = 0;
    if (body.length > 4 * BackupFormat.BLOCK_TARGET) {
      body = new byte[64 * 1024]; // a huge value passed: do not keep its buffer
    }
  }
}
