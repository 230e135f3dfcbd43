package dev.sett.kv.kafka;

import static dev.sett.kv.kafka.StoreCrashChild.CHANGELOG;
import static dev.sett.kv.kafka.StoreCrashChild.key;
import static dev.sett.kv.kafka.StoreCrashChild.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Kafka's store suite does not cover: offsets kept with the data across commits, reopens and
 * killed processes; spills under exactly-once; what other threads see; unsigned key order at the
 * edges; restore; iterators at close; where files go.
 */
class SettKeyValueStoreTest {
  @TempDir Path dir;

  private static SettKeyValueStore open(TestContext ctx) {
    SettKeyValueStore store = new SettKeyValueStore("store", "sett-state");
    store.init(ctx, store);
    return store;
  }

  private static Bytes k(int... b) {
    byte[] a = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      a[i] = (byte) b[i];
    }
    return Bytes.wrap(a);
  }

  private static List<Bytes> keys(KeyValueIterator<Bytes, byte[]> it) {
    List<Bytes> out = new ArrayList<>();
    try (it) {
      while (it.hasNext()) {
        out.add(it.next().key);
      }
    }
    return out;
  }

  @Test
  void commit_keepsOffsetsWithTheData_acrossAReopen() {
    TestContext ctx = TestContext.exactlyOnce(dir);
    SettKeyValueStore store = open(ctx);
    assertNull(store.committedOffset(CHANGELOG));
    store.put(key(1), value(1, "a"));
    store.commit(Map.of(CHANGELOG, 7L));
    store.put(key(2), value(2, "b"));
    store.commit(Map.of(CHANGELOG, 9L, new TopicPartition("other", 3), 4L));
    store.close();

    store = open(TestContext.exactlyOnce(dir));
    assertEquals(9L, store.committedOffset(CHANGELOG));
    assertEquals(4L, store.committedOffset(new TopicPartition("other", 3)));
    assertNull(store.committedOffset(new TopicPartition("other", 2)));
    assertArrayEquals(value(1, "a"), store.get(key(1)));
    assertArrayEquals(value(2, "b"), store.get(key(2)));
    store.close();
  }

  @Test
  void anEmptyCommit_clearsEveryOffset_andANullOffsetClearsItsPartition() {
    // Kafka's contract for StateStore.commit: it sends an empty map for a store it found
    // corrupted, so that the store's restore starts over.
    TopicPartition other = new TopicPartition("other", 1);
    SettKeyValueStore store = open(TestContext.atLeastOnce(dir));
    store.put(key(1), value(1, "a"));
    store.commit(Map.of(CHANGELOG, 10L, other, 5L));
    Map<TopicPartition, Long> clearOne = new java.util.HashMap<>();
    clearOne.put(other, null);
    store.commit(clearOne);
    assertEquals(10L, store.committedOffset(CHANGELOG));
    assertNull(store.committedOffset(other));
    store.put(key(2), value(2, "a"));
    store.commit(Map.of());
    assertNull(store.committedOffset(CHANGELOG));
    store.close();
    store = open(TestContext.atLeastOnce(dir));
    assertNull(store.committedOffset(CHANGELOG));
    assertArrayEquals(value(2, "a"), store.get(key(2)), "the buffer is still committed");
    store.close();
  }

  @Test
  void closeWithoutCommit_dropsTheBufferUnderExactlyOnce_andCommitsItUnderAtLeastOnce() {
    SettKeyValueStore eos = open(TestContext.exactlyOnce(dir.resolve("eos")));
    eos.put(key(1), value(1, "a"));
    eos.close();
    eos = open(TestContext.exactlyOnce(dir.resolve("eos")));
    assertNull(eos.get(key(1)));
    eos.close();

    SettKeyValueStore alos = open(TestContext.atLeastOnce(dir.resolve("alos")));
    alos.put(key(1), value(1, "a"));
    alos.close();
    alos = open(TestContext.atLeastOnce(dir.resolve("alos")));
    assertArrayEquals(value(1, "a"), alos.get(key(1)));
    assertNull(alos.committedOffset(CHANGELOG));
    alos.close();
  }

  /** Runs {@link StoreCrashChild} and kills it once it has written past its last commit. */
  private void killChildAfterUncommittedWrites(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), StoreCrashChild.class.getName(),
        dir.toString()));
    cmd.addAll(List.of(args));
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder seen = new StringBuilder();
      boolean ready = false;
      for (String line; !ready && (line = out.readLine()) != null; ) {
        ready = line.equals("READY");
        seen.append(line).append('\n');
      }
      assertTrue(ready, "child ended before READY:\n" + seen);
    } finally {
      child.destroyForcibly().waitFor();
    }
  }

  @Test
  void aKilledProcess_losesWhatItDidNotCommit_andKeepsTheOffsetsOfWhatItDid() throws Exception {
    killChildAfterUncommittedWrites("eos");
    SettKeyValueStore store = open(TestContext.exactlyOnce(dir));
    assertEquals(100L, store.committedOffset(CHANGELOG));
    assertArrayEquals(value(0, "committed"), store.get(key(0)));
    for (int i = 0; i < 100; i++) {
      assertArrayEquals(value(i, "committed"), store.get(key(i)), "key " + i);
    }
    for (int i = 100; i < 200; i++) {
      assertNull(store.get(key(i)), "key " + i + " was never committed");
    }
    assertEquals(100, store.approximateNumEntries());
    store.close();
  }

  @Test
  void writesSpilledUnderExactlyOnce_areRolledBack_whenAKilledProcessIsReopened()
      throws Exception {
    // The child's uncommitted writes outgrow its buffer and reach disk before the kill. They may
    // belong to an aborted Kafka transaction: reopening must take them back, so that the store
    // holds exactly what its committed offset covers (and Kafka restores only what follows).
    killChildAfterUncommittedWrites("eos", "spill");
    SettKeyValueStore store = open(TestContext.exactlyOnce(dir));
    assertEquals(100L, store.committedOffset(CHANGELOG));
    for (int i = 0; i < 100; i++) {
      assertArrayEquals(value(i, "committed"), store.get(key(i)), "key " + i);
    }
    for (int i = 100; i < 1000; i++) {
      assertNull(store.get(key(i)), "key " + i + " was never committed");
    }
    assertEquals(100, store.approximateNumEntries());
    // No entry of the undo log is left, and the next epoch starts clean.
    store.put(key(5), value(5, "next"));
    store.commit(Map.of(CHANGELOG, 300L));
    store.close();
    store = open(TestContext.exactlyOnce(dir));
    assertEquals(300L, store.committedOffset(CHANGELOG));
    assertArrayEquals(value(5, "next"), store.get(key(5)));
    assertEquals(100, store.approximateNumEntries());
    store.close();
  }

  @Test
  void spillsUnderExactlyOnce_thenACommit_keepEverything() {
    SettKeyValueStore store = open(TestContext.exactlyOnce(dir));
    for (int i = 0; i < 5000; i++) { // ~0.7 MB: several spills
      store.put(key(i), value(i, "a"));
    }
    store.commit(Map.of(CHANGELOG, 5000L));
    store.close();
    store = open(TestContext.exactlyOnce(dir));
    assertEquals(5000L, store.committedOffset(CHANGELOG));
    assertEquals(5000, store.approximateNumEntries());
    assertArrayEquals(value(4321, "a"), store.get(key(4321)));
    store.close();
  }

  @Test
  void spillsUnderAtLeastOnce_stayAfterAKill_withTheOffset() throws Exception {
    // Harmless there: the restore from offset 100 replays the changelog over them.
    killChildAfterUncommittedWrites("alos", "spill");
    SettKeyValueStore store = open(TestContext.atLeastOnce(dir));
    assertEquals(100L, store.committedOffset(CHANGELOG));
    assertTrue(store.approximateNumEntries() > 100, "spilled writes are kept");
    store.close();
  }

  @Test
  void otherThreads_seeWhatTheLastCommitWrote() throws Exception {
    TestContext ctx = TestContext.atLeastOnce(dir);
    SettKeyValueStore store = open(ctx);
    ctx.processing("in", 0, 41);
    store.put(key(1), value(1, "committed"));
    store.commit(Map.of(CHANGELOG, 1L));
    ctx.processing("in", 0, 42);
    store.put(key(1), value(1, "buffered"));
    store.put(key(2), value(2, "buffered"));

    assertArrayEquals(value(1, "buffered"), store.get(key(1)));
    assertEquals(2, keys(store.all()).size());
    CompletableFuture<List<Object>> other = CompletableFuture.supplyAsync(() -> {
      QueryResult<byte[]> r = store.query(KeyQuery.withKey(key(1)), PositionBound.unbounded(),
          new QueryConfig(false));
      QueryResult<KeyValueIterator<Bytes, byte[]>> range = store.query(RangeQuery.withNoBounds(),
          PositionBound.unbounded(), new QueryConfig(false));
      return List.of(store.get(key(1)), r.getResult(), keys(range.getResult()),
          r.getPosition().getPartitionPositions("in"));
    });
    List<Object> seen = other.get();
    assertArrayEquals(value(1, "committed"), (byte[]) seen.get(0));
    assertArrayEquals(value(1, "committed"), (byte[]) seen.get(1));
    assertEquals(List.of(key(1)), seen.get(2));
    assertEquals(Map.of(0, 41L), seen.get(3));

    store.commit(Map.of(CHANGELOG, 2L));
    assertEquals(2, CompletableFuture.supplyAsync(() -> keys(store.all()).size()).get());
    store.close();
  }

  @Test
  void keysCompareUnsigned_boundsAreInclusive_andPrefixesReachTheTopByte() {
    SettKeyValueStore store = open(TestContext.atLeastOnce(dir));
    List<Bytes> all = List.of(k(), k(0x00), k(0x01), k(0x7f), k(0x80), k(0xff), k(0xff, 0x00),
        k(0xff, 0xff));
    for (Bytes b : all) {
      store.put(b, new byte[] {1});
    }
    for (boolean committed : new boolean[] {false, true}) {
      if (committed) {
        store.commit(Map.of());
      }
      assertEquals(all, keys(store.all()));
      List<Bytes> reversed = new ArrayList<>(all);
      java.util.Collections.reverse(reversed);
      assertEquals(reversed, keys(store.reverseAll()));
      assertEquals(List.of(k(0x7f), k(0x80), k(0xff)), keys(store.range(k(0x7f), k(0xff))));
      assertEquals(List.of(k(0xff), k(0x80), k(0x7f)),
          keys(store.reverseRange(k(0x7f), k(0xff))));
      assertEquals(List.of(k(0xff), k(0xff, 0x00), k(0xff, 0xff)),
          keys(store.range(k(0xff), null)));
      assertEquals(List.of(k(), k(0x00)), keys(store.range(null, k(0x00))));
      assertEquals(List.of(), keys(store.range(k(0x80), k(0x7f))));
      assertEquals(List.of(), keys(store.reverseRange(k(0x80), k(0x7f))));
      assertEquals(List.of(k(0xff), k(0xff, 0x00), k(0xff, 0xff)),
          keys(store.prefixScan(new byte[] {(byte) 0xff}, Serdes.ByteArray().serializer())));
      assertEquals(List.of(k(0xff, 0xff)),
          keys(store.prefixScan(new byte[] {(byte) 0xff, (byte) 0xff},
              Serdes.ByteArray().serializer())));
      assertEquals(all, keys(store.prefixScan(new byte[0], Serdes.ByteArray().serializer())));
      assertEquals(all.size(), store.approximateNumEntries());
    }
    store.close();
  }

  @Test
  void putAll_isOneCommit_andNullValuesDelete() {
    SettKeyValueStore store = open(TestContext.exactlyOnce(dir));
    store.put(key(3), value(3, "a"));
    store.putAll(List.of(KeyValue.pair(key(1), value(1, "a")), KeyValue.pair(key(2),
        value(2, "a")), KeyValue.pair(key(3), null)));
    assertEquals(List.of(key(1), key(2)), keys(store.all()));
    store.close(); // uncommitted under exactly-once: all of it goes
    store = open(TestContext.exactlyOnce(dir));
    assertEquals(List.of(), keys(store.all()));
    store.close();
  }

  @Test
  void restore_writesEachBatch_andKeepsItWithTheOffsets() {
    TestContext ctx = TestContext.atLeastOnce(dir);
    SettKeyValueStore store = open(ctx);
    RecordBatchingStateRestoreCallback cb = (RecordBatchingStateRestoreCallback) ctx
        .restoreCallback;
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      batch.add(new ConsumerRecord<>(CHANGELOG.topic(), 0, i, key(i % 300).get(),
          i >= 900 && i % 2 == 0 ? null : value(i, "r")));
    }
    cb.restoreBatch(batch);
    store.commit(Map.of(CHANGELOG, 1000L));
    store.close();
    store = open(TestContext.atLeastOnce(dir));
    assertEquals(1000L, store.committedOffset(CHANGELOG));
    assertArrayEquals(value(999, "r"), store.get(key(999 % 300)));
    assertNull(store.get(key(900 % 300)));
    store.close();
  }

  @Test
  void closingTheStore_closesItsIterators_andLaterCallsSayItIsClosed() {
    SettKeyValueStore store = open(TestContext.atLeastOnce(dir));
    store.put(key(1), value(1, "a"));
    store.commit(Map.of());
    store.put(key(2), value(2, "a"));
    KeyValueIterator<Bytes, byte[]> buffered = store.all();
    KeyValueIterator<Bytes, byte[]> committed =
        CompletableFuture.supplyAsync(store::all).join();
    assertEquals(2, store.storeDb().openIterators());
    store.close();
    assertThrows(InvalidStateStoreException.class, buffered::hasNext);
    assertThrows(InvalidStateStoreException.class, committed::hasNext);
    assertThrows(InvalidStateStoreException.class, () -> store.get(key(1)));
    assertThrows(InvalidStateStoreException.class, () -> store.put(key(1), new byte[1]));
    assertFalse(store.isOpen());
    store.close(); // idempotent
  }

  @Test
  void filesLiveOnlyUnderTheStoresDirectory() throws Exception {
    SettKeyValueStore store = open(TestContext.atLeastOnce(dir));
    store.put(key(1), value(1, "a"));
    store.commit(Map.of(CHANGELOG, 1L));
    store.close();
    Path storeDir = dir.resolve("sett").resolve("store");
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> outside = files.filter(Files::isRegularFile)
          .filter(p -> !p.startsWith(storeDir)).toList();
      assertEquals(List.of(), outside);
    }
    try (Stream<Path> files = Files.list(storeDir)) {
      assertTrue(files.findAny().isPresent());
    }
  }

  @Test
  void anInterruptedStreamThread_stillCommits_andKeepsItsInterrupt() {
    // Kafka Streams interrupts stream threads when it shuts down; a commit in progress on such a
    // thread must not fail half-written or swallow the interrupt.
    SettKeyValueStore store = open(TestContext.exactlyOnce(dir));
    for (int i = 0; i < 2000; i++) { // several spills, the undo log written on the way
      store.put(key(i), value(i, "a"));
    }
    Thread.currentThread().interrupt();
    try {
      store.put(key(5000), value(5000, "a"));
      store.commit(Map.of(CHANGELOG, 42L));
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
    } finally {
      Thread.interrupted();
    }
    store.close();
    store = open(TestContext.exactlyOnce(dir));
    assertEquals(42L, store.committedOffset(CHANGELOG));
    assertEquals(2001, store.approximateNumEntries());
    store.close();
  }

  @Test
  void tooLongAKey_isRefusedClearly() {
    SettKeyValueStore store = open(TestContext.atLeastOnce(dir));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store.put(Bytes.wrap(new byte[70_000]), new byte[1]));
    assertTrue(e.getMessage().contains("70000"), e.getMessage());
    store.close();
  }
}
