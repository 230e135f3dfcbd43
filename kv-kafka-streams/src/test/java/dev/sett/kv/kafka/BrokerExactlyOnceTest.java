package dev.sett.kv.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.kv.Db;
import dev.sett.kv.Item;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sett as the store of a Kafka Streams application with exactly-once processing, against a real
 * broker ({@link TestBroker}, in this JVM) and with the application ({@link BrokerCountApp}) in
 * child JVMs, so that it can be killed with SIGKILL.
 *
 * <ol>
 *   <li>Instance A, in its first run and slowed down, is killed in the middle of the first batch;
 *       restarted, it finishes the batch; then it is stopped cleanly, and its stores must hold a
 *       positive changelog offset.
 *   <li>A second batch is produced; A, restarted and slowed down, is killed in the middle of it.
 *   <li>After each kill and each stop the test opens each store the application left (read-only)
 *       and checks that it holds exactly what its changelog holds up to the offset it committed.
 *       A is restarted: its restore listener must report restores that start right after those
 *       offsets (not at 0) and restore fewer records than the changelog holds, and the counts it
 *       then writes must be the true counts.
 *   <li>Instance B joins with its own state directory while A runs; once the tasks are split
 *       between them, a third batch is produced and both must process it, ending with exact
 *       counts again.
 * </ol>
 *
 * <p>The counts are read with a {@code read_committed} consumer all along; a key's count may never
 * exceed its true count (a double count would), and the last one must equal it.
 *
 * <p>Why the tail is checked after the second kill and not the first: Kafka Streams 4.3 asks a
 * store to commit its offsets ({@code StateStore.commit(Map)}) at the end of a restore, on a
 * rebalance that takes the task away and on a clean close, but under exactly-once never while the
 * task runs ({@code StreamTask.postCommit} checkpoints a RUNNING task only under at-least-once).
 * A store killed in its first run has no offset but Kafka's "unknown" one from its empty first
 * restore, and is restored from the start of its changelog (the test prints those restores); after
 * the clean stop every store has an offset, and the restore after the second kill starts there.
 */
class BrokerExactlyOnceTest {
  private static final String APP_ID = "sett-eos-count";
  private static final String INPUT = "words";
  private static final String OUTPUT = "word-counts";
  private static final String CHANGELOG = APP_ID + "-" + BrokerCountApp.STORE + "-changelog";
  private static final int PARTITIONS = 6;
  private static final int KEYS = 60;
  private static final int FIRST = 3_000;
  private static final int SECOND = 8_000;
  private static final int THIRD = 3_000;
  /** Processing time per record while A is to be killed: SECOND takes it several seconds. */
  private static final long SLOW_MICROS = 2_000;
  private static final Duration PHASE = Duration.ofSeconds(120);

  @TempDir
  Path tmp;

  private final List<Child> children = new ArrayList<>();
  private TestBroker broker;
  private KafkaProducer<String, String> producer;
  private KafkaConsumer<String, Long> counts;
  private final Map<String, Long> expected = new TreeMap<>();
  private final Map<String, Long> lastCount = new HashMap<>();
  private final Map<String, Long> maxCount = new HashMap<>();
  private Random random;

