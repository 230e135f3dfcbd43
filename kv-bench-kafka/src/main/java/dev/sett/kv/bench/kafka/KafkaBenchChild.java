package dev.sett.kv.bench.kafka;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.internals.RecordConverter;
import org.apache.kafka.streams.state.internals.RecordConverters;

/**
 * One measurement of one store kind, in a JVM of its own (started by {@link KafkaStoreBench}):
 * prints one {@value #RESULT} line of {@code name=value} fields and exits.
 *
 * <p>Arguments: {@code --measure restore|count|rss --store sett|rocksdb --dir D} and the sizes
 * {@link KafkaStoreBench} passes on (see its usage).
 */
public final class KafkaBenchChild {
  /** The first word of the result line. */
  static final String RESULT = "SETT-KAFKA-RESULT";

  static final String CHANGELOG = "bench-store-changelog";

  private KafkaBenchChild() {}

  /**
   * Runs one measurement.
   *
   * @param args see the class comment
   * @throws Exception on failure (the parent reports the log)
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      a.put(args[i].substring(2), args[i + 1]);
    }
    Map<String, Object> r = run(a);
    StringBuilder sb = new StringBuilder(RESULT);
    r.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    System.out.println(sb);
    System.out.flush();
    System.exit(0); // stores' non-daemon threads must not keep the JVM
  }

  /** Runs the measurement the arguments name and returns its fields. */
  static Map<String, Object> run(Map<String, String> a) throws IOException {
    String store = req(a, "store");
    BenchStores.check(store);
    Path dir = Path.of(req(a, "dir"));
    Files.createDirectories(dir);
    String customizer = a.get("sett-customizer");
    Map<String, Object> out = switch (req(a, "measure")) {
      case "restore" -> restore(store, dir, customizer, lng(a, "keys", 3_000_000),
          lng(a, "overwrites", 500_000), (int) lng(a, "key-bytes", 20),
          (int) lng(a, "value-bytes", 100), (int) lng(a, "batch", 1000),
          (int) lng(a, "verify", 1000));
      case "count" -> count(store, dir, customizer, lng(a, "records", 1_000_000),
          (int) lng(a, "keys", 100_000), Boolean.parseBoolean(a.getOrDefault("caching", "true")));
      case "rss" -> manyStores(store, dir, customizer, (int) lng(a, "stores", 300),
          lng(a, "puts", 30_000_000), (int) lng(a, "keys-per-store", 100_000),
          (int) lng(a, "key-bytes", 20), (int) lng(a, "value-bytes", 100),
          (int) lng(a, "commit-every", 10_000));
      default -> throw new IllegalArgumentException("unknown measure " + a.get("measure"));
    };
    out.put("peakRss", ProcStatus.peakRss());
    out.put("heapMax", Runtime.getRuntime().maxMemory());
    return out;
  }

  // ---------------------------------------------------------------- restore

