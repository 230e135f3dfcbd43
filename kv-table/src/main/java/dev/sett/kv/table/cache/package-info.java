/**
 * Block cache providers: {@link dev.sett.kv.table.cache.CaffeineBlockCacheFactory} (provider
 * {@code caffeine}, the default), a byte-weighted Caffeine cache, and {@link
 * dev.sett.kv.table.cache.NoBlockCacheFactory} (provider {@code none}), which holds nothing.
 *
 * <p>Thread safety: factories are stateless; every cache is safe for concurrent use. Neither
 * starts threads: Caffeine's maintenance runs on the threads that use the cache.
 */
package dev.sett.kv.table.cache;
