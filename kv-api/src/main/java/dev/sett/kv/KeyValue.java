package dev.sett.kv;

import dev.sett.kv.internal.Keys;
import java.util.Arrays;
import java.util.Objects;

/**
 * One version of one key as a {@link Stream} emits it and a {@link Db#subscribe subscription}
 * receives it (Badger's {@code pb.KV}, used for both): everything a
 * backup needs to write that version back at the same timestamp, namely the key, the value, the
 * version, the expiry, the user meta byte and whether the version is a delete (a tombstone, whose
 * value is empty). Immutable: {@link #key()} and {@link #value()} return copies.
 */
public final class KeyValue {
  /**
   * What {@link #sizeBytes()} adds to the key and the value: the version and the expiry (8 bytes
   * each), the user meta byte and the delete flag.
   */
  public static final int FIXED_BYTES = 18;

  private final byte[] key;
  private final byte[] value;
  private final long version;
  private final long expiresAt;
  private final byte userMeta;
  private final boolean deleted;

  /**
   * Creates a record, copying the key and the value.
   *
   * @param key the key, 1 to {@value Options#MAX_KEY_SIZE} bytes
   * @param value the value; empty for a delete
   * @param version the version (the commit timestamp), at least 1
   * @param expiresAt when the value expires, seconds since the epoch, 0 for never
   * @param userMeta the application's meta byte
   * @param deleted whether the version is a delete
   * @throws IllegalArgumentException if the key is empty or too long, the version below 1, the
   *     expiry negative, or a delete carries a value
   * @throws NullPointerException if the key or the value is null
   */
  public KeyValue(byte[] key, byte[] value, long version, long expiresAt, byte userMeta,
      boolean deleted) {
    this(Keys.check(key).clone(), Objects.requireNonNull(value, "value").clone(), version,
        expiresAt, userMeta, deleted, true);
  }

  private KeyValue(byte[] key, byte[] value, long version, long expiresAt, byte userMeta,
      boolean deleted, boolean check) {
    if (check) {
      if (version < 1) {
        throw new IllegalArgumentException("version must be at least 1, got " + version);
      }
      if (expiresAt < 0) {
        throw new IllegalArgumentException("expiresAt must be at least 0, got " + expiresAt);
      }
      if (deleted && value.length > 0) {
        throw new IllegalArgumentException("a delete carries no value, got " + value.length
            + " bytes");
      }
    }
    this.key = key;
    this.value = value;
    this.version = version;
    this.expiresAt = expiresAt;
    this.userMeta = userMeta;
    this.deleted = deleted;
  }

  /**
   * The record of the version an item stands for: a delete if the item is a tombstone ({@link
   * Item#isDeleted()}), otherwise its value (also when it has expired: the expiry goes with it).
   *
   * @param item an item, for example one of the versions a {@link Stream.KeyToList} receives
   * @return the record
   * @throws StorageException if the value must be read from the value log and that fails
   */
  public static KeyValue of(Item item) {
    boolean deleted = item.isDeleted();
    // item.key() and item.value() are fresh copies already: no second copy.
    return new KeyValue(item.key(), deleted ? new byte[0] : item.value(), item.version(),
        item.expiresAt(), item.userMeta(), deleted, true);
  }

  /**
   * The key.
   *
   * @return a copy
   */
  public byte[] key() {
    return key.clone();
  }

  /**
   * The value; empty for a delete.
   *
   * @return a copy
   */
  public byte[] value() {
    return value.clone();
  }

  /**
   * The version: the commit timestamp of the write.
   *
   * @return the version, at least 1
   */
  public long version() {
    return version;
  }

  /**
   * When the value expires.
   *
   * @return seconds since the epoch, 0 if never
   */
  public long expiresAt() {
    return expiresAt;
  }

  /**
   * The application's meta byte.
   *
   * @return the byte, 0 when never set
   */
  public byte userMeta() {
    return userMeta;
  }

  /**
   * Whether this version is a delete (a tombstone).
   *
   * @return {@code true} for a delete
   */
  public boolean isDeleted() {
    return deleted;
  }

  /**
   * The bytes this record carries: key, value and {@value #FIXED_BYTES} more; what a stream's
   * {@link Stream#batchBytes batch size} counts.
   *
   * @return the size
   */
  public long sizeBytes() {
    return (long) key.length + value.length + FIXED_BYTES;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue kv && version == kv.version && expiresAt == kv.expiresAt
        && userMeta == kv.userMeta && deleted == kv.deleted && Arrays.equals(key, kv.key)
        && Arrays.equals(value, kv.value);
  }

  @Override
  public int hashCode() {
    return (Arrays.hashCode(key) * 31 + Arrays.hashCode(value)) * 31 + Long.hashCode(version);
  }

  @Override
  public String toString() {
    return "KeyValue[" + Keys.describe(key) + "@" + version
        + (deleted ? " deleted" : ", " + value.length + " bytes")
        + (expiresAt != 0 ? ", expires " + expiresAt : "")
        + (userMeta != 0 ? ", userMeta " + userMeta : "") + "]";
  }
}
