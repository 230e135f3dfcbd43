package dev.sett.kv.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Fixed-width integers in {@code byte[]}: big-endian, as every Sett format stores them, plus the
 * little-endian reads xxHash64 is defined with. Plain (non-atomic) access through byte-array view
 * handles, which the JIT turns into single loads and stores.
 */
final class Bytes {
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Bytes() {}

  static int getInt(byte[] b, int off) {
    return (int) INT_BE.get(b, off);
  }

  static long getLong(byte[] b, int off) {
    return (long) LONG_BE.get(b, off);
  }

  static void putInt(byte[] b, int off, int v) {
    INT_BE.set(b, off, v);
  }

  static void putLong(byte[] b, int off, long v) {
    LONG_BE.set(b, off, v);
  }

  static int getIntLe(byte[] b, int off) {
    return (int) INT_LE.get(b, off);
  }

  static long getLongLe(byte[] b, int off) {
    return (long) LONG_LE.get(b, off);
  }
}
