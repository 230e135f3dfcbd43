package dev.sett.kv.internal;

import dev.sett.kv.Options;
import java.util.Arrays;

/** Validation and comparison of user keys, shared by every module that takes keys. */
public final class Keys {
  private Keys() {}

  /**
   * Checks a user key.
   *
   * @param key the key
   * @return the key
   * @throws IllegalArgumentException if it is {@code null}, empty or longer than {@value
   *     Options#MAX_KEY_SIZE} bytes
   */
  public static byte[] check(byte[] key) {
    if (key == null) {
      throw new IllegalArgumentException("key must not be null");
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("key must not be empty");
    }
    if (key.length > Options.MAX_KEY_SIZE) {
      throw new IllegalArgumentException("key of " + key.length
          + " bytes exceeds the maximum of " + Options.MAX_KEY_SIZE + " bytes");
    }
    return key;
  }

  /**
   * A key for messages: its first 32 bytes in hex, then its length if it is longer.
   *
   * @param key the key
   * @return the description
   */
  public static String describe(byte[] key) {
    return describe(key, key.length);
  }

  /**
   * As {@link #describe(byte[])} for the first {@code length} bytes of {@code key}.
   *
   * @param key the buffer
   * @param length the key's length
   * @return the description
   */
  public static String describe(byte[] key, int length) {
    int shown = Math.min(length, 32);
    return java.util.HexFormat.of().formatHex(key, 0, shown)
        + (shown < length ? "..(" + length + " bytes)" : "");
  }

  /**
   * Compares two user keys as unsigned byte strings.
   *
   * @param a a key
   * @param b a key
   * @return negative, zero or positive as {@code a} sorts before, with or after {@code b}
   */
  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /**
   * Compares internal entries: key ascending, then version descending.
   *
   * @param ka a key
   * @param va its version
   * @param kb a key
   * @param vb its version
   * @return negative when {@code (ka, va)} comes first in internal order
   */
  public static int compareInternal(byte[] ka, long va, byte[] kb, long vb) {
    int c = Arrays.compareUnsigned(ka, kb);
    return c != 0 ? c : Long.compareUnsigned(vb, va);
  }

  /**
   * Whether {@code key} starts with {@code prefix}.
   *
   * @param key a key
   * @param prefix a prefix
   * @return {@code true} if it does
   */
  public static boolean hasPrefix(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }
}