  /**
   * Restores a changelog of {@code keys} new keys and {@code overwrites} overwrites (interleaved)
   * through the restore callback the store registered, in batches of {@code batch} records, then
   * commits the changelog offset as the task's commit after restoring does, and closes the store.
   * Timed from the first batch to the store closed.
   */
  static Map<String, Object> restore(String store, Path dir, String customizer, long keys,
      long overwrites, int keyBytes, int valueBytes, int batch, int verify) {
    long total = keys + overwrites;
    TopicPartition tp = new TopicPartition(CHANGELOG, 0);
    // The changelog, built before the clock starts, as the consumer would hand it over.
    List<List<ConsumerRecord<byte[], byte[]>>> batches = new ArrayList<>();
    Headers headers = new RecordHeaders();
    SplittableRandom rnd = new SplittableRandom(42);
    long next = 0;
    long bytes = 0;
    List<ConsumerRecord<byte[], byte[]>> current = new ArrayList<>(batch);
    for (long off = 0; off < total; off++) {
      long remainingNew = keys - next;
      boolean fresh = next == 0 || rnd.nextLong(total - off) < remainingNew;
      long k = fresh ? next++ : rnd.nextLong(next);
      byte[] key = key(k, keyBytes);
      byte[] value = new byte[valueBytes]; // the changelog holds the plain value
      long ts = 1_700_000_000_000L + off; // and the record's timestamp
      rnd.nextBytes(value);
      bytes += key.length + value.length;
      current.add(new ConsumerRecord<>(CHANGELOG, 0, off, ts, TimestampType.CREATE_TIME,
          key.length, value.length, key, value, headers, Optional.empty()));
      if (current.size() == batch) {
        batches.add(current);
        current = new ArrayList<>(batch);
      }
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    BenchStoreContext ctx = new BenchStoreContext(dir.toFile(),
        BenchStoreContext.config(BenchStores.appConfigs(store, customizer)), new TaskId(0, 0),
        10L << 20);
    String name = "bench-store";
    TimestampedKeyValueStore<Bytes, byte[]> s = BenchStores.builder(store, name, true).build();
    s.init(ctx, s);
    ctx.initialize();
    RecordBatchingStateRestoreCallback cb = ctx.restoreCallback(name);
    System.gc(); // the changelog is built: start from a collected heap, the same for both
    long t0 = System.nanoTime();
    RecordConverter converter = RecordConverters.rawValueToTimestampedValue();
    for (List<ConsumerRecord<byte[], byte[]>> b : batches) {
      // What ProcessorStateManager.restore does with each polled batch of a timestamped store.
      List<ConsumerRecord<byte[], byte[]>> converted = new ArrayList<>(b.size());
      for (ConsumerRecord<byte[], byte[]> r : b) {
        converted.add(converter.convert(r));
      }
      cb.restoreBatch(converted);
    }
    long t1 = System.nanoTime();
    s.commit(Map.of(tp, total)); // the task's commit after restoring: the next offset to read
    s.close();
    long t2 = System.nanoTime();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("records", total);
    out.put("bytes", bytes);
    out.put("nanos", t2 - t0);
    out.put("batchesNanos", t1 - t0);
    out.put("commitCloseNanos", t2 - t1);
    out.put("diskBytes", du(dir));
    out.put("verified", verifyRestore(store, dir, customizer, batches, verify, tp, total));
    return out;
  }

  /** Reopens the store and checks the committed offset and the last value of sample keys. */
  private static int verifyRestore(String store, Path dir, String customizer,
      List<List<ConsumerRecord<byte[], byte[]>>> batches, int samples, TopicPartition tp,
      long total) {
    if (samples <= 0) {
      return 0;
    }
    Map<Bytes, byte[]> expected = new HashMap<>();
    Map<Bytes, Long> timestamps = new HashMap<>();
    long n = 0;
    for (List<ConsumerRecord<byte[], byte[]>> b : batches) {
      n += b.size();
    }
    long stride = Math.max(1, n / samples);
    long i = 0;
    for (List<ConsumerRecord<byte[], byte[]>> b : batches) {
      for (ConsumerRecord<byte[], byte[]> r : b) {
        Bytes k = Bytes.wrap(r.key());
        if (i++ % stride == 0 || expected.containsKey(k)) {
          expected.put(k, r.value());
          timestamps.put(k, r.timestamp());
        }
      }
    }
    BenchStoreContext ctx = new BenchStoreContext(dir.toFile(),
        BenchStoreContext.config(BenchStores.appConfigs(store, customizer)), new TaskId(0, 0),
        0);
    TimestampedKeyValueStore<Bytes, byte[]> s =
        BenchStores.builder(store, "bench-store", false).build();
    s.init(ctx, s);
    try {
      Long committed = s.committedOffset(tp);
      if (committed == null || committed != total) {
        throw new IllegalStateException("committed offset " + committed + ", expected " + total);
      }
      for (Map.Entry<Bytes, byte[]> e : expected.entrySet()) {
        ValueAndTimestamp<byte[]> got = s.get(e.getKey());
        if (got == null || got.timestamp() != timestamps.get(e.getKey())
            || !java.util.Arrays.equals(got.value(), e.getValue())) {
          throw new IllegalStateException("restored store is wrong at key " + e.getKey());
        }
      }
    } finally {
      s.close();
    }
    return expected.size();
  }

  // ---------------------------------------------------------------- count topology

  /**
   * {@code stream.groupByKey().count()} through {@link TopologyTestDriver}: {@code records}
   * input records over {@code keys} keys, record caching at its default size or off. The driver
   * commits after every record (it behaves as if {@code commit.interval.ms} were 0).
   */
  static Map<String, Object> count(String store, Path dir, String customizer, long records,
      int keys, boolean caching) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("input", Consumed.with(Serdes.String(), Serdes.String()))
        .groupByKey()
        .count(Materialized.as("counts"));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-count");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
    p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    p.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BenchStores.dslSuppliers(store));
    if (!caching) {
      p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
    }
    p.putAll(BenchStores.appConfigs(store, customizer));
    String[] keyNames = new String[keys];
    for (int i = 0; i < keys; i++) {
      keyNames[i] = "key-" + Long.toHexString(mix(i));
    }
    SplittableRandom rnd = new SplittableRandom(7);
    int[] order = new int[(int) records];
    for (int i = 0; i < order.length; i++) {
      order[i] = rnd.nextInt(keys);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    long t0;
    long t1;
    long t2;
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), p)) {
      TestInputTopic<String, String> in = driver.createInputTopic("input",
          new StringSerializer(), new StringSerializer());
      long ts = 1_700_000_000_000L;
      System.gc();
      t0 = System.nanoTime();
      for (int i = 0; i < order.length; i++) {
        in.pipeInput(keyNames[order[i]], "v", ts + i);
      }
      t1 = System.nanoTime();
      KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
      long sum = 0;
      long distinct = 0;
      try (KeyValueIterator<String, Long> it = counts.all()) {
        while (it.hasNext()) {
          KeyValue<String, Long> kv = it.next();
          sum += kv.value;
          distinct++;
        }
      }
      if (sum != records) {
        throw new IllegalStateException("counts add up to " + sum + ", expected " + records);
      }
      out.put("distinctKeys", distinct);
      t2 = System.nanoTime();
    }
    long t3 = System.nanoTime();
    out.put("records", records);
    out.put("nanos", t1 - t0);
    out.put("closeNanos", t3 - t2);
    out.put("storeClass", storeClass(store));
    return out;
  }

  private static String storeClass(String store) {
    return BenchStores.supplier(store, "x").getClass().getSimpleName();
  }

  // ---------------------------------------------------------------- many stores

  /**
   * Opens {@code stores} persistent timestamped key-value stores, each in its own task
   * directory as that many tasks would have them, then writes {@code puts} records round-robin
   * over them ({@code keys-per-store} random keys each), committing each store every {@code
   * commitEvery} of its records as Kafka's commit interval would; then commits and closes all.
   * Reports the process's peak resident set and the largest {@code VmRSS} sample.
   */
  static Map<String, Object> manyStores(String store, Path dir, String customizer, int stores,
      long puts, int keysPerStore, int keyBytes, int valueBytes, int commitEvery) {
    ProcStatus.Sampler sampler = new ProcStatus.Sampler(250);
    long rssBefore = ProcStatus.rss();
    StreamsConfig config = BenchStoreContext.config(BenchStores.appConfigs(store, customizer));
    List<TimestampedKeyValueStore<Bytes, byte[]>> open = new ArrayList<>(stores);
    List<BenchStoreContext> contexts = new ArrayList<>(stores);
    long t0 = System.nanoTime();
    for (int i = 0; i < stores; i++) {
      TaskId task = new TaskId(0, i);
      File taskDir = dir.resolve(task.toString()).toFile();
      taskDir.mkdirs();
      BenchStoreContext ctx = new BenchStoreContext(taskDir, config, task, 0);
      TimestampedKeyValueStore<Bytes, byte[]> s =
          BenchStores.builder(store, "counts", false).build();
      s.init(ctx, s);
      ctx.initialize();
      open.add(s);
      contexts.add(ctx);
    }
    long t1 = System.nanoTime();
    long rssOpen = ProcStatus.rss();
    SplittableRandom rnd = new SplittableRandom(11);
    byte[] pool = new byte[1 << 20];
    rnd.nextBytes(pool);
    long[] written = new long[stores];
    TopicPartition[] tps = new TopicPartition[stores];
    for (int i = 0; i < stores; i++) {
      tps[i] = new TopicPartition(CHANGELOG, i);
    }
    long ts = 1_700_000_000_000L;
    for (long j = 0; j < puts; j++) {
      int si = (int) (j % stores);
      TimestampedKeyValueStore<Bytes, byte[]> s = open.get(si);
      byte[] key = key(rnd.nextInt(keysPerStore), keyBytes);
      byte[] value = new byte[valueBytes];
      System.arraycopy(pool, rnd.nextInt(pool.length - valueBytes), value, 0, valueBytes);
      s.put(Bytes.wrap(key), ValueAndTimestamp.make(value, ts + j));
      if (++written[si] % commitEvery == 0) {
        s.commit(Map.of(tps[si], written[si]));
      }
    }
    for (int i = 0; i < stores; i++) {
      open.get(i).commit(Map.of(tps[i], written[i]));
    }
    long t2 = System.nanoTime();
    long rssLoaded = ProcStatus.rss();
    long threads = ProcStatus.threads();
    long maxSample = sampler.max();
    for (TimestampedKeyValueStore<Bytes, byte[]> s : open) {
      s.close();
    }
    long t3 = System.nanoTime();
    sampler.close();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stores", stores);
    out.put("puts", puts);
    out.put("openNanos", t1 - t0);
    out.put("nanos", t2 - t1);
    out.put("closeNanos", t3 - t2);
    out.put("rssBefore", rssBefore);
    out.put("rssOpen", rssOpen);
    out.put("rssLoaded", rssLoaded);
    out.put("rssMaxSample", maxSample);
    out.put("heapCommitted", Runtime.getRuntime().totalMemory());
    out.put("threads", threads);
    out.put("diskBytes", du(dir));
    return out;
  }

  // ---------------------------------------------------------------- helpers

  /** A key of {@code n} bytes (at least 16): a hash of {@code k} first, so keys come unsorted. */
  static byte[] key(long k, int n) {
    byte[] b = new byte[Math.max(16, n)];
    putLong(b, 0, mix(k));
    putLong(b, 8, k);
    for (int i = 16; i < b.length; i++) {
      b[i] = (byte) ('a' + (k + i) % 26);
    }
    return b;
  }

  /** A bijective 64-bit mix (SplitMix64's finalizer). */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static void putLong(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }

  /** Bytes of the regular files under {@code dir}. */
  static long du(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String req(Map<String, String> a, String name) {
    String v = a.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return v;
  }

  private static long lng(Map<String, String> a, String name, long dflt) {
    String v = a.get(name);
    return v == null ? dflt : KafkaStoreBench.parseCount(v);
  }
}
