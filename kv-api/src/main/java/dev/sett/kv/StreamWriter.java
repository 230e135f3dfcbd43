package dev.sett.kv;

/**
 * Loads sorted data into an empty database by writing tables directly (Badger's {@code
 * StreamWriter}), from {@link Db#newStreamWriter}: no WAL, no memtable, no compaction, so a bulk
 * load runs at the speed of writing the tables once. Entries go in sorted: keys ascending
 * (unsigned bytes), each key's versions newest first, every version at least 1. Values of at
 * least the value threshold go to the value log, as commits' do. The tables are built to the
 * side and nothing is visible until {@link #flush} installs them all in the last level at once:
 * a load that fails or is cancelled leaves the database empty. While a stream writer is open the
 * database refuses other writes ({@link IllegalStateException}), as Badger does; reads see the
 * database as it was (empty) until the flush.
 *
 * <p>One thread at a time.
 */
public interface StreamWriter extends AutoCloseable {

  /**
   * Writes one version of a key.
   *
   * @param entry the key, value, user meta and expiry (a TTL counts from now)
   * @param version the version, at least 1
   * @throws IllegalArgumentException if the entry is out of order or the value too large (the
   *     writer stays usable)
   * @throws IllegalStateException after {@link #flush} or {@link #cancel}
   */
  void write(Entry entry, long version);

  /**
   * Writes a deletion of a key at a version (older versions written after it are hidden by it).
   *
   * @param key the key
   * @param version the version, at least 1
   * @throws IllegalArgumentException if out of order
   * @throws IllegalStateException after {@link #flush} or {@link #cancel}
   */
  void delete(byte[] key, long version);

  /**
   * Makes everything written durable and visible: syncs the value log, lists every table in the
   * MANIFEST as part of the last level, and lets commits run again, at timestamps above every
   * version written.
   *
   * @return the number of versions written
   * @throws StorageException if a file cannot be written (nothing was installed)
   */
  long flush();

  /** Drops what was written (the tables are deleted) and lets commits run again. Idempotent. */
  void cancel();

  /** Cancels unless {@link #flush} succeeded. */
  @Override
  void close();
}
