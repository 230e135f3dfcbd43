package dev.sett.kv.internal;

/**
 * The body of an entry record shared by the WAL ({@code .mem}) and the value log ({@code .vlog}):
 * meta, user meta, varint key length, varint value length, varint expiry, big-endian version, key,
 * value. Each format frames it its own way (kind byte, where the CRC32C goes); the body's bytes are
 * the same in both, so they are written by one piece of code.
 */
public final class EntryBody {
  private EntryBody() {}

  /**
   * Writes an entry body.
   *
   * @param buf the destination, with room for {@link #maxLength}
   * @param pos where to write
   * @param meta the entry's meta bits
   * @param userMeta the application's meta byte
   * @param expiresAt Unix seconds, 0 for never
   * @param version the version
   * @param key the key, or null for none
   * @param value the value, or null for none
   * @return the position after the body
   */
  public static int put(byte[] buf, int pos, byte meta, byte userMeta, long expiresAt,
      long version, byte[] key, byte[] value) {
    buf[pos++] = meta;
    buf[pos++] = userMeta;
    int klen = key == null ? 0 : key.length;
    int vlen = value == null ? 0 : value.length;
    pos = VarInts.put(buf, pos, klen);
    pos = VarInts.put(buf, pos, vlen);
    pos = VarInts.put(buf, pos, expiresAt);
    pos = BigEndian.putLong(buf, pos, version);
    if (klen > 0) {
      System.arraycopy(key, 0, buf, pos, klen);
      pos += klen;
    }
    if (vlen > 0) {
      System.arraycopy(value, 0, buf, pos, vlen);
      pos += vlen;
    }
    return pos;
  }
}
