package dev.sett.kv;

/**
 * What {@link Db#load} did.
 *
 * @param records the records the backup held
 * @param loaded the versions written
 * @param skipped the versions not written: the database already held a version of the key at
 *     least as new, a commit wrote the key while the load ran, or the key is in a banned
 *     namespace
 * @param sinceTs the backup's {@code sinceTs}: it held the versions above it
 * @param readTs the backup's snapshot timestamp (what {@link Db#backup} returned when it was
 *     taken)
 */
public record LoadResult(long records, long loaded, long skipped, long sinceTs, long readTs) {}
