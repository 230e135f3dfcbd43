package dev.sett.kv.table.cache;

import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.BlockCacheFactory;

/**
 * Creates caches that hold nothing: provider {@value #NAME}, for experiments that measure the raw
 * read path (every block read goes to the file).
 *
 * <p>Stateless and thread-safe; found by {@link java.util.ServiceLoader}.
 */
public final class NoBlockCacheFactory implements BlockCacheFactory {

  /** The provider name: {@value}. */
  public static final String NAME = "none";

  /** Creates the factory (called by {@link java.util.ServiceLoader}). */
  public NoBlockCacheFactory() {}

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
   * Returns a cache that holds nothing, whatever the capacity.
   *
   * @param capacityBytes ignored beyond its check; the cache's capacity is 0
   * @return the empty cache
   * @throws IllegalArgumentException if the capacity is negative
   */
  @Override
  public BlockCache create(long capacityBytes) {
    CaffeineBlockCacheFactory.checkCapacity(capacityBytes);
    return NoBlockCache.INSTANCE;
  }

  @Override
  public String toString() {
    return "NoBlockCacheFactory[" + NAME + "]";
  }
}
