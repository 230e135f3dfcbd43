package dev.sett.kv.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.internal.ProviderRegistry;
import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.BlockCacheFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The contract every {@link BlockCacheFactory} and its {@link BlockCache}s must meet. A
 * provider's test class extends this and implements {@link #factory()}; a provider that never
 * keeps anything (such as {@code none}) also overrides {@link #holdsBlocks()}.
 *
 * <p>Covered: negative capacities refused; capacity 0 holds nothing; a get after a put returns
 * the block (for caches that hold blocks) and never another block; the reserved index and bloom
 * slots are blocks of their own; the weight bound holds after every put, whatever the block
 * sizes; a block heavier than the cache is not kept; {@code invalidate} drops exactly one table's
 * blocks; concurrent puts, gets and invalidations keep the bound and never mix blocks up.
 */
public abstract class BlockCacheContract {

  /** For subclasses: one per provider. */
  protected BlockCacheContract() {}

  /**
   * The provider under test.
   *
   * @return a factory, possibly a new one per call
   */
  protected abstract BlockCacheFactory factory();

  /**
   * Whether the provider's caches keep blocks at all when they have room.
   *
   * @return {@code true} unless overridden
   */
  protected boolean holdsBlocks() {
    return true;
  }

  @Test
  void name_isAValidProviderName() {
    assertTrue(ProviderRegistry.isValidName(factory().name()), factory().name());
  }

  @Test
  void create_rejectsNegativeCapacity() {
    assertThrows(IllegalArgumentException.class, () -> factory().create(-1));
    assertThrows(IllegalArgumentException.class, () -> factory().create(Long.MIN_VALUE));
  }

  @Test
  void capacityZero_holdsNothing() {
    BlockCache c = factory().create(0);
    assertEquals(0, c.capacityBytes());
    c.put(1, 0, block(1, 0, 100));
    c.put(1, BlockCache.INDEX_BLOCK, block(1, -1, 100));
    assertNull(c.get(1, 0));
    assertNull(c.get(1, BlockCache.INDEX_BLOCK));
    assertEquals(0, c.sizeBytes());
  }

  @Test
  void getAfterPut_returnsTheBlock_andMissesAreNull() {
    BlockCache c = factory().create(1 << 20);
    assertEquals(holdsBlocks() ? 1 << 20 : 0, c.capacityBytes());
    assertEquals(0, c.sizeBytes());
    assertNull(c.get(7, 0), "empty cache");
    byte[] b = block(7, 0, 1000);
    c.put(7, 0, b);
    if (holdsBlocks()) {
      assertArrayEquals(b, c.get(7, 0));
      assertTrue(c.sizeBytes() >= 1000 && c.sizeBytes() <= c.capacityBytes(),
          "size " + c.sizeBytes());
    } else {
      assertNull(c.get(7, 0));
      assertEquals(0, c.sizeBytes());
    }
    assertNull(c.get(7, 1), "another block of the table");
    assertNull(c.get(8, 0), "the same block of another table");
    assertNull(c.get(7, BlockCache.INDEX_BLOCK), "the table's index");
  }

  @Test
  void put_ofTheSameBlock_replacesIt() {
    BlockCache c = factory().create(1 << 20);
    c.put(3, 2, block(3, 2, 500));
    byte[] again = block(3, 2, 700);
    c.put(3, 2, again);
    if (holdsBlocks()) {
      assertArrayEquals(again, c.get(3, 2));
      assertTrue(c.sizeBytes() >= 700 && c.sizeBytes() < 1200 + 1024,
          "the first copy no longer counts: " + c.sizeBytes());
    }
  }

  @Test
  void indexAndBloomSlots_areBlocksOfTheirOwn() {
    BlockCache c = factory().create(1 << 20);
    byte[] data = block(5, 0, 64);
    byte[] index = block(5, BlockCache.INDEX_BLOCK, 64);
    byte[] bloom = block(5, BlockCache.BLOOM_BLOCK, 64);
    c.put(5, 0, data);
    c.put(5, BlockCache.INDEX_BLOCK, index);
    c.put(5, BlockCache.BLOOM_BLOCK, bloom);
    if (holdsBlocks()) {
      assertArrayEquals(data, c.get(5, 0));
      assertArrayEquals(index, c.get(5, BlockCache.INDEX_BLOCK));
      assertArrayEquals(bloom, c.get(5, BlockCache.BLOOM_BLOCK));
    }
    c.invalidate(5);
    assertNull(c.get(5, BlockCache.INDEX_BLOCK), "invalidate drops the index too");
    assertNull(c.get(5, BlockCache.BLOOM_BLOCK));
    assertNull(c.get(5, 0));
  }

  @Test
  void weightBound_holdsAfterEveryPut(TestInfo info) {
    long seed = TestSeeds.seed(info);
    Random random = new Random(seed);
    long capacity = 64 << 10;
    BlockCache c = factory().create(capacity);
    for (int i = 0; i < 2000; i++) {
      int size = random.nextInt(8) == 0 ? 8000 + random.nextInt(8000) : random.nextInt(2000);
      long table = random.nextInt(20);
      int index = random.nextInt(50);
      c.put(table, index, block(table, index, size));
      assertTrue(c.sizeBytes() <= c.capacityBytes(), "seed " + TestSeeds.format(seed)
          + ": " + c.sizeBytes() + " bytes held after put " + i);
      byte[] got = c.get(table, random.nextInt(50));
      if (got != null) {
        assertEquals(table, readLong(got, 0), "a block of another table");
      }
    }
    if (holdsBlocks()) {
      assertTrue(c.sizeBytes() > capacity / 4, "a full cache holds blocks: " + c.sizeBytes());
    } else {
      assertEquals(0, c.sizeBytes());
    }
  }

  @Test
  void blockHeavierThanTheCache_isNotKept() {
    BlockCache c = factory().create(4096);
    byte[] small = block(1, 0, 1000);
    c.put(1, 0, small);
    c.put(1, 1, block(1, 1, 10_000));
    assertNull(c.get(1, 1));
    assertTrue(c.sizeBytes() <= c.capacityBytes());
  }

  @Test
  void invalidate_dropsExactlyOneTable() {
    BlockCache c = factory().create(1 << 20);
    for (long table = 1; table <= 3; table++) {
      for (int i = BlockCache.BLOOM_BLOCK; i < 10; i++) {
        c.put(table, i, block(table, i, 100));
      }
    }
    long before = c.sizeBytes();
    c.invalidate(2);
    for (int i = BlockCache.BLOOM_BLOCK; i < 10; i++) {
      assertNull(c.get(2, i), "block " + i + " of the invalidated table");
      if (holdsBlocks()) {
        assertArrayEquals(block(1, i, 100), c.get(1, i));
        assertArrayEquals(block(3, i, 100), c.get(3, i));
      }
    }
    if (holdsBlocks()) {
      assertTrue(c.sizeBytes() < before && c.sizeBytes() > 0, c.sizeBytes() + " of " + before);
    }
    c.invalidate(99); // nothing cached: no effect, no error
  }

  @Test
  void concurrentUse_keepsTheBound_andNeverMixesBlocks(TestInfo info) throws Exception {
    long seed = TestSeeds.seed(info);
    long capacity = 256 << 10;
    BlockCache c = factory().create(capacity);
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      Random random = new Random(seed + w);
      Thread t = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < 20_000; i++) {
            long table = random.nextInt(16);
            int index = random.nextInt(64) - 2;
            switch (random.nextInt(10)) {
              case 0:
                c.invalidate(table);
                break;
              case 1:
              case 2:
              case 3:
                c.put(table, index, block(table, index, 64 + random.nextInt(4000)));
                break;
              default:
                byte[] b = c.get(table, index);
                if (b != null && (readLong(b, 0) != table || readLong(b, 8) != index)) {
                  throw new AssertionError("got block " + readLong(b, 0) + "/" + readLong(b, 8)
                      + " for " + table + "/" + index);
                }
                break;
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "block-cache-contract-" + w);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    start.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.MINUTES.toMillis(2));
      assertFalse(t.isAlive(), t.getName() + " still running");
    }
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError("seed " + TestSeeds.format(seed) + ": "
          + failures.size() + " thread(s) failed", failures.peek());
      failures.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }
    assertTrue(c.sizeBytes() <= c.capacityBytes(), c.sizeBytes() + " bytes held");
  }

  /** A block of {@code size} bytes (at least 16) that names its table and index. */
  private static byte[] block(long table, int index, int size) {
    byte[] b = new byte[Math.max(16, size)];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (table >>> (56 - 8 * i));
      b[8 + i] = (byte) ((long) index >>> (56 - 8 * i));
    }
    for (int i = 16; i < b.length; i++) {
      b[i] = (byte) (i * 31 + table + index);
    }
    return b;
  }

  private static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }
}
