package dev.sett.kv.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.kv.internal.Keys;
import dev.sett.kv.internal.ProviderRegistry;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.EntryMeta;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;
import dev.sett.kv.spi.StoredValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The contract every {@link MemTableFactory} and its {@link MemTable}s must meet. A provider's
 * test class extends this and implements {@link #factory()}; every test here then runs against
 * it.
 *
 * <p>Covered: versions of one key and {@code get} at every read timestamp; tombstones returned
 * like any value; replacement of an existing {@code (key, version)}; iteration in internal order
 * both ways; the exact landing spot of {@code seek}, {@code seekForPrev}, {@code prev} and {@code
 * seekToLast}, including targets between keys and beyond either end; refusal at capacity leaving
 * earlier entries intact; recycling (an empty memtable that holds as much again); the footprint
 * bound; concurrent puts from four threads with readers
 * running at the same time. Randomised tests print their seed ({@link TestSeeds}) and put it in
 * every failure message.
 */
public abstract class MemTableContract {

  /** Capacity of the memtables most tests use: room for everything they put. */
  protected static final long CAPACITY = 8L << 20;

  /** For subclasses: one per provider. */
  protected MemTableContract() {}

  /**
   * The provider under test.
   *
   * @return a factory, possibly a new one per call
   */
  protected abstract MemTableFactory factory();

  /**
   * A fresh memtable of {@link #CAPACITY} bytes.
   *
   * @return the memtable
   */
  protected MemTable newMemTable() {
    return factory().create(CAPACITY);
  }

  // ---------------------------------------------------------------------------------------------
  // Creation

  @Test
  void name_isAValidProviderName() {
    assertTrue(ProviderRegistry.isValidName(factory().name()), factory().name());
  }

  @Test
  void create_rejectsCapacityBeyondIntOffsets() {
    MemTableFactory f = factory();
    assertThrows(IllegalArgumentException.class, () -> f.create(Integer.MAX_VALUE - 1023L));
    assertThrows(IllegalArgumentException.class, () -> f.create(Long.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> f.create(-1));
  }

  @Test
  void empty_hasNothing() {
    MemTable mt = newMemTable();
    assertEquals(CAPACITY, mt.capacityBytes());
    assertEquals(0, mt.count());
    assertEquals(0, mt.maxVersion());
    assertTrue(mt.sizeBytes() >= 0 && mt.sizeBytes() <= mt.capacityBytes());
    assertNull(mt.get(key("a"), Long.MAX_VALUE));
    try (EntryIterator it = mt.iterator()) {
      assertFalse(it.valid(), "new iterator is unpositioned");
      it.seekToFirst();
      assertFalse(it.valid());
      it.seekToLast();
      assertFalse(it.valid());
      it.seek(key("a"), Long.MAX_VALUE);
      assertFalse(it.valid());
      it.seekForPrev(key("a"), 0);
      assertFalse(it.valid());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // get

  @Test
  void get_atEveryReadTs_returnsNewestVersionAtOrBelowIt() {
    MemTable mt = newMemTable();
    // Neighbours that share a prefix must never leak into gets of "k".
    put(mt, "kk", 1, "kk1");
    put(mt, "j", 4, "j4");
    put(mt, "k", 5, "v5");
    put(mt, "k", 3, "v3");
    put(mt, "k", 9, "v9");
    for (long readTs = 0; readTs <= 12; readTs++) {
      long expected = readTs >= 9 ? 9 : readTs >= 5 ? 5 : readTs >= 3 ? 3 : 0;
      StoredValue v = mt.get(key("k"), readTs);
      if (expected == 0) {
        assertNull(v, "readTs " + readTs);
      } else {
        assertNotNull(v, "readTs " + readTs);
        assertEquals(expected, v.version(), "readTs " + readTs);
        assertArrayEquals(key("v" + expected), v.value(), "readTs " + readTs);
      }
    }
    assertEquals(9, mt.get(key("k"), Long.MAX_VALUE).version());
    assertNull(mt.get(key("ka"), Long.MAX_VALUE), "absent key between k and kk");
    assertNull(mt.get(key("a"), Long.MAX_VALUE), "absent key before all");
    assertNull(mt.get(key("z"), Long.MAX_VALUE), "absent key after all");
    assertNull(mt.get(new byte[] {'k', 0}, Long.MAX_VALUE), "k plus a zero byte is another key");
    assertEquals(5, mt.count());
    assertEquals(9, mt.maxVersion());
  }

  @Test
  void get_returnsMetaUserMetaAndExpiry() {
    MemTable mt = newMemTable();
    byte[] pointer = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    assertTrue(mt.put(key("p"), 7, EntryMeta.VALUE_POINTER, (byte) 0xfe, 1_700_000_000L, pointer));
    StoredValue v = mt.get(key("p"), 7);
    assertStored(v, 7, EntryMeta.VALUE_POINTER, (byte) 0xfe, 1_700_000_000L, pointer);
    assertNull(mt.get(key("p"), 6));
  }

  @Test
  void get_returnsTombstonesLikeAnyVersion() {
    MemTable mt = newMemTable();
    put(mt, "k", 2, "live");
    assertTrue(mt.put(key("k"), 4, EntryMeta.DELETE, (byte) 0, 0, new byte[0]));
    StoredValue tomb = mt.get(key("k"), 10);
    assertStored(tomb, 4, EntryMeta.DELETE, (byte) 0, 0, new byte[0]);
    assertArrayEquals(key("live"), mt.get(key("k"), 3).value(), "older version still readable");
    assertEquals(2, mt.count());
  }

  @Test
  void put_sameKeyAndVersion_replacesValue() {
    MemTable mt = newMemTable();
    put(mt, "k", 5, "first");
    put(mt, "k", 4, "older");
    assertTrue(mt.put(key("k"), 5, EntryMeta.DELETE, (byte) 3, 99, key("second")));
    assertStored(mt.get(key("k"), 5), 5, EntryMeta.DELETE, (byte) 3, 99, key("second"));
    assertEquals(2, mt.count(), "a replacement is not a new entry");
    assertEquals(5, mt.maxVersion());
    try (EntryIterator it = mt.iterator()) {
      it.seekToFirst();
      assertEntry(it, "k", 5);
      assertArrayEquals(key("second"), it.value().value());
      it.next();
      assertEntry(it, "k", 4);
      it.next();
      assertFalse(it.valid(), "exactly one entry per (key, version)");
    }
  }

  @Test
  void put_copiesItsArguments_andAccessorsReturnCopies() {
    MemTable mt = newMemTable();
    byte[] k = key("key");
    byte[] v = key("value");
    put(mt, k, 1, v);
    k[0] = 'X';
    v[0] = 'X';
    assertArrayEquals(key("value"), mt.get(key("key"), 1).value());
    mt.get(key("key"), 1).value()[0] = 'Y';
    assertArrayEquals(key("value"), mt.get(key("key"), 1).value());
    try (EntryIterator it = mt.iterator()) {
      it.seekToFirst();
      it.key()[0] = 'Z';
      it.value().value()[0] = 'Z';
      assertArrayEquals(key("key"), it.key());
      assertArrayEquals(key("value"), it.value().value());
    }
  }

  @Test
  void put_handlesLargestKeyAndLargeValues() {
    MemTable mt = newMemTable();
    byte[] big = new byte[65_000];
    Arrays.fill(big, (byte) 0xab);
    byte[] value = new byte[1 << 20];
    new Random(7).nextBytes(value);
    put(mt, big, 3, value);
    put(mt, key("small"), 1, new byte[0]);
    assertArrayEquals(value, mt.get(big, 3).value());
    assertArrayEquals(new byte[0], mt.get(key("small"), 1).value());
    try (EntryIterator it = mt.iterator()) {
      it.seekToLast();
      assertArrayEquals(big, it.key(), "0xab... sorts after 's' (unsigned)");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Order and navigation

  @Test
  void iteration_followsInternalOrderBothWays(TestInfo info) {
    long seed = TestSeeds.seed(info);
    byte[][] keys = {
      {0x00}, {0x01}, {0x7f}, {(byte) 0x80}, {(byte) 0xff}, {(byte) 0xff, (byte) 0xff},
      key("a"), key("ab"), key("abc"), key("ab\u0000"), key("b"), {0x00, 0x00}
    };
    long[] versions = {1, 2, 10, 255, 256, Long.MAX_VALUE};
    List<Object[]> expected = new ArrayList<>();
    for (byte[] k : keys) {
      for (long v : versions) {
        expected.add(new Object[] {k, v});
      }
    }
    List<Object[]> insertion = new ArrayList<>(expected);
    Collections.shuffle(insertion, new Random(seed));
    MemTable mt = newMemTable();
    for (Object[] e : insertion) {
      put(mt, (byte[]) e[0], (long) e[1], (byte[]) e[0]);
    }
    expected.sort((a, b) ->
        Keys.compareInternal((byte[]) a[0], (long) a[1], (byte[]) b[0], (long) b[1]));
    String why = "seed " + TestSeeds.format(seed);
    try (EntryIterator it = mt.iterator()) {
      int i = 0;
      for (it.seekToFirst(); it.valid(); it.next(), i++) {
        assertTrue(i < expected.size(), why);
        assertArrayEquals((byte[]) expected.get(i)[0], it.key(), why + " at " + i);
        assertEquals((long) expected.get(i)[1], it.version(), why + " at " + i);
        assertArrayEquals((byte[]) expected.get(i)[0], it.value().value(), why);
        assertEquals(it.version(), it.value().version(), why);
      }
      assertEquals(expected.size(), i, why);
      i = expected.size() - 1;
      for (it.seekToLast(); it.valid(); it.prev(), i--) {
        assertTrue(i >= 0, why);
        assertArrayEquals((byte[]) expected.get(i)[0], it.key(), why + " at " + i);
        assertEquals((long) expected.get(i)[1], it.version(), why + " at " + i);
      }
      assertEquals(-1, i, why);
    }
    assertEquals(expected.size(), mt.count());
    assertEquals(Long.MAX_VALUE, mt.maxVersion());
  }

  /** b@5, b@3, d@7: targets before, between, on and beyond them. */
  private MemTable seekFixture() {
    MemTable mt = newMemTable();
    put(mt, "d", 7, "d7");
    put(mt, "b", 3, "b3");
    put(mt, "b", 5, "b5");
    return mt;
  }

  @Test
  void seek_landsOnFirstEntryAtOrAfterTarget() {
    MemTable mt = seekFixture();
    try (EntryIterator it = mt.iterator()) {
      it.seek(key("a"), Long.MAX_VALUE);
      assertEntry(it, "b", 5);
      it.seek(key("b"), Long.MAX_VALUE);
      assertEntry(it, "b", 5);
      it.seek(key("b"), 6);
      assertEntry(it, "b", 5);
      it.seek(key("b"), 5);
      assertEntry(it, "b", 5);
      it.seek(key("b"), 4);
      assertEntry(it, "b", 3);
      it.seek(key("b"), 3);
      assertEntry(it, "b", 3);
      it.seek(key("b"), 2);
      assertEntry(it, "d", 7);
      it.seek(key("b"), 0);
      assertEntry(it, "d", 7);
      it.seek(key("ba"), Long.MAX_VALUE);
      assertEntry(it, "d", 7);
      it.seek(key("c"), 1);
      assertEntry(it, "d", 7);
      it.seek(key("d"), 8);
      assertEntry(it, "d", 7);
      it.seek(key("d"), 7);
      assertEntry(it, "d", 7);
      it.seek(key("d"), 6);
      assertFalse(it.valid(), "past the last version of the last key");
      it.seek(key("e"), Long.MAX_VALUE);
      assertFalse(it.valid(), "beyond the last key");
      it.seek(new byte[] {(byte) 0xff}, Long.MAX_VALUE);
      assertFalse(it.valid());
    }
  }

  @Test
  void seekForPrev_landsOnLastEntryAtOrBeforeTarget() {
    MemTable mt = seekFixture();
    try (EntryIterator it = mt.iterator()) {
      it.seekForPrev(key("a"), 0);
      assertFalse(it.valid(), "before the first key");
      it.seekForPrev(key("b"), Long.MAX_VALUE);
      assertFalse(it.valid(), "b@MAX sorts before b@5");
      it.seekForPrev(key("b"), 6);
      assertFalse(it.valid());
      it.seekForPrev(key("b"), 5);
      assertEntry(it, "b", 5);
      it.seekForPrev(key("b"), 4);
      assertEntry(it, "b", 5);
      it.seekForPrev(key("b"), 3);
      assertEntry(it, "b", 3);
      it.seekForPrev(key("b"), 0);
      assertEntry(it, "b", 3);
      it.seekForPrev(key("c"), Long.MAX_VALUE);
      assertEntry(it, "b", 3);
      it.seekForPrev(key("d"), 8);
      assertEntry(it, "b", 3);
      it.seekForPrev(key("d"), 7);
      assertEntry(it, "d", 7);
      it.seekForPrev(key("d"), 0);
      assertEntry(it, "d", 7);
      it.seekForPrev(key("e"), Long.MAX_VALUE);
      assertEntry(it, "d", 7);
      it.seekForPrev(new byte[] {(byte) 0xff, (byte) 0xff}, 0);
      assertEntry(it, "d", 7);
    }
  }

  @Test
  void nextAndPrev_walkBothWaysAndFallOffTheEnds() {
    MemTable mt = seekFixture();
    try (EntryIterator it = mt.iterator()) {
      it.seekToLast();
      assertEntry(it, "d", 7);
      it.next();
      assertFalse(it.valid(), "next after the last entry");

      it.seek(key("d"), Long.MAX_VALUE);
      it.prev();
      assertEntry(it, "b", 3);
      it.prev();
      assertEntry(it, "b", 5);
      it.prev();
      assertFalse(it.valid(), "prev before the first entry");

      it.seekToFirst();
      assertEntry(it, "b", 5);
      it.next();
      assertEntry(it, "b", 3);
      it.prev();
      assertEntry(it, "b", 5);
      it.next();
      it.next();
      assertEntry(it, "d", 7);
      it.prev();
      assertEntry(it, "b", 3);
    }
  }

  @Test
  void iterator_seesEntriesPutBeforeItWasCreated() {
    MemTable mt = newMemTable();
    put(mt, "a", 1, "x");
    try (EntryIterator it = mt.iterator()) {
      put(mt, "b", 1, "y"); // may or may not be seen; "a" must be
      it.seekToFirst();
      assertEntry(it, "a", 1);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Capacity and footprint

  @Test
  void put_refusedAtCapacity_leavesEarlierEntriesIntact() {
    long capacity = 64 << 10;
    MemTable mt = factory().create(capacity);
    assertEquals(capacity, mt.capacityBytes());
    byte[] value = new byte[1000];
    List<byte[]> accepted = new ArrayList<>();
    byte[] refused = null;
    for (int i = 0; i < 1000; i++) {
      byte[] k = key(String.format("key-%05d", i));
      Arrays.fill(value, (byte) i);
      long before = mt.sizeBytes();
      if (!mt.put(k, 1 + i, (byte) 0, (byte) 0, 0, value)) {
        assertEquals(before, mt.sizeBytes(), "a refused put takes nothing");
        refused = k;
        break;
      }
      accepted.add(k);
      assertTrue(mt.sizeBytes() <= capacity);
    }
    assertNotNull(refused, "64 KiB cannot hold 1000 entries of 1000 bytes");
    assertTrue(accepted.size() >= 40, "footprints stay near key + value: " + accepted.size());
    assertNull(mt.get(refused, Long.MAX_VALUE));
    assertEquals(accepted.size(), mt.count());
    assertEquals(accepted.size(), mt.maxVersion());
    assertFalse(mt.put(key("huge"), 9_999, (byte) 0, (byte) 0, 0, new byte[(int) capacity]));
    assertEquals(accepted.size(), mt.maxVersion(), "a refused put does not raise maxVersion");
    for (int i = 0; i < accepted.size(); i++) {
      StoredValue v = mt.get(accepted.get(i), Long.MAX_VALUE);
      assertNotNull(v, "entry " + i);
      Arrays.fill(value, (byte) i);
      assertArrayEquals(value, v.value(), "entry " + i);
    }
    try (EntryIterator it = mt.iterator()) {
      int n = 0;
      for (it.seekToFirst(); it.valid(); it.next()) {
        assertArrayEquals(accepted.get(n++), it.key());
      }
      assertEquals(accepted.size(), n);
    }
  }

  @Test
  void recycle_givesAnEmptyMemTable_thatHoldsAsMuchAsAFreshOne() {
    long capacity = 64 << 10;
    MemTable first = factory().create(capacity);
    byte[] value = new byte[1000];
    int firstCount = 0;
    for (int i = 0; first.put(key(String.format("old-%05d", i)), 1 + i, (byte) 0, (byte) 0, 0,
        value); i++) {
      firstCount++;
    }
    MemTable mt = first.recycle();
    if (mt == null) {
      return; // the implementation does not recycle: the engine releases and creates instead
    }
    assertEquals(capacity, mt.capacityBytes());
    assertEquals(0, mt.count());
    assertEquals(0, mt.maxVersion());
    assertNull(mt.get(key("old-00000"), Long.MAX_VALUE), "nothing of the old memtable shows");
    try (EntryIterator it = mt.iterator()) {
      it.seekToFirst();
      assertFalse(it.valid(), "the recycled memtable is empty");
    }
    // Full again, with other keys in another order, and every entry reads back exactly.
    List<byte[]> accepted = new ArrayList<>();
    for (int i = 0; ; i++) {
      byte[] k = key(String.format("new-%05d", 5000 - i));
      Arrays.fill(value, (byte) i);
      if (!mt.put(k, 1 + i, (byte) 0, (byte) 1, 0, value)) {
        break;
      }
      accepted.add(k);
    }
    assertEquals(firstCount, accepted.size(), "a recycled memtable holds as much as a fresh one");
    assertNull(mt.get(key("old-00003"), Long.MAX_VALUE));
    for (int i = 0; i < accepted.size(); i++) {
      Arrays.fill(value, (byte) i);
      StoredValue v = mt.get(accepted.get(i), Long.MAX_VALUE);
      assertNotNull(v, "entry " + i);
      assertArrayEquals(value, v.value(), "entry " + i);
      assertEquals(1, v.userMeta());
    }
    try (EntryIterator it = mt.iterator()) {
      int n = 0;
      for (it.seekToFirst(); it.valid(); it.next()) {
        assertArrayEquals(accepted.get(accepted.size() - 1 - n), it.key(), "entry " + n);
        n++;
      }
      assertEquals(accepted.size(), n, "iteration sees the new entries only");
    }
  }

  @Test
  void footprint_isWithinTheSpiBound_andBoundsWhatPutTakes() {
    MemTable mt = newMemTable();
    int[][] sizes = {{1, 0}, {1, 1}, {7, 9}, {16, 128}, {100, 1000}, {65_000, 0}, {10, 100_000}};
    int n = 0;
    for (int[] s : sizes) {
      long fp = mt.footprint(s[0], s[1]);
      assertTrue(fp <= s[0] + s[1] + MemTable.MAX_ENTRY_OVERHEAD,
          "footprint(" + s[0] + ", " + s[1] + ") = " + fp);
      byte[] k = new byte[s[0]];
      Arrays.fill(k, (byte) n++);
      for (long version : new long[] {2, 1, 2}) { // the second put of version 2 replaces it
        long before = mt.sizeBytes();
        assertTrue(mt.put(k, version, (byte) 0, (byte) 0, 0, new byte[s[1]]));
        long taken = mt.sizeBytes() - before;
        assertTrue(taken >= 0 && taken <= fp,
            "put of " + s[0] + "+" + s[1] + " bytes took " + taken + " > footprint " + fp);
      }
    }
    assertEquals(2L * sizes.length, mt.count());
  }

  // ---------------------------------------------------------------------------------------------
  // Concurrency

  @Test
  void concurrentPutsFromFourThreads_withReaders_keepEveryEntryExactlyOnce(TestInfo info)
      throws InterruptedException {
    final long seed = TestSeeds.seed(info);
    final String why = "seed " + TestSeeds.format(seed);
    final int writers = 4;
    final int perWriter = 4000;
    final int racing = 500; // (key, version) pairs every writer puts: exactly one must remain
    final MemTable mt = factory().create(64L << 20);
    final AtomicIntegerArray progress = new AtomicIntegerArray(writers);
    final int[][] orders = new int[writers][];
    for (int w = 0; w < writers; w++) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < perWriter; i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(seed + w));
      orders[w] = order.stream().mapToInt(Integer::intValue).toArray();
    }
    final CountDownLatch start = new CountDownLatch(1);
    final AtomicBoolean writing = new AtomicBoolean(true);
    final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> writerThreads = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();

    for (int w = 0; w < writers; w++) {
      final int id = w;
      Thread t = new Thread(() -> {
        try {
          start.await();
          for (int n = 0; n < perWriter; n++) {
            int i = orders[id][n];
            // Every writer puts the same user keys with its own version: they all meet at the
            // same places in the list.
            if (!mt.put(concurrentKey(i), id + 1, (byte) 0, (byte) 0, 0, concurrentValue(i, id))) {
              throw new AssertionError("put refused below capacity");
            }
            if (n < racing && !mt.put(racingKey(n), 1, (byte) 0, (byte) id, 0, new byte[id])) {
              throw new AssertionError("put refused below capacity");
            }
            progress.set(id, n + 1);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "memtable-contract-writer-" + w);
      writerThreads.add(t);
      threads.add(t);
    }
    for (int r = 0; r < 2; r++) {
      final Random random = new Random(seed ^ (0x9E3779B97F4A7C15L * (r + 1)));
      Thread t = new Thread(() -> {
        try {
          start.await();
          boolean last = false;
          while (!last) {
            // One more full pass after the writers are done, so every reader checks a final state.
            last = !writing.get();
            checkConcurrentRead(mt, progress, orders, random, why);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "memtable-contract-reader-" + r);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    start.countDown();
    for (Thread t : writerThreads) {
      t.join(TimeUnit.MINUTES.toMillis(2));
    }
    writing.set(false);
    for (Thread t : threads) {
      t.join(TimeUnit.MINUTES.toMillis(2));
      assertFalse(t.isAlive(), why + ": " + t.getName() + " still running");
    }
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError(why + ": " + failures.size() + " thread(s) failed",
          failures.peek());
      failures.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }

    assertEquals((long) writers * perWriter + racing, mt.count(), why);
    assertEquals(writers, mt.maxVersion(), why);
    Set<String> seen = new HashSet<>();
    try (EntryIterator it = mt.iterator()) {
      byte[] prevKey = null;
      long prevVersion = 0;
      for (it.seekToFirst(); it.valid(); it.next()) {
        byte[] k = it.key();
        long v = it.version();
        if (prevKey != null) {
          assertTrue(Keys.compareInternal(prevKey, prevVersion, k, v) < 0,
              why + ": order broken at " + new String(k, StandardCharsets.UTF_8) + "@" + v);
        }
        assertTrue(seen.add(new String(k, StandardCharsets.ISO_8859_1) + "@" + v),
            why + ": duplicate " + new String(k, StandardCharsets.UTF_8) + "@" + v);
        prevKey = k;
        prevVersion = v;
      }
    }
    assertEquals(writers * perWriter + racing, seen.size(), why);
    for (int i = 0; i < perWriter; i++) {
      for (int w = 0; w < writers; w++) {
        StoredValue v = mt.get(concurrentKey(i), w + 1);
        assertNotNull(v, why);
        assertEquals(w + 1, v.version(), why);
        assertArrayEquals(concurrentValue(i, w), v.value(), why);
      }
    }
    for (int n = 0; n < racing; n++) {
      StoredValue v = mt.get(racingKey(n), 1);
      assertNotNull(v, why);
      assertEquals(v.userMeta(), v.value().length, why + ": value and meta of one put");
    }
  }

  /** One reader pass: a full scan in strict order, then gets of puts known to have completed. */
  private static void checkConcurrentRead(MemTable mt, AtomicIntegerArray progress,
      int[][] orders, Random random, String why) {
    long completed = mt.count();
    long scanned = 0;
    try (EntryIterator it = mt.iterator()) {
      byte[] prevKey = null;
      long prevVersion = 0;
      for (it.seekToFirst(); it.valid(); it.next()) {
        byte[] k = it.key();
        long v = it.version();
        if (prevKey != null && Keys.compareInternal(prevKey, prevVersion, k, v) >= 0) {
          fail(why + ": concurrent scan out of order at " + new String(k, StandardCharsets.UTF_8)
              + "@" + v);
        }
        prevKey = k;
        prevVersion = v;
        scanned++;
      }
    }
    assertTrue(scanned >= completed, why + ": scan saw " + scanned + " < count " + completed);
    for (int probe = 0; probe < 200; probe++) {
      int w = random.nextInt(progress.length());
      int done = progress.get(w);
      if (done == 0) {
        continue;
      }
      int i = orders[w][random.nextInt(done)];
      StoredValue v = mt.get(concurrentKey(i), w + 1);
      if (v == null || v.version() != w + 1 || !Arrays.equals(concurrentValue(i, w), v.value())) {
        fail(why + ": completed put of key " + i + " by writer " + w + " not visible: " + v);
      }
    }
  }

  private static byte[] concurrentKey(int i) {
    return key(String.format("c%07d", i));
  }

  private static byte[] racingKey(int n) {
    return key(String.format("r%05d", n));
  }

  private static byte[] concurrentValue(int i, int writer) {
    return key(i + "/" + writer);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /**
   * UTF-8 bytes of a string.
   *
   * @param s the string
   * @return its bytes
   */
  protected static byte[] key(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void put(MemTable mt, String k, long version, String value) {
    put(mt, key(k), version, key(value));
  }

  private static void put(MemTable mt, byte[] k, long version, byte[] value) {
    assertTrue(mt.put(k, version, (byte) 0, (byte) 0, 0, value), "put refused");
  }

  private static void assertEntry(EntryIterator it, String k, long version) {
    assertTrue(it.valid(), "expected " + k + "@" + version + ", iterator is not valid");
    assertEquals(k + "@" + version, new String(it.key(), StandardCharsets.UTF_8) + "@"
        + it.version());
    assertEquals(version, it.value().version());
  }

  private static void assertStored(StoredValue v, long version, byte meta, byte userMeta,
      long expiresAt, byte[] value) {
    assertNotNull(v);
    assertEquals(version, v.version(), "version");
    assertEquals(meta, v.meta(), "meta");
    assertEquals(userMeta, v.userMeta(), "userMeta");
    assertEquals(expiresAt, v.expiresAt(), "expiresAt");
    assertArrayEquals(value, v.value(), "value");
  }
}
