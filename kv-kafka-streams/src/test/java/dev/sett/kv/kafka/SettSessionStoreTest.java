package dev.sett.kv.kafka;

import static dev.sett.kv.kafka.SettWindowStoreTest.CHANGELOG;
import static dev.sett.kv.kafka.SettWindowStoreTest.MINUTE;
import static dev.sett.kv.kafka.SettWindowStoreTest.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.SessionWindow;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.internals.SessionKeySchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Kafka's session store suite does not cover: restore from Kafka's session changelog
 * records, expiry by session end that leaves the disk, sessions ending in a time range (what
 * emit-on-close asks), commit and reopen, iterators closed by the store's close.
 */
class SettSessionStoreTest {
  @TempDir Path dir;

  /** A store keeping two minutes after a session's end: segments of one minute. */
  private static SettSessionStore open(TestContext ctx) {
    SettSessionStore store = new SettSessionStore("store",
        SettSessionBytesStoreSupplier.METRICS_SCOPE, 2 * MINUTE, MINUTE);
    store.init(ctx, store);
    return store;
  }

  private static Windowed<Bytes> session(Bytes key, long start, long end) {
    return new Windowed<>(key, new SessionWindow(start, end));
  }

  private static List<String> sessions(KeyValueIterator<Windowed<Bytes>, byte[]> it) {
    List<String> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(kv -> out.add(new String(kv.key.key().get()) + "["
          + kv.key.window().start() + "," + kv.key.window().end() + "]=" + new String(kv.value)));
    }
    return out;
  }

  @Test
  void restore_takesKafkaChangelogKeys_andExpiresBySessionEnd() {
    TestContext ctx = TestContext.atLeastOnce(dir);
    SettSessionStore store = open(ctx);
    var cb = (RecordBatchingStateRestoreCallback) ctx.restoreCallback;
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    batch.add(record(0, session(key(1), 0, 1_000), "old")); // ends before 3 minutes: expired
    batch.add(record(1, session(key(1), 1_000, 3 * MINUTE + 1), "long"));
    batch.add(record(2, session(key(2), 4 * MINUTE, 4 * MINUTE), "x"));
    batch.add(record(3, session(key(2), 4 * MINUTE, 4 * MINUTE), null)); // removed
    batch.add(record(4, session(key(3), 5 * MINUTE - 10, 5 * MINUTE), "y"));
    cb.restoreBatch(batch);
    store.commit(Map.of(CHANGELOG, 5L));
    store.close();
    store = open(TestContext.atLeastOnce(dir));
    assertEquals(5L, store.committedOffset(CHANGELOG));
    assertEquals(List.of("key-1[1000," + (3 * MINUTE + 1) + "]=long"), sessions(
        store.fetch(key(1))));
    assertEquals(List.of(), sessions(store.fetch(key(2))));
    assertArrayEquals("y".getBytes(), store.fetchSession(key(3), 5 * MINUTE - 10, 5 * MINUTE));
    assertEquals(2, store.storeDb().approximateCount(100), "only the live sessions on disk");
    store.close();
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, Windowed<Bytes> session,
      String value) {
    return new ConsumerRecord<>(CHANGELOG.topic(), 0, offset,
        SessionKeySchema.toBinary(session).get(), value == null ? null : value.getBytes());
  }

  @Test
  void expiredSessions_leaveTheDatabase_whenStreamTimePassesThem() {
    SettSessionStore store = open(TestContext.exactlyOnce(dir));
    for (int i = 0; i < 1000; i++) {
      store.put(session(key(i), i, i + 10), "v".getBytes()); // segment 0
    }
    store.commit(Map.of(CHANGELOG, 1L));
    assertEquals(1000, store.storeDb().approximateCount(10_000));
    store.put(session(key(0), 4 * MINUTE, 4 * MINUTE), "new".getBytes());
    assertEquals(List.of("key-0[240000,240000]=new"), sessions(store.fetch(key(0))));
    assertEquals(1, store.storeDb().approximateCount(10_000), "no commit needed");
    store.commit(Map.of(CHANGELOG, 2L));
    assertEquals(1, store.storeDb().approximateCount(10_000));
    store.put(session(key(9), 10, 20), "late".getBytes()); // expired on arrival
    assertNull(store.fetchSession(key(9), 10, 20));
    store.close();
  }

  @Test
  void findSessionsByEndTime_returnsEverySessionEndingInTheRange() {
    SettSessionStore store = open(TestContext.atLeastOnce(dir));
    store.put(session(key(1), 0, 50_000), "a".getBytes());
    store.put(session(key(2), 10_000, 70_000), "b".getBytes()); // the next segment
    store.put(session(key(3), 90_000, 100_000), "c".getBytes());
    store.put(session(key(0), 60_000, 65_000), "d".getBytes());
    assertEquals(List.of("key-1[0,50000]=a", "key-0[60000,65000]=d", "key-2[10000,70000]=b"),
        sessions(store.findSessions(40_000, 80_000)),
        "segment by segment, in a segment by key");
    store.close();
  }

  @Test
  void closingTheStore_closesItsIterators() {
    SettSessionStore store = open(TestContext.atLeastOnce(dir));
    store.put(session(key(1), 0, 10), "a".getBytes());
    store.put(session(key(1), 70_000, 80_000), "b".getBytes());
    KeyValueIterator<Windowed<Bytes>, byte[]> it = store.fetch(key(1));
    it.next();
    store.close();
    assertEquals(0, store.storeDb().openIterators());
    assertFalse(it.hasNext());
    it.close();
  }
}