  @AfterEach
  void tearDown() throws Exception {
    for (Child c : children) {
      c.destroy();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
    if (counts != null) {
      counts.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void exactlyOnceAcrossAKillRestoresOnlyTheTailAndSplitsWithASecondInstance() throws Exception {
    long seed = Long.getLong("sett.broker.seed", System.nanoTime());
    System.out.println("BrokerExactlyOnceTest seed " + seed + " (rerun with -Dsett.broker.seed="
        + seed + ")");
    random = new Random(seed);
    long started = System.nanoTime();

    broker = TestBroker.start(tmp.resolve("broker"));
    broker.createTopics(PARTITIONS, INPUT, OUTPUT);
    producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, // the input holds each record once
        ProducerConfig.LINGER_MS_CONFIG, 5),
        new StringSerializer(), new StringSerializer());
    counts = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        IsolationLevel.READ_COMMITTED.toString().toLowerCase(java.util.Locale.ROOT),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new StringDeserializer(), new LongDeserializer());
    List<TopicPartition> outputPartitions = IntStream.range(0, PARTITIONS)
        .mapToObj(p -> new TopicPartition(OUTPUT, p)).toList();
    counts.assign(outputPartitions);
    counts.seekToBeginning(outputPartitions);

    Path stateA = tmp.resolve("state-a");
    Path stateB = tmp.resolve("state-b");

    // 1. A, in its first run and slowed down, is killed in the middle of the first batch;
    //    restarted, it finishes the batch and is stopped cleanly.
    produce(FIRST);
    Child a0 = start("a0", stateA, SLOW_MICROS);
    killMidStream(a0, FIRST / 5, FIRST);
    Map<Integer, StoreOffsets> afterFirstKill = readStores(stateA);
    System.out.println("stores after the kill in the first run: " + afterFirstKill);
    assertStoresMatchTheirChangelog(afterFirstKill, "after the kill in the first run");
    Child a1 = start("a1", stateA, 0);
    awaitCounts(a1, "a1 to finish the first batch after the kill");
    System.out.println("a1 restores " + format(a1.restores()));
    a1.stop();
    Map<Integer, StoreOffsets> afterStop = readStores(stateA);
    System.out.println("stores after the clean stop: " + afterStop);
    for (int p = 0; p < PARTITIONS; p++) {
      StoreOffsets s = afterStop.get(p);
      assertTrue(s != null && s.offset() != null && s.offset() > 0 && s.rolledBack() == 0,
          "after a clean close, store of task 0_" + p + " should hold a positive changelog offset: "
              + s);
    }
    assertStoresMatchTheirChangelog(afterStop, "after the clean stop");

    // 2. A second batch; A, slowed down, is killed in the middle of it.
    produce(SECOND);
    long target = FIRST + SECOND;
    Child a2 = start("a2", stateA, SLOW_MICROS);
    killMidStream(a2, SECOND / 5, target);

    Map<Integer, StoreOffsets> afterKill = readStores(stateA);
    Map<Integer, Long> endAfterKill = changelogEnds();
    System.out.println("stores after the kill: " + afterKill);
    System.out.println("changelog end offsets after the kill: " + endAfterKill);
    assertStoresMatchTheirChangelog(afterKill, "after the kill");

    // 3. A restarts: restores the tail only, then ends with the true counts.
    Child a3 = start("a3", stateA, 0);
    awaitCounts(a3, "a3 to finish the second batch after the kill");
    Map<Integer, long[]> restores = a3.restores();
    Map<Integer, Long> endNow = changelogEnds();
    System.out.println("a3 restores " + format(restores));
    int tailRestores = 0;
    for (int p = 0; p < PARTITIONS; p++) {
      StoreOffsets s = afterKill.get(p);
      long[] r = restores.get(p);
      assertTrue(s != null, "no Sett store for task 0_" + p + " under " + stateA);
      if (s.offset() == null || s.offset() < 0) {
        // the store has nothing to restore from; Kafka Streams restores it from the start
        System.out.println("task 0_" + p + ": store has no usable offset after the kill: " + s);
        continue;
      }
      assertTrue(r != null, "a3 restored nothing of changelog partition " + p + " although the"
          + " kill left records after the store's offset " + s.offset() + " (changelog end "
          + endAfterKill.get(p) + ")\n" + a3.tail());
      assertEquals(s.offset() + 1, r[0], "changelog partition " + p + ": the restore must start"
          + " right after the offset the store committed");
      assertTrue(r[0] > 0, "changelog partition " + p + " restored from 0");
      assertTrue(r[2] >= 0, "changelog partition " + p + ": the restore did not end\n"
          + a3.tail());
      assertTrue(r[2] < endNow.get(p), "changelog partition " + p + ": restored " + r[2]
          + " records, the changelog ends at " + endNow.get(p));
      assertTrue(r[2] <= r[1] - r[0], "changelog partition " + p + ": restored " + r[2]
          + " records between offsets " + r[0] + " and " + r[1]);
      tailRestores++;
    }
    assertEquals(PARTITIONS, tailRestores, "every store committed its offsets at the clean stop,"
        + " so every one should have restored only its tail; stores after the kill: " + afterKill);

    // 4. B joins while A runs; the tasks split; a third batch is counted by both.
    Child b = start("b", stateB, 0);
    awaitSplit(a3, b);
    long aBefore = a3.processed();
    produce(THIRD);
    target += THIRD;
    awaitCounts(b, "a3 and b to count the third batch");
    a3.awaitLine(l -> a3.processed() > aBefore, "a3 to process some of the third batch");
    b.awaitLine(l -> b.processed() > 0, "b to process some of the third batch");
    System.out.println("third batch: a3 processed " + (a3.processed() - aBefore) + ", b "
        + b.processed() + " (tasks a3 " + a3.tasks() + ", b " + b.tasks() + ")");
    assertTrue(Files.isDirectory(stateB.resolve(APP_ID)), "b has no state under " + stateB);
    for (String task : b.tasks()) {
      Path dir = storeDir(stateB, Integer.parseInt(task.substring(2)));
      assertTrue(Files.isDirectory(dir), "no Sett store of b's task " + task + " at " + dir);
    }
    b.stop();
    a3.stop();
    assertFinalCounts();
    // every store either instance left, including those of the tasks A handed to B (committed
    // when the rebalance took them away), holds what its changelog holds up to its offset
    Map<Integer, StoreOffsets> finalA = readStores(stateA);
    Map<Integer, StoreOffsets> finalB = readStores(stateB);
    System.out.println("stores after both stopped: a " + finalA + ", b " + finalB);
    assertStoresMatchTheirChangelog(finalA, "of a after both stopped");
    assertStoresMatchTheirChangelog(finalB, "of b after both stopped");
    System.out.printf("BrokerExactlyOnceTest took %.1f s%n",
        (System.nanoTime() - started) / 1e9);
  }

