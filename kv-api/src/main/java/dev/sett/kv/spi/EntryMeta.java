package dev.sett.kv.spi;

/**
 * Bits of the meta byte stored with every internal entry. The bits are part of the file formats:
 * never renumber them.
 */
public final class EntryMeta {
  /** The entry is a tombstone: the key is deleted at this version. */
  public static final byte DELETE = 0x01;
  /** The value field holds a pointer into the value log, not the value. */
  public static final byte VALUE_POINTER = 0x02;
  /** Older versions of the key may be dropped by compaction. */
  public static final byte DISCARD_EARLIER_VERSIONS = 0x04;
  /**
   * A merge operand (Badger's {@code bitMergeEntry}, written by a merge operator): not counted
   * against {@code numVersionsToKeep}, so compactions keep every operand until a version that
   * ends the key (a tombstone, or the merged value, which discards earlier versions) is newer.
   */
  public static final byte MERGE = 0x08;

  /**
   * Whether a version counts against {@code numVersionsToKeep} (the rule compactions, value log
   * garbage collection and {@code allVersions} iterators share): every version but a merge
   * operand.
   *
   * @param meta the meta byte
   * @return {@code true} unless it is a merge operand
   */
  public static boolean countsAsVersion(byte meta) {
    return (meta & MERGE) == 0;
  }
  /** The entry belongs to a transaction whose commit marker follows it (WAL only). */
  public static final byte TXN = 0x40;
  /** The entry is a transaction's commit marker (WAL only; never in a memtable). */
  public static final byte FIN_TXN = (byte) 0x80;

  private EntryMeta() {}

  /**
   * Whether a version with this meta and expiry is invisible to normal reads.
   *
   * @param meta the meta byte
   * @param expiresAt Unix seconds, 0 for never
   * @param nowSeconds the current Unix time in seconds
   * @return {@code true} if deleted or expired
   */
  public static boolean isDeletedOrExpired(byte meta, long expiresAt, long nowSeconds) {
    return (meta & DELETE) != 0 || (expiresAt != 0 && expiresAt <= nowSeconds);
  }
}
