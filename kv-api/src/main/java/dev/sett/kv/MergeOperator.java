package dev.sett.kv;

/**
 * Merges the values added to one key (Badger's {@code MergeOperator}), from {@link
 * Db#getMergeOperator}. Each {@link #add} commits its value as a new version of the key, marked
 * as a merge operand, so adding never reads and never conflicts. {@link #get} folds the operands
 * into one value with the merge function; in the background, every interval, the operator writes
 * that folded value in place of the operands (at the newest operand's version, discarding the
 * older ones), so the fold stays short and compactions can drop what it replaced. A plain {@code
 * txn.get(key)} returns the newest operand, not the merged value, as in Badger.
 *
 * <p>The fold starts from the newest operand and works back to the oldest, calling {@code
 * fn.apply(older, mergedSoFar)}, until a deletion of the key, an expired version or a merged
 * value written before. Thread-safe.
 */
public interface MergeOperator extends AutoCloseable {

  /**
   * Adds a value to merge (one commit).
   *
   * @param value the operand
   * @throws IllegalStateException after {@link #stop}
   * @throws DbClosedException if the database is closed
   */
  void add(byte[] value);

  /**
   * The merged value of every operand committed so far.
   *
   * @return the merged value, or {@code null} if the key has no operand (or was deleted after
   *     the last one)
   * @throws DbClosedException if the database is closed
   */
  byte[] get();

  /**
   * Stops the background merging and merges once more, so the key holds one merged value.
   * Idempotent; the database closes its merge operators this way too.
   */
  void stop();

  /** Same as {@link #stop()}. */
  @Override
  default void close() {
    stop();
  }
}
