package dev.sett.kv.internal;

import dev.sett.kv.spi.BlockCache;

/**
 * One database's view of a {@link BlockCache} shared by several: it moves the database's table
 * ids into a namespace of their own, so databases whose table ids are equal never see each
 * other's blocks and {@link #invalidate} drops only this database's table. Works over any
 * provider's cache (the SPI is unchanged).
 *
 * <p>The key given to the shared cache is {@code namespace << 32 | tableId}. A table id of
 * {@value #MAX_TABLE_ID} or more (four billion tables in one database) does not fit: such tables
 * are not cached (a miss is never an error). Thread-safe as the cache is; holds no state of its
 * own besides the namespace.
 */
public final class NamespacedBlockCache implements BlockCache {
  /** Table ids below this are cached. */
  public static final long MAX_TABLE_ID = 1L << 32;

  private final BlockCache shared;
  private final long base;

  /**
   * @param shared the shared cache
   * @param namespace the database's namespace, from 1 to 2^31 - 1
   */
  public NamespacedBlockCache(BlockCache shared, long namespace) {
    if (namespace < 1 || namespace > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("namespace must be in [1, 2^31 - 1], got " + namespace);
    }
    this.shared = shared;
    this.base = namespace << 32;
  }

  private static boolean fits(long tableId) {
    return tableId >= 0 && tableId < MAX_TABLE_ID;
  }

  @Override
  public byte[] get(long tableId, int blockIndex) {
    return fits(tableId) ? shared.get(base | tableId, blockIndex) : null;
  }

  @Override
  public void put(long tableId, int blockIndex, byte[] block) {
    if (fits(tableId)) {
      shared.put(base | tableId, blockIndex, block);
    }
  }

  @Override
  public void invalidate(long tableId) {
    if (fits(tableId)) {
      shared.invalidate(base | tableId);
    }
  }

  /** The shared cache's bytes, every database's blocks included. */
  @Override
  public long sizeBytes() {
    return shared.sizeBytes();
  }

  /** The shared cache's capacity. */
  @Override
  public long capacityBytes() {
    return shared.capacityBytes();
  }

  @Override
  public String toString() {
    return "NamespacedBlockCache[" + (base >>> 32) + " in " + shared + "]";
  }
}
