package dev.sett.kv.testkit;

import dev.sett.kv.internal.Keys;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A position in internal order (user key ascending, version descending): the key of the
 * {@code TreeMap} models that memtable and table tests compare against.
 *
 * @param key the user key
 * @param version the version
 */
public record At(byte[] key, long version) implements Comparable<At> {
  @Override
  public int compareTo(At o) {
    return Keys.compareInternal(key, version, o.key, o.version);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof At a && a.version == version && Arrays.equals(a.key, key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key) * 31 + Long.hashCode(version);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(key) + "@" + Long.toUnsignedString(version);
  }
}
