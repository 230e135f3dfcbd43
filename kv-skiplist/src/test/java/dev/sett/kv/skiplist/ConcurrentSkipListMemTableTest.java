package dev.sett.kv.skiplist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;
import dev.sett.kv.testkit.MemTableContract;
import org.junit.jupiter.api.Test;

/** The {@code concurrent-skiplist} provider against the memtable contract. */
class ConcurrentSkipListMemTableTest extends MemTableContract {

  @Override
  protected MemTableFactory factory() {
    return new ConcurrentSkipListFactory();
  }

  @Test
  void name_isConcurrentSkiplist() {
    assertEquals("concurrent-skiplist", factory().name());
  }

  @Test
  void sizeBytes_isTheSumOfFootprints_replacementsIncluded() {
    MemTable mt = factory().create(1 << 20);
    assertEquals(0, mt.sizeBytes());
    assertTrue(mt.put(key("a"), 1, (byte) 0, (byte) 0, 0, new byte[5]));
    assertTrue(mt.put(key("a"), 1, (byte) 0, (byte) 0, 0, new byte[9]));
    assertEquals(mt.footprint(1, 5) + mt.footprint(1, 9), mt.sizeBytes());
    assertEquals(1, mt.count());
  }

  @Test
  void zeroCapacity_refusesEverything() {
    MemTable mt = factory().create(0);
    assertFalse(mt.put(key("a"), 1, (byte) 0, (byte) 0, 0, new byte[0]));
    assertEquals(0, mt.sizeBytes());
  }
}
