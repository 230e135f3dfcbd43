package dev.sett.kv.table.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.BlockCacheFactory;
import dev.sett.kv.testkit.BlockCacheContract;
import org.junit.jupiter.api.Test;

/** The {@code none} provider against the block cache contract. */
class NoBlockCacheTest extends BlockCacheContract {

  @Override
  protected BlockCacheFactory factory() {
    return new NoBlockCacheFactory();
  }

  @Override
  protected boolean holdsBlocks() {
    return false;
  }

  @Test
  void name_isNone() {
    assertEquals("none", factory().name());
  }

  @Test
  void anyCapacity_holdsNothing() {
    BlockCache c = factory().create(1L << 40);
    assertEquals(0, c.capacityBytes());
    c.put(1, 0, new byte[10]);
    assertNull(c.get(1, 0));
  }
}
