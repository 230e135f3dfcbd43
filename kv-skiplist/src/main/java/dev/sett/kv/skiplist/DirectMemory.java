package dev.sett.kv.skiplist;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

/**
 * Frees a direct buffer's memory at once, through {@code sun.misc.Unsafe.invokeCleaner} (module
 * {@code jdk.unsupported}), as Lucene and Netty do: Java 17 has no supported way to free direct
 * memory before the garbage collector finds the buffer unreachable. Where that method is missing,
 * {@link #free} does nothing and the memory waits for the collector as before.
 *
 * <p>The caller guarantees that nothing reads or writes the buffer afterwards: an access to freed
 * memory is undefined behaviour, not an exception. Freeing a buffer twice is harmless (its cleaner
 * runs once).
 */
final class DirectMemory {
  private static final Object UNSAFE;
  private static final Method INVOKE_CLEANER;

  static {
    Object unsafe = null;
    Method invokeCleaner = null;
    try {
      Class<?> type = Class.forName("sun.misc.Unsafe");
      Field f = type.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      unsafe = f.get(null);
      invokeCleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      unsafe = null;
      invokeCleaner = null;
    }
    UNSAFE = unsafe;
    INVOKE_CLEANER = invokeCleaner;
  }

  private DirectMemory() {}

  /** Whether {@link #free} frees memory here (false: it is left to the garbage collector). */
  static boolean canFree() {
    return INVOKE_CLEANER != null;
  }

  /** Frees {@code buffer}'s memory now, if this JVM allows it. */
  static void free(ByteBuffer buffer) {
    if (INVOKE_CLEANER == null || !buffer.isDirect()) {
      return;
    }
    try {
      INVOKE_CLEANER.invoke(UNSAFE, buffer);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Not a buffer the JVM lets us free (a slice, say): the collector frees it.
    }
  }
}
