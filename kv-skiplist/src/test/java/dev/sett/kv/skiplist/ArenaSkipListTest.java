package dev.sett.kv.skiplist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.MemTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
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

  /**
   * A thread's puts start from its last splice when that still brackets the key (sorted
   * batches): puts into two skiplists interleaved on one thread, runs in order, out of order,
   * repeats and replacements, and a recycled arena, must all land where a full search puts them.
   */
  @Test
  void putsFromTheLastSplice_landWhereAFullSearchPutsThem() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    MemTable a = factory().create(8 << 20);
    MemTable b = factory().create(8 << 20);
    TreeMap<String, String> modelA = new TreeMap<>();
    TreeMap<String, String> modelB = new TreeMap<>();
    for (int batch = 0; batch < 200; batch++) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(60); i++) {
        keys.add(String.format("k%05d", random.nextInt(20_000)));
      }
      if (random.nextInt(4) != 0) {
        keys.sort(null); // most batches in order, as commits insert them
      }
      for (String k : keys) {
        boolean intoA = random.nextInt(5) != 0;
        MemTable mt = intoA ? a : b;
        String v = "v" + batch;
        assertTrue(mt.put(k.getBytes(StandardCharsets.UTF_8), 7, (byte) 0, (byte) 0, 0,
            v.getBytes(StandardCharsets.UTF_8)), "seed " + seed);
        (intoA ? modelA : modelB).put(k, v);
      }
    }
    assertEquals(modelA, contents(a), "seed " + seed);
    assertEquals(modelB, contents(b), "seed " + seed);
    MemTable c = a.recycle(); // same arena, new skiplist: the thread's splice must not carry over
    TreeMap<String, String> modelC = new TreeMap<>();
    for (int i = 0; i < 3000; i++) {
      String k = String.format("k%05d", random.nextInt(20_000));
      assertTrue(c.put(k.getBytes(StandardCharsets.UTF_8), 7, (byte) 0, (byte) 0, 0,
          k.getBytes(StandardCharsets.UTF_8)), "seed " + seed);
      modelC.put(k, k);
    }
    assertEquals(modelC, contents(c), "seed " + seed);
  }

  @Test
  void release_freesTheArena_onThisJvm() {
    // The freeing path must be live where the project runs (JDK 17 and 25): without it, released
    // arenas wait for the garbage collector, which held gigabytes with hundreds of databases.
    assertTrue(DirectMemory.canFree());
    MemTable mt = factory().create(4 << 20);
    mt.put("k".getBytes(StandardCharsets.UTF_8), 1, (byte) 0, (byte) 0, 0, new byte[10]);
    mt.release();
    MemTable next = factory().create(4 << 20);
    assertTrue(next.put("k".getBytes(StandardCharsets.UTF_8), 1, (byte) 0, (byte) 0, 0,
        new byte[10]));
    next.release();
  }

  private static TreeMap<String, String> contents(MemTable mt) {
    TreeMap<String, String> out = new TreeMap<>();
    String last = null;
    try (EntryIterator it = mt.iterator()) {
      for (it.seekToFirst(); it.valid(); it.next()) {
        String k = new String(it.key(), StandardCharsets.UTF_8);
        assertTrue(last == null || k.compareTo(last) > 0, "in order: " + last + " then " + k);
        last = k;
        out.put(k, new String(it.value().value(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
