package dev.sett.kv.table;

import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.internal.VarInts;
import java.util.Arrays;

/**
 * An append-only byte buffer reused by the table builder, so that encoding a block, the index or
 * the footer allocates only when a buffer has to grow. Not thread-safe.
 */
final class GrowableBytes {
  private byte[] buf;
  private int size;

  GrowableBytes(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  /** The backing array; valid bytes are {@code [0, size())}. */
  byte[] array() {
    return buf;
  }

  int size() {
    return size;
  }

  void clear() {
    size = 0;
  }

  /** Counts {@code n} bytes written straight into {@link #array()} after {@link #ensure}. */
  void advance(int n) {
    size += n;
  }

  /** Makes room for {@code more} bytes after the current end. */
  void ensure(int more) {
    long needed = (long) size + more;
    if (needed > buf.length) {
      if (needed > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("buffer would exceed 2 GiB: " + needed + " bytes");
      }
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16,
          Math.max(needed, (long) buf.length * 2)));
    }
  }

  void put(byte v) {
    ensure(1);
    buf[size++] = v;
  }

  void put(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  void putInt(int v) {
    ensure(4);
    BigEndian.putInt(buf, size, v);
    size += 4;
  }

  void putLong(long v) {
    ensure(8);
    BigEndian.putLong(buf, size, v);
    size += 8;
  }

  void putVarInt(long v) {
    ensure(10);
    size = VarInts.put(buf, size, v);
  }

  /** Overwrites four bytes already written. */
  void setInt(int at, int v) {
    BigEndian.putInt(buf, at, v);
  }
}
