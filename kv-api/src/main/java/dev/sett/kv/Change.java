package dev.sett.kv;

/**
 * One committed write, as a {@link Db#subscribe subscription} receives it (Badger's {@code
 * pb.KV}): the key, the value (empty for a delete), the commit's version, the user meta byte and
 * the expiry. Immutable: {@link #key()} and {@link #value()} return copies.
 */
public final class Change {
  private final byte[] key;
  private final byte[] value;
  private final long version;
  private final byte userMeta;
  private final long expiresAt;
  private final boolean deleted;

  /**
   * Creates a change (the engine does; tests may).
   *
   * @param key the key (not copied: the caller gives it up)
   * @param value the value, empty for a delete (not copied)
   * @param version the commit's version
   * @param userMeta the user meta byte
   * @param expiresAt expiry in seconds since the epoch, 0 for none
   * @param deleted whether the write was a delete
   */
  public Change(byte[] key, byte[] value, long version, byte userMeta, long expiresAt,
      boolean deleted) {
    this.key = key;
    this.value = value;
    this.version = version;
    this.userMeta = userMeta;
    this.expiresAt = expiresAt;
    this.deleted = deleted;
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
   * The value written; empty for a delete.
   *
   * @return a copy
   */
  public byte[] value() {
    return value.clone();
  }

  /**
   * The version the write committed at.
   *
   * @return the version
   */
  public long version() {
    return version;
  }

  /**
   * The user meta byte.
   *
   * @return the byte
   */
  public byte userMeta() {
    return userMeta;
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
   * Whether the write was a delete.
   *
   * @return {@code true} for a delete
   */
  public boolean isDeleted() {
    return deleted;
  }

  @Override
  public String toString() {
    return "Change[" + dev.sett.kv.internal.Keys.describe(key) + "@" + version
        + (deleted ? " deleted" : ", " + value.length + " bytes") + "]";
  }
}
