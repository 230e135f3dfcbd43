package dev.sett.kv.spi;

/**
 * One version of a key as a memtable or table holds it.
 *
 * @param version the commit timestamp that wrote it
 * @param meta the {@link EntryMeta} bits
 * @param userMeta the application's meta byte
 * @param expiresAt Unix seconds after which it is gone, 0 for never
 * @param value the value bytes (a value pointer when {@link EntryMeta#VALUE_POINTER} is set);
 *     owned by the receiver
 */
public record StoredValue(long version, byte meta, byte userMeta, long expiresAt, byte[] value) {}
