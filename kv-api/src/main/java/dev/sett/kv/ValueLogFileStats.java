package dev.sett.kv;

/**
 * One value log file in {@link DbStats}: its size and how much of it compactions have found to be
 * garbage (values of keys since overwritten, deleted, expired, or versions beyond
 * {@code numVersionsToKeep}), which value log garbage collection can reclaim.
 *
 * @param fileId the file's id (its name is the id in six or more digits and {@code .vlog})
 * @param sizeBytes the file's length
 * @param garbageBytes bytes of records counted as garbage; the rest is live or not yet known to
 *     be garbage (counts come from compactions, so recent overwrites show up once compacted)
 */
public record ValueLogFileStats(long fileId, long sizeBytes, long garbageBytes) {

  /**
   * Bytes not known to be garbage: live values, and garbage that compactions have not found yet
   * (for example overwritten values whose old versions are still in the memtables or level 0).
   *
   * @return {@code sizeBytes - garbageBytes}, at least 0
   */
  public long liveBytes() {
    return Math.max(0, sizeBytes - garbageBytes);
  }

  /**
   * The share of the file that is known garbage.
   *
   * @return {@code garbageBytes / sizeBytes}, 0 for an empty file
   */
  public double garbageRatio() {
    return sizeBytes == 0 ? 0 : Math.min(1.0, (double) garbageBytes / sizeBytes);
  }
}
