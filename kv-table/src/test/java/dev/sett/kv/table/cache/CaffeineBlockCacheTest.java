package dev.sett.kv.table.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.BlockCacheFactory;
import dev.sett.kv.testkit.BlockCacheContract;
import org.junit.jupiter.api.Test;

/** The {@code caffeine} provider against the block cache contract. */
class CaffeineBlockCacheTest extends BlockCacheContract {

  @Override
  protected BlockCacheFactory factory() {
    return new CaffeineBlockCacheFactory();
  }

  @Test
  void name_isCaffeine() {
    assertEquals("caffeine", factory().name());
  }

  @Test
  void sizeBytes_isTheBlockLengthsPlusTheOverheadEstimate() {
    BlockCache c = factory().create(1 << 20);
    c.put(1, 0, new byte[1000]);
    c.put(1, BlockCache.INDEX_BLOCK, new byte[24]);
    assertNotNull(c.get(1, 0));
    assertEquals(1024 + 2 * CaffeineBlockCache.ENTRY_OVERHEAD, c.sizeBytes());
  }
}
