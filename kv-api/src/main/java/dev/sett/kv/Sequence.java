package dev.sett.kv;

/**
 * Monotonically increasing numbers, handed out from leases stored under one key (Badger's {@code
 * Sequence}, from {@link Db#getSequence}). A lease of {@code bandwidth} numbers is one
 * read-write transaction that moves the stored counter forward; {@link #next()} then hands out
 * numbers from memory until the lease is used up. Numbers start at 0 for a key that holds no
 * counter.
 *
 * <p>No number is handed out twice, also across crashes and reopens: a number is handed out only
 * after the commit that leased it, so a restart continues after the last lease, and the numbers
 * leased but not handed out before the crash are skipped (gaps, never repeats). With {@link
 * Options#syncWrites()} off, a lease survives a process crash (its commit reached the operating
 * system) but not a power loss; call {@link Db#sync()} after the first {@code next()} of a lease
 * if it must, or turn {@code syncWrites} on. {@link #release()} writes back the unused part of
 * the lease so that the next lease starts there, without a gap.
 *
 * <p>Several sequences on one key, in this process, take turns at leasing and never hand out the
 * same number. Writing the key by other means (a delete resets the counter to 0) breaks the
 * guarantee; so does another process, which cannot open the directory while this one holds it.
 *
 * <p>Thread-safe: {@code next()} may be called from any number of threads.
 */
public interface Sequence extends AutoCloseable {
  /**
   * The next number; leases more first (a commit) when the current lease is used up.
   *
   * @return a number greater than every number this sequence handed out before
   * @throws IllegalStateException if the counter would pass {@link Long#MAX_VALUE}, or the key
   *     holds a value that is not a counter
   * @throws DbClosedException if a lease is needed and the database is closed
   */
  long next();

  /**
   * Gives the unused rest of the lease back (stores the next number as the counter), so that the
   * next lease starts there. The sequence stays usable: a later {@link #next()} leases again.
   *
   * @throws IllegalStateException if the stored counter is no longer this sequence's lease end
   *     (another sequence on the key leased since): nothing is written then
   * @throws DbClosedException if the database is closed
   */
  void release();

  /** Same as {@link #release()}, so a sequence can be used in try-with-resources. */
  @Override
  default void close() {
    release();
  }
}
