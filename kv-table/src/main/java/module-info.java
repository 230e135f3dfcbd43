/**
 * Sett's table module: the {@code sst-v1} SSTable format ({@link dev.sett.kv.spi.TableFormat})
 * and two block caches ({@link dev.sett.kv.spi.BlockCacheFactory}): {@code caffeine}, the
 * default, and {@code none}, which holds nothing.
 *
 * <p>The module exports nothing: the engine reaches the providers only through their SPIs, found
 * by {@link java.util.ServiceLoader}. LZ4 and Caffeine stay out of every public signature.
 */
module dev.sett.kv.table {
  requires dev.sett.kv;
  requires org.lz4.java;
  requires com.github.benmanes.caffeine;

  provides dev.sett.kv.spi.TableFormat with
      dev.sett.kv.table.SstV1Format;
  provides dev.sett.kv.spi.BlockCacheFactory with
      dev.sett.kv.table.cache.CaffeineBlockCacheFactory,
      dev.sett.kv.table.cache.NoBlockCacheFactory;
}
