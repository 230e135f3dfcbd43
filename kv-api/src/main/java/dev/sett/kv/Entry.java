package dev.sett.kv;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A key-value pair to write, with an optional time to live and user meta byte. Immutable: the
 * {@code with} methods return a new entry. Key and value are copied on creation.
 *
 * <pre>{@code
 * txn.setEntry(Entry.of(key, value).withTtl(Duration.ofMinutes(5)).withUserMeta((byte) 1));
 * }</pre>
 */
public final class Entry {
  private final byte[] key;
  private final byte[] value;
  private final Duration ttl;
  private final long expiresAt;
  private final byte userMeta;

  private Entry(byte[] key, byte[] value, Duration ttl, long expiresAt, byte userMeta) {
    this.key = key;
    this.value = value;
    this.ttl = ttl;
    this.expiresAt = expiresAt;
    this.userMeta = userMeta;
  }

  /**
   * Creates an entry that never expires.
   *
   * @param key the key; copied
   * @param value the value; copied
   * @return the entry
   * @throws NullPointerException if either is {@code null}
   */
  public static Entry of(byte[] key, byte[] value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return new Entry(key.clone(), value.clone(), null, 0, (byte) 0);
  }

  /**
   * Returns this entry with a time to live, counted from the moment it is set in a transaction
   * (with the database's clock) and rounded up to whole seconds.
   *
   * @param ttl a positive duration
   * @return the new entry
   * @throws IllegalArgumentException if {@code ttl} is zero or negative
   */
  public Entry withTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    }
    return new Entry(key, value, ttl, 0, userMeta);
  }

  /**
   * Returns this entry with an absolute expiry time.
   *
   * @param epochSeconds Unix time in seconds after which the entry is gone; 0 for never
   * @return the new entry
   * @throws IllegalArgumentException if {@code epochSeconds} is negative
   */
  public Entry withExpiresAt(long epochSeconds) {
    if (epochSeconds < 0) {
      throw new IllegalArgumentException("expiresAt must be >= 0, got " + epochSeconds);
    }
    return new Entry(key, value, null, epochSeconds, userMeta);
  }

  /**
   * Returns this entry with a user meta byte, stored with the version and returned by {@link
   * Item#userMeta()}.
   *
   * @param userMeta any byte
   * @return the new entry
   */
  public Entry withUserMeta(byte userMeta) {
    return new Entry(key, value, ttl, expiresAt, userMeta);
  }

  /**
   * The key.
   *
   * @return a copy of the key
   */
  public byte[] key() {
    return key.clone();
  }

  /**
   * The value.
   *
   * @return a copy of the value
   */
  public byte[] value() {
    return value.clone();
  }

  /**
   * The time to live, if one was set with {@link #withTtl(Duration)}.
   *
   * @return the TTL, or {@code null}
   */
  public Duration ttl() {
    return ttl;
  }

  /**
   * The absolute expiry set with {@link #withExpiresAt(long)}.
   *
   * @return Unix seconds, 0 when not set
   */
  public long expiresAt() {
    return expiresAt;
  }

  /**
   * The user meta byte.
   *
   * @return the byte, 0 when not set
   */
  public byte userMeta() {
    return userMeta;
  }

  @Override
  public String toString() {
    return "Entry[key=" + key.length + " bytes, value=" + value.length + " bytes"
        + (ttl != null ? ", ttl=" + ttl : "")
        + (expiresAt != 0 ? ", expiresAt=" + expiresAt : "")
        + (userMeta != 0 ? ", userMeta=" + userMeta : "") + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && Arrays.equals(key, e.key)
        && Arrays.equals(value, e.value)
        && Objects.equals(ttl, e.ttl)
        && expiresAt == e.expiresAt
        && userMeta == e.userMeta;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), ttl, expiresAt, userMeta);
  }
}
