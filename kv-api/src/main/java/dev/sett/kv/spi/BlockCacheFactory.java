package dev.sett.kv.spi;

/**
 * Creates block caches. Provided by {@code kv-table}: {@code caffeine} (default) and {@code none}
 * (which caches nothing, for experiments that measure the raw read path).
 */
public interface BlockCacheFactory extends NamedProvider {

  /** The cache used when none is named: {@value}. */
  String DEFAULT_NAME = "caffeine";

  /**
   * Creates a cache.
   *
   * @param capacityBytes the most bytes of blocks it may hold; 0 for a cache that holds nothing
   * @return the cache
   */
  BlockCache create(long capacityBytes);
}