  /**
   * Waits until {@code atLeast} more records are counted (committed), then kills the child; fails
   * if by then all {@code total} records were counted (the kill would not be mid-stream).
   */
  private void killMidStream(Child child, long atLeast, long total) throws Exception {
    long from = committedTotal();
    awaitCommitted(child, () -> committedTotal() >= from + atLeast,
        child.name + " to count " + atLeast + " more records");
    long before = committedTotal();
    child.kill();
    assertTrue(before < total, child.name + " counted all " + total + " records before it was"
        + " killed; the kill was not mid-stream (make SLOW_MICROS larger)\n" + child.tail());
    pollCounts(Duration.ofMillis(500)); // whatever it committed last
    System.out.println("killed " + child.name + " after " + committedTotal() + " of " + total
        + " records were counted (read_committed)");
  }

  private static String format(Map<Integer, long[]> restores) {
    return "(partition=[startingOffset, endingOffset, restored]): " + restores.entrySet().stream()
        .map(e -> e.getKey() + "=" + java.util.Arrays.toString(e.getValue()))
        .collect(Collectors.joining(", "));
  }

  // ------------------------------------------------------------------ input and output

  private void produce(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      String key = String.format("key-%02d", random.nextInt(KEYS));
      expected.merge(key, 1L, Long::sum);
      producer.send(new ProducerRecord<>(INPUT, key, "v" + i));
    }
    producer.flush();
  }

  private long expectedTotal() {
    return expected.values().stream().mapToLong(Long::longValue).sum();
  }

  private long committedTotal() {
    return lastCount.values().stream().mapToLong(Long::longValue).sum();
  }

  private void pollCounts(Duration d) {
    for (ConsumerRecord<String, Long> r : counts.poll(d)) {
      lastCount.put(r.key(), r.value());
      maxCount.merge(r.key(), r.value(), Math::max);
    }
  }

  /** Waits until the committed counts equal the true counts of everything produced so far. */
  private void awaitCounts(Child child, String what) {
    awaitCommitted(child, () -> lastCount.equals(expected), what);
    assertNoOvercount();
  }

  private void awaitCommitted(Child child, BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + PHASE.toNanos();
    while (true) {
      pollCounts(Duration.ofMillis(200));
      assertNoOvercount();
      if (done.getAsBoolean()) {
        return;
      }
      for (Child c : children) {
        if (c.expectedAlive && c.dead && !c.process.isAlive()) {
          fail("child " + c.name + " exited (" + c.process.exitValue() + ") while waiting for "
              + what + "\n" + c.tail());
        }
      }
      if (System.nanoTime() > deadline) {
        fail("timed out after " + PHASE + " waiting for " + what + ": counted "
            + committedTotal() + " of " + expectedTotal() + " records\n" + child.tail());
      }
    }
  }

  private void assertNoOvercount() {
    for (Map.Entry<String, Long> e : maxCount.entrySet()) {
      long truth = expected.getOrDefault(e.getKey(), 0L);
      if (e.getValue() > truth) {
        fail("key " + e.getKey() + " was counted " + e.getValue() + " times, produced " + truth
            + " times: a record was counted twice");
      }
    }
  }

  private void assertFinalCounts() {
    pollCounts(Duration.ofMillis(500));
    assertEquals(expected, lastCount, "final counts (read_committed)");
    assertNoOvercount();
  }

  private Map<Integer, Long> changelogEnds() throws Exception {
    try (Admin admin = broker.admin()) {
      Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        specs.put(new TopicPartition(CHANGELOG, p), OffsetSpec.latest());
      }
      Map<Integer, Long> ends = new TreeMap<>();
      admin.listOffsets(specs).all().get(60, TimeUnit.SECONDS)
          .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
      return ends;
    }
  }

  // ------------------------------------------------------------------ the stores on disk

  /**
   * What a task's store holds once reopened: its changelog offset and data, and how many keys
   * its undo log takes back from what is on disk.
   */
  record StoreOffsets(Long offset, int rolledBack, Map<String, String> data) {
    @Override
    public String toString() {
      long sum = data.values().stream() // timestamp, then the count: 8 bytes each
          .mapToLong(v -> HexFormat.fromHexDigitsToLong(v.substring(v.length() - 16))).sum();
      return "[offset=" + offset + (rolledBack > 0 ? ", " + rolledBack + " rolled back" : "")
          + ", " + data.size() + " keys, counts"
          + " sum to " + sum + "]";
    }
  }

  /**
   * Opens, read-only, the Sett store of every task under {@code stateDir} (no application runs on
   * it) and reads the changelog offset it committed and its data as a reopen leaves it.
   */
  private Map<Integer, StoreOffsets> readStores(Path stateDir) {
    Map<Integer, StoreOffsets> out = new TreeMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      Path dir = storeDir(stateDir, p);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      TopicPartition tp = new TopicPartition(CHANGELOG, p);
      try (Db db = Db.open(Options.builder(dir).readOnly(true)
          .memTableSize(SettStoreConfig.STORE_MEMTABLE_SIZE)
          .memoryBudget(64L << 20).build())) {
        out.put(p, db.view(t -> {
          Item o = t.get(StoreKeys.offset(tp));
          Map<String, String> data = new TreeMap<>();
          try (KvIterator it = t.newIterator(IteratorOptions.builder()
              .prefix(StoreKeys.DATA_PREFIX).build())) {
            for (it.rewind(); it.valid(); it.next()) {
              Item item = it.item();
              data.put(new String(StoreKeys.user(item.key()).get(), StandardCharsets.UTF_8),
                  HexFormat.of().formatHex(item.value()));
            }
          }
          // What the store holds once reopened: writes spilled ahead of the offsets are taken
          // back by the undo log's entries of the current epoch.
          Item epochItem = t.get(StoreKeys.EPOCH_KEY);
          byte[] undo = java.util.Arrays.copyOf(StoreKeys.UNDO_PREFIX, 10);
          System.arraycopy(StoreKeys.longBytes(epochItem == null ? 0
              : StoreKeys.longOf(epochItem.value())), 0, undo, 2, 8);
          int rolledBack = 0;
          try (KvIterator it = t.newIterator(IteratorOptions.builder().prefix(undo).build())) {
            for (it.rewind(); it.valid(); it.next()) {
              Item item = it.item();
              byte[] dataKey = java.util.Arrays.copyOfRange(item.key(), undo.length,
                  item.key().length);
              String k = new String(StoreKeys.user(dataKey).get(), StandardCharsets.UTF_8);
              byte[] v = item.value();
              if (v[0] == 1) {
                data.put(k, HexFormat.of().formatHex(v, 1, v.length));
              } else {
                data.remove(k);
              }
              rolledBack++;
            }
          }
          return new StoreOffsets(o == null ? null : StoreKeys.longOf(o.value()), rolledBack,
              data);
        }));
      }
    }
    return out;
  }

  private static Path storeDir(Path stateDir, int partition) {
    return stateDir.resolve(APP_ID).resolve("0_" + partition)
        .resolve(SettStoreConfig.STORES_DIR).resolve(BrokerCountApp.STORE);
  }

  /**
   * The state the committed changelog records up to and including {@code offset} make: what a
   * store that committed that offset must hold, no more and no less.
   */
  private Map<String, String> changelogUpTo(int partition, long offset) {
    TopicPartition tp = new TopicPartition(CHANGELOG, partition);
    Map<String, String> state = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + PHASE.toNanos();
      while (c.position(tp) <= offset) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.offset() <= offset) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
              state.remove(key);
            } else {
              // the timestamped store keeps the record's timestamp before the value
              state.put(key, HexFormat.of().formatHex(ByteBuffer.allocate(8 + r.value().length)
                  .putLong(r.timestamp()).put(r.value()).array()));
            }
          }
        }
        if (System.nanoTime() > deadline) {
          fail("timed out reading changelog partition " + partition + " up to " + offset
              + " (at " + c.position(tp) + ")");
        }
      }
    }
    return state;
  }

  /**
   * Each store that reports an offset holds exactly what the changelog holds up to it: nothing of
   * a transaction that was not committed, nothing missing of one that was.
   */
  private void assertStoresMatchTheirChangelog(Map<Integer, StoreOffsets> stores, String when) {
    for (Map.Entry<Integer, StoreOffsets> e : stores.entrySet()) {
      StoreOffsets s = e.getValue();
      // no offset (or Kafka's "unknown", -2): restored from the start, so it must hold nothing
      long offset = s.offset() == null || s.offset() < 0 ? -1 : s.offset();
      assertEquals(changelogUpTo(e.getKey(), offset), s.data(), "store of task 0_"
          + e.getKey() + " " + when + " (offset " + s.offset() + ") against its changelog up to "
          + offset);
    }
  }

  // ------------------------------------------------------------------ child JVMs

  private Child start(String name, Path stateDir, long microsPerRecord) throws IOException {
    Files.createDirectories(stateDir);
    List<String> cmd = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"),
        BrokerCountApp.class.getName(),
        broker.bootstrapServers(), APP_ID, stateDir.toString(), INPUT, OUTPUT,
        Long.toString(microsPerRecord));
    Child c = new Child(name, new ProcessBuilder(cmd).redirectErrorStream(true).start(),
        tmp.resolve(name + ".log"));
    children.add(c);
    c.awaitLine(l -> l.startsWith("STATE RUNNING"), name + " to reach RUNNING");
    return c;
  }

  /** Waits until both instances run with disjoint, non-empty sets of tasks covering all. */
  private void awaitSplit(Child x, Child y) {
    long deadline = System.nanoTime() + PHASE.toNanos();
    Set<String> all = IntStream.range(0, PARTITIONS).mapToObj(p -> "0_" + p)
        .collect(Collectors.toCollection(TreeSet::new));
    while (true) {
      Set<String> tx = x.runningTasks();
      Set<String> ty = y.runningTasks();
      if (tx != null && ty != null && !tx.isEmpty() && !ty.isEmpty()) {
        Set<String> union = new TreeSet<>(tx);
        union.addAll(ty);
        if (union.equals(all) && tx.size() + ty.size() == all.size()) {
          System.out.println("tasks split: " + x.name + " " + tx + ", " + y.name + " " + ty);
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for the tasks to split between " + x.name + " and " + y.name
            + "\n" + x.tail() + "\n" + y.tail());
      }
      x.awaitAnyLine(Duration.ofMillis(200));
    }
  }

  /** A child JVM running {@link BrokerCountApp}, its output captured line by line. */
  private final class Child {
    final String name;
    final Process process;
    final List<String> lines = new ArrayList<>();
    final Thread reader;
    volatile boolean expectedAlive = true;
    volatile boolean dead;

    Child(String name, Process process, Path log) throws IOException {
      this.name = name;
      this.process = process;
      Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
      reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            process.getInputStream(), StandardCharsets.UTF_8)); file) {
          String line;
          while ((line = in.readLine()) != null) {
            file.write(line);
            file.write('\n');
            synchronized (lines) {
              lines.add(line);
              lines.notifyAll();
            }
          }
        } catch (IOException e) {
          // the child went away
        } finally {
          dead = true;
          synchronized (lines) {
            lines.notifyAll();
          }
        }
      }, "child-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits until some line satisfies {@code p}, failing on the deadline or the child's exit. */
    void awaitLine(Predicate<String> p, String what) {
      long deadline = System.nanoTime() + PHASE.toNanos();
      synchronized (lines) {
        int seen = 0;
        while (true) {
          for (; seen < lines.size(); seen++) {
            if (p.test(lines.get(seen))) {
              return;
            }
          }
          if (lines.stream().anyMatch(l -> l.startsWith("ERROR "))) {
            fail(name + " failed while waiting for " + what + "\n" + tail());
          }
          if (dead) {
            fail(name + " exited while waiting for " + what + "\n" + tail());
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            fail("timed out after " + PHASE + " waiting for " + name + " " + what + "\n"
                + tail());
          }
          try {
            lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
          }
          seen = Math.min(seen, lines.size());
        }
      }
    }

    /** Waits up to {@code d} for any new line. */
    void awaitAnyLine(Duration d) {
      synchronized (lines) {
        int n = lines.size();
        long deadline = System.nanoTime() + d.toNanos();
        while (lines.size() == n && !dead) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return;
          }
          try {
            lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }

    private List<String> snapshot() {
      synchronized (lines) {
        return new ArrayList<>(lines);
      }
    }

    /** The active tasks of the last report if it was RUNNING, else null. */
    Set<String> runningTasks() {
      List<String> l = snapshot();
      for (int i = l.size() - 1; i >= 0; i--) {
        if (l.get(i).startsWith("TASKS ")) {
          String[] f = l.get(i).split(" ");
          if (!f[1].equals("RUNNING")) {
            return null;
          }
          return f[2].equals("THREADS") ? Set.of() : new TreeSet<>(List.of(f[2].split(",")));
        }
      }
      return null;
    }

    Set<String> tasks() {
      Set<String> t = runningTasks();
      return t == null ? Set.of() : t;
    }

    long processed() {
      List<String> l = snapshot();
      for (int i = l.size() - 1; i >= 0; i--) {
        if (l.get(i).startsWith("PROCESSED ")) {
          return Long.parseLong(l.get(i).substring("PROCESSED ".length()).trim());
        }
      }
      return 0;
    }

    /** partition -> {startingOffset, endingOffset, restored} of the changelog restores. */
    Map<Integer, long[]> restores() {
      Map<Integer, long[]> out = new TreeMap<>();
      for (String line : snapshot()) {
        String[] f = line.split(" ");
        if (f[0].equals("RESTORE-START") && f[1].equals(CHANGELOG)) {
          out.put(Integer.parseInt(f[2]), new long[] {Long.parseLong(f[4]),
              Long.parseLong(f[5]), -1});
        } else if (f[0].equals("RESTORE-END") && f[1].equals(CHANGELOG)) {
          long[] r = out.get(Integer.parseInt(f[2]));
          if (r != null) {
            r[2] = Long.parseLong(f[4]);
          }
        }
      }
      return out;
    }

    String tail() {
      List<String> l = snapshot();
      return "---- last lines of " + name + " (" + (process.isAlive() ? "alive" : "exited "
          + process.exitValue()) + ") ----\n"
          + String.join("\n", l.subList(Math.max(0, l.size() - 60), l.size()));
    }

    /** Asks for a clean close and waits for the exit. */
    void stop() throws Exception {
      expectedAlive = false;
      try (PrintWriter w = new PrintWriter(new OutputStreamWriter(process.getOutputStream(),
          StandardCharsets.UTF_8), true)) {
        w.println("stop");
      }
      if (!process.waitFor(PHASE.toSeconds(), TimeUnit.SECONDS)) {
        fail(name + " did not stop within " + PHASE + "\n" + tail());
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
      assertEquals(0, process.exitValue(), name + " exit code\n" + tail());
      assertTrue(snapshot().stream().anyMatch(l -> l.startsWith("CLOSED")),
          name + " did not close cleanly\n" + tail());
    }

    /** SIGKILL: no shutdown hook, no close, no commit. */
    void kill() throws InterruptedException {
      expectedAlive = false;
      process.destroyForcibly();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        fail(name + " did not die from SIGKILL");
      }
    }

    void destroy() throws InterruptedException {
      expectedAlive = false;
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
