package dev.sett.kv.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Fixed-width integers in a {@code byte[]}, big-endian, as every Sett file format stores them
 * (WAL, MANIFEST, tables): one implementation, so the formats cannot drift apart. Plain
 * (non-atomic) access through byte-array view handles, which the JIT turns into single loads and
 * stores; any offset is allowed (no alignment needed). An access that does not fit in the array
 * throws {@link IndexOutOfBoundsException} before touching it.
 */
public final class BigEndian {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private BigEndian() {}

  /**
   * Reads four bytes.
   *
   * @param b the source
   * @param off where the int starts
   * @return the int
   */
  public static int getInt(byte[] b, int off) {
    return (int) INT.get(b, off);
  }

  /**
   * Reads eight bytes.
   *
   * @param b the source
   * @param off where the long starts
   * @return the long
   */
  public static long getLong(byte[] b, int off) {
    return (long) LONG.get(b, off);
  }

  /**
   * Writes four bytes.
   *
   * @param b the destination
   * @param off where to write
   * @param v the value
   * @return the position after it, {@code off + 4}
   */
  public static int putInt(byte[] b, int off, int v) {
    INT.set(b, off, v);
    return off + 4;
  }

  /**
   * Writes eight bytes.
   *
   * @param b the destination
   * @param off where to write
   * @param v the value
   * @return the position after it, {@code off + 8}
   */
  public static int putLong(byte[] b, int off, long v) {
    LONG.set(b, off, v);
    return off + 8;
  }
}
