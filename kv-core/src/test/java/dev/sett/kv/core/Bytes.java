package dev.sett.kv.core;

import java.nio.charset.StandardCharsets;

/** Test shorthand for UTF-8 byte arrays. */
final class Bytes {
  private Bytes() {}

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String s(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
