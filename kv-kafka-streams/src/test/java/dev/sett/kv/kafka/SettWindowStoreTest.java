package dev.sett.kv.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.DbStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.WindowKeySchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Kafka's window store suite does not cover: expired segments leave the disk, restore from
 * Kafka's window changelog records, data, offsets and stream time across a commit and a reopen,
 * iterators closed by the store's close, keys that are prefixes of others.
 */
class SettWindowStoreTest {
  static final TopicPartition CHANGELOG = new TopicPartition("app-store-changelog", 0);
  static final long MINUTE = 60_000L;

  @TempDir Path dir;

  /** A store keeping two minutes: segments of one minute (Kafka's minimum interval). */
  private static SettWindowStore open(TestContext ctx) {
    SettWindowStore store = new SettWindowStore("store", SettWindowBytesStoreSupplier
        .METRICS_SCOPE, 2 * MINUTE, MINUTE, 10, false, false);
    store.init(ctx, store);
    return store;
  }

  static Bytes key(int i) {
    return Bytes.wrap(("key-" + i).getBytes(StandardCharsets.UTF_8));
  }

  private static List<Long> starts(WindowStoreIterator<byte[]> it) {
    List<Long> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(kv -> out.add(kv.key));
    }
    return out;
  }

  private static long dataKeys(SettSegmentedStore store) {
    return store.storeDb().approximateCount(Integer.MAX_VALUE);
  }

  @Test
  void expiredSegments_areDeleted_whenStreamTimePassesThem_andCompactionsReclaimTheSpace() {
    SettWindowStore store = open(TestContext.exactlyOnce(dir));
    byte[] value = new byte[512];
    new java.util.Random(7).nextBytes(value); // not all zeros: tables compress
    int n = 20_000;
    for (int i = 0; i < n; i++) { // segment 0
      store.put(key(i), value, i % MINUTE);
    }
    store.commit(Map.of(CHANGELOG, 1L));
    store.close(); // the close flushes the memtable: the windows are in tables on disk
    store = open(TestContext.exactlyOnce(dir));
    DbStats before = store.storeDb().db().stats();
    assertEquals(n, dataKeys(store));

    // Stream time 4 minutes: everything below 2 minutes + 1 ms is expired, segment 0 wholly. No
    // commit needed: under exactly-once Kafka 4.3 commits a running store only at a rebalance.
    long start = System.nanoTime();
    store.put(key(0), value, 4 * MINUTE);
    long dropMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(List.of(), starts(store.fetch(key(1), 0, Long.MAX_VALUE)), "expired: unread");
    assertEquals(1, dataKeys(store), "segment 0 gone from the database");
    store.commit(Map.of(CHANGELOG, 2L));
    store.close();
    store = open(TestContext.exactlyOnce(dir));
    store.storeDb().db().flatten(1); // what compactions do in time: the tombstones meet the data
    DbStats after = store.storeDb().db().stats();
    System.out.printf("dropping %d windows of %d bytes: the put took %d ms; table bytes %d -> %d"
        + " after compaction%n", n, value.length, dropMs, before.tableBytes(),
        after.tableBytes());
    assertTrue(before.tableBytes() > 100_000, "the windows were in tables");
    assertTrue(after.tableBytes() < before.tableBytes() / 100, "the tables shrank");
    store.close();

    // A reopened store measures retention from the committed stream time.
    store = open(TestContext.exactlyOnce(dir));
    assertEquals(4 * MINUTE, store.observedStreamTime());
    store.put(key(5), value, MINUTE); // expired on arrival: dropped
    assertNull(store.fetch(key(5), MINUTE));
    assertEquals(1, dataKeys(store));
    store.close();
  }

  @Test
  void commitAndReopen_keepDataOffsetsAndStreamTime() {
    SettWindowStore store = open(TestContext.exactlyOnce(dir));
    store.put(key(1), "a".getBytes(), 10);
    store.put(key(1), "b".getBytes(), 70_000);
    store.put(key(2), "c".getBytes(), 20);
    store.commit(Map.of(CHANGELOG, 42L));
    store.put(key(3), "uncommitted".getBytes(), 30);
    store.close(); // exactly-once: the buffer is dropped
    store = open(TestContext.exactlyOnce(dir));
    assertEquals(42L, store.committedOffset(CHANGELOG));
    assertEquals(70_000L, store.observedStreamTime());
    assertEquals(List.of(10L, 70_000L), starts(store.fetch(key(1), 0, Long.MAX_VALUE)));
    assertArrayEquals("c".getBytes(), store.fetch(key(2), 20));
    assertNull(store.fetch(key(3), 30));
    store.close();
  }

  @Test
  void restore_takesKafkaChangelogKeys_skipsExpiredRecords_andAppliesDeletes() {
    TestContext ctx = TestContext.atLeastOnce(dir);
    SettWindowStore store = open(ctx);
    var cb = (RecordBatchingStateRestoreCallback) ctx.restoreCallback;
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    long offset = 0;
    // One batch: its largest start (5 minutes) expires what is below 3 minutes + 1 ms.
    for (long start : new long[] {1_000, 3 * MINUTE + 5, 4 * MINUTE, 5 * MINUTE}) {
      batch.add(record(offset++, key(1), start, ("v" + start).getBytes()));
    }
    batch.add(record(offset++, key(2), 4 * MINUTE, "gone".getBytes()));
    batch.add(record(offset++, key(2), 4 * MINUTE, null)); // a delete
    cb.restoreBatch(batch);
    store.commit(Map.of(CHANGELOG, offset));
    assertEquals(List.of(3 * MINUTE + 5, 4 * MINUTE, 5 * MINUTE),
        starts(store.fetch(key(1), 0, Long.MAX_VALUE)));
    assertNull(store.fetch(key(2), 4 * MINUTE));
    assertEquals(3, dataKeys(store), "the expired record was never written");
    store.close();
    store = open(TestContext.atLeastOnce(dir));
    assertEquals(offset, store.committedOffset(CHANGELOG));
    assertArrayEquals(("v" + 5 * MINUTE).getBytes(), store.fetch(key(1), 5 * MINUTE));
    store.close();
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, Bytes key, long start,
      byte[] value) {
    return new ConsumerRecord<>(CHANGELOG.topic(), 0, offset,
        WindowKeySchema.toStoreKeyBinary(key, start, 0).get(), value);
  }

  @Test
  void closingTheStore_closesItsIterators() {
    SettWindowStore store = open(TestContext.atLeastOnce(dir));
    for (int i = 0; i < 10; i++) {
      store.put(key(i), "v".getBytes(), i * 10_000L); // two segments
    }
    WindowStoreIterator<byte[]> one = store.fetch(key(1), 0, Long.MAX_VALUE);
    KeyValueIterator<Windowed<Bytes>, byte[]> all = store.all();
    assertTrue(one.hasNext());
    assertTrue(all.hasNext());
    assertEquals(2, store.storeDb().openIterators());
    store.close();
    assertEquals(0, store.storeDb().openIterators());
    assertFalse(all.hasNext());
    assertFalse(one.hasNext());
    one.close();
    all.close();
  }

  @Test
  void keyRanges_findKeysThatArePrefixesOfTheBounds() {
    SettWindowStore store = open(TestContext.atLeastOnce(dir));
    Bytes a = Bytes.wrap(new byte[] {'a'});
    Bytes ab = Bytes.wrap(new byte[] {'a', 'b'});
    Bytes empty = Bytes.wrap(new byte[0]);
    Bytes b = Bytes.wrap(new byte[] {'b'});
    long late = 0x7000_0000_0000_0000L; // a start whose bytes sort above 'b' after "a"
    for (Bytes k : List.of(empty, a, ab, b)) {
      store.put(k, k.get(), late);
      store.put(k, k.get(), 5);
    }
    List<String> seen = new ArrayList<>();
    try (KeyValueIterator<Windowed<Bytes>, byte[]> it = store.fetch(empty, ab, 0,
        Long.MAX_VALUE)) {
      it.forEachRemaining(kv -> seen.add(new String(kv.key.key().get()) + "@"
          + kv.key.window().start()));
    }
    // Kafka's order: by store key (key bytes, then the start's bytes), so with a start whose
    // first byte (0x70) is above 'b', "ab" sorts before "a" (as in Kafka's RocksDB store).
    assertEquals(List.of("ab@" + late, "a@" + late, "@" + late), seen,
        "the keys up to \"ab\" in the live segment, none above it");
    assertEquals(List.of(late), starts(store.fetch(a, 0, Long.MAX_VALUE)),
        "the window at 5 expired long ago; \"ab\" is not \"a\"");
    store.close();
  }

  @Test
  void segmentKeys_upperBound_coversPrefixKeys() {
    byte[] suffix = SegmentKeys.windowSuffix(0x7000_0000_0000_0000L, -1);
    byte[] bound = SegmentKeys.upperBound(3, new byte[] {'a', 'b'}, suffix);
    byte[] prefixKeyEntry = SegmentKeys.dataKey(3, new byte[] {'a'}, suffix);
    assertTrue(Arrays.compareUnsigned(prefixKeyEntry, bound) <= 0);
    assertEquals(KeyValue.pair(3L, 3L), KeyValue.pair(SegmentKeys.segmentOf(bound), 3L));
  }
}
