package dev.sett.kv;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;

/**
 * Which keys a {@link Db#subscribe subscription} receives (Badger's {@code pb.Match}): keys that
 * start with {@link #prefix()}, where the byte positions named by {@code ignoreBytes} match
 * anything. Ignored positions let one match cover a family of prefixes, such as every tenant's
 * copy of a table when the tenant id sits at a fixed place in the key.
 */
public final class Match {
  private final byte[] prefix;
  private final String ignoreBytes;
  private final BitSet ignored;

  private Match(byte[] prefix, String ignoreBytes, BitSet ignored) {
    this.prefix = prefix;
    this.ignoreBytes = ignoreBytes;
    this.ignored = ignored;
  }

  /**
   * Keys starting with {@code prefix}; an empty prefix matches every key.
   *
   * @param prefix the prefix (copied)
   * @return the match
   */
  public static Match prefix(byte[] prefix) {
    return new Match(Objects.requireNonNull(prefix, "prefix").clone(), "", new BitSet());
  }

  /**
   * Keys starting with {@code prefix}, except at the positions {@code ignoreBytes} names: a
   * comma-separated list of zero-based positions in the prefix and ranges {@code from-to}
   * (inclusive), as Badger's {@code IgnoreBytes}, for example {@code "0, 4-7"}.
   *
   * @param prefix the prefix (copied)
   * @param ignoreBytes the positions; empty for none
   * @return the match
   * @throws IllegalArgumentException if {@code ignoreBytes} is malformed or names a position
   *     outside the prefix
   */
  public static Match prefix(byte[] prefix, String ignoreBytes) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(ignoreBytes, "ignoreBytes");
    BitSet ignored = new BitSet();
    for (String part : ignoreBytes.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int dash = p.indexOf('-');
      int from;
      int to;
      try {
        from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
        to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("ignoreBytes must be positions and ranges such as"
            + " \"0, 4-7\", got \"" + ignoreBytes + "\"");
      }
      if (from < 0 || to < from || to >= prefix.length) {
        throw new IllegalArgumentException("ignoreBytes \"" + ignoreBytes + "\" names " + p
            + ", outside the prefix's positions [0, " + (prefix.length - 1) + "]");
      }
      ignored.set(from, to + 1);
    }
    return new Match(prefix.clone(), ignoreBytes, ignored);
  }

  /**
   * Whether {@code key} matches.
   *
   * @param key a key
   * @return {@code true} if it starts with the prefix, ignored positions aside
   */
  public boolean matches(byte[] key) {
    if (key.length < prefix.length) {
      return false;
    }
    if (ignored.isEmpty()) {
      return Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i] && !ignored.get(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The prefix.
   *
   * @return a copy
   */
  public byte[] prefix() {
    return prefix.clone();
  }

  /**
   * The ignored positions as given.
   *
   * @return the text, empty for none
   */
  public String ignoreBytes() {
    return ignoreBytes;
  }

  @Override
  public String toString() {
    return "Match[" + java.util.HexFormat.of().formatHex(prefix)
        + (ignoreBytes.isEmpty() ? "" : ", ignoring " + ignoreBytes) + "]";
  }
}
