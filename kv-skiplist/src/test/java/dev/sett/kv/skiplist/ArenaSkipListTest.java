package dev.sett.kv.skiplist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;
import dev.sett.kv.testkit.MemTableContract;
import org.junit.jupiter.api.Test;

/** The {@code skiplist} provider against the memtable contract, plus what only the arena has. */
class ArenaSkipListTest extends MemTableContract {

  @Override
  protected MemTableFactory factory() {
    return new ArenaSkipListFactory();
  }

  @Test
  void name_isSkiplist_theSpiDefault() {
    assertEquals(MemTableFactory.DEFAULT_NAME, factory().name());
  }

  @Test
  void create_rejectsArenaTooSmallForTheHead() {
    assertThrows(IllegalArgumentException.class,
        () -> factory().create(ArenaSkipList.MIN_CAPACITY - 1));
    MemTable mt = factory().create(ArenaSkipList.MIN_CAPACITY);
    assertEquals(ArenaSkipList.MIN_CAPACITY, mt.sizeBytes(), "the head fills it exactly");
    assertFalse(mt.put(key("a"), 1, (byte) 0, (byte) 0, 0, new byte[0]));
    assertEquals(0, mt.count());
  }

  @Test
  void sizeBytes_countsArenaBytes_andStaysEightAligned() {
    MemTable mt = factory().create(1 << 20);
    long empty = mt.sizeBytes();
    assertEquals(ArenaSkipList.MIN_CAPACITY, empty, "null word and head node");
    for (int i = 1; i <= 100; i++) {
      long before = mt.sizeBytes();
      assertTrue(mt.put(new byte[i % 13 + 1], i, (byte) 0, (byte) 0, 0, new byte[i % 7]));
      long taken = mt.sizeBytes() - before;
      assertEquals(0, mt.sizeBytes() % 8, "allocations keep nodes aligned");
      // node header 24 + tower 4..80, key, value header 10, value; rounded up to 8
      long least = 24 + 4 + (i % 13 + 1) + 10 + (i % 7);
      assertTrue(taken >= least && taken <= mt.footprint(i % 13 + 1, i % 7),
          "put " + i + " took " + taken);
    }
  }

  @Test
  void put_refusedForTheNode_stillAcceptsASmallerEntry() {
    // Room for the head and a bit: a big entry is refused, a small one still fits after it,
    // because a refused allocation does not move the bump pointer.
    MemTable mt = factory().create(ArenaSkipList.MIN_CAPACITY + 400);
    assertFalse(mt.put(key("big"), 1, (byte) 0, (byte) 0, 0, new byte[1000]));
    assertEquals(ArenaSkipList.MIN_CAPACITY, mt.sizeBytes());
    assertTrue(mt.put(key("small"), 1, (byte) 0, (byte) 0, 0, new byte[10]));
    assertEquals(1, mt.count());
  }

  @Test
  void footprint_isTightForTheTallestNode() {
    MemTable mt = factory().create(1 << 20);
    for (int k = 1; k < 40; k++) {
      for (int v = 0; v < 40; v++) {
        long fp = mt.footprint(k, v);
        assertEquals(0, fp % 8);
        assertTrue(fp >= 24 + 80 + k + 10 + v && fp <= k + v + 121, k + "/" + v + ": " + fp);
      }
    }
  }
}
