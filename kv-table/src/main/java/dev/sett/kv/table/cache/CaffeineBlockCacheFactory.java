package dev.sett.kv.table.cache;

import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.BlockCacheFactory;

/**
 * Creates {@link CaffeineBlockCache}s: provider {@value #NAME}, the default block and index cache.
 *
 * <p>Stateless and thread-safe; found by {@link java.util.ServiceLoader}.
 */
public final class CaffeineBlockCacheFactory implements BlockCacheFactory {

  /** The provider name: {@value}. */
  public static final String NAME = "caffeine";

  /** Creates the factory (called by {@link java.util.ServiceLoader}). */
  public CaffeineBlockCacheFactory() {}

  /**
   * The provider name.
   *
   * @return {@value #NAME}
   */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Creates a cache bounded by the bytes of the blocks it holds (plus a fixed overhead per
   * block); capacity 0 gives a cache that holds nothing.
   *
   * @param capacityBytes the bound in bytes, at least 0
   * @return the cache
   * @throws IllegalArgumentException if the capacity is negative
   */
  @Override
  public BlockCache create(long capacityBytes) {
    checkCapacity(capacityBytes);
    return capacityBytes == 0 ? NoBlockCache.INSTANCE : new CaffeineBlockCache(capacityBytes);
  }

  static void checkCapacity(long capacityBytes) {
    if (capacityBytes < 0) {
      throw new IllegalArgumentException(
          "block cache capacity must be at least 0 bytes, got " + capacityBytes);
    }
  }

  @Override
  public String toString() {
    return "CaffeineBlockCacheFactory[" + NAME + "]";
  }
}
