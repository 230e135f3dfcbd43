package dev.sett.kv.bench.table;

import dev.sett.kv.bench.Smoke;
import dev.sett.kv.Compression;
import dev.sett.kv.bench.skiplist.MemTableBenchmark.Cursor;
import dev.sett.kv.internal.Registries;
import dev.sett.kv.io.NioStorage;
import dev.sett.kv.io.Storage;
import dev.sett.kv.io.WritableFile;
import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.spi.Table;
import dev.sett.kv.spi.TableBuilder;
import dev.sett.kv.spi.TableContext;
import dev.sett.kv.spi.TableFormat;
import dev.sett.kv.spi.TableSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@code sst-v1} table: building, point gets and scans over {@value #ENTRIES} entries of
 * 16-byte random keys and 128-byte values (Badger's benchmark shape), in a file on disk (read
 * through the page cache).
 *
 * <ul>
 *   <li>{@link #build}: writes the whole table (single shot, reported per entry), with {@code
 *       NONE} or {@code LZ4} block compression.
 *   <li>{@link #get}: random present keys. {@code source=memtable} reads the same entries from an
 *       arena skiplist memtable: the yardstick (target: a table get served from the block cache
 *       within 2x of it). {@code table-cached}: the block cache holds every block (warmed during
 *       setup). {@code table-uncached}: a cache of capacity 0, so every get reads and
 *       decompresses its block (the index and bloom filter stay cached).
 *   <li>{@link #getAbsent}: random absent keys, which the bloom filter should answer.
 *   <li>{@link #scan}: a full forward iteration, reported per entry.
 * </ul>
 *
 * <pre>
 * mvn -pl kv-bench -am package -DskipTests
 * java -jar kv-bench/target/benchmarks.jar TableBenchmark
 * </pre>
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TableBenchmark {
  static final int ENTRIES = 1_000_000;
  static final int KEY_SIZE = 16;
  static final int VALUE_SIZE = 128;
  private static final byte[] DB_ID = new byte[16];

  static byte[][] sortedKeys(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[][] keys = new byte[n][KEY_SIZE];
    for (byte[] k : keys) {
      random.nextBytes(k);
    }
    Arrays.sort(keys, Arrays::compareUnsigned);
    return keys;
  }

  static void write(Storage storage, String name, byte[][] keys, byte[] value,
      Compression compression) throws IOException {
    TableFormat format = Registries.tableFormats().select(null);
    try (WritableFile out = storage.create(name)) {
      TableBuilder b = format.newBuilder(out,
          new TableSettings(DB_ID, 1, 4096, compression, 0.01));
      for (byte[] k : keys) {
        b.add(k, new StoredValue(1, (byte) 0, (byte) 0, 0, value));
      }
      b.finish();
      out.sync();
    }
  }

  /** A table file on disk and the keys in it. */
  @State(Scope.Benchmark)
  public static class Files1M {
    /** Block compression. */
    @Param({"LZ4"})
    public String compression;

    Path dir;
    Storage storage;
    byte[][] keys;
    byte[] value;

    /** Writes the table once. */
    @Setup(Level.Trial)
    public void create() throws IOException {
      dir = Files.createTempDirectory("sett-table-bench");
      storage = new NioStorage(dir);
      keys = sortedKeys(Smoke.size(ENTRIES), 42);
      value = new byte[VALUE_SIZE];
      new SplittableRandom(1).nextBytes(value);
      write(storage, "000001.sst", keys, value, Compression.valueOf(compression));
    }

    /** Deletes the file. */
    @TearDown(Level.Trial)
    public void delete() throws IOException {
      for (String f : storage.list()) {
        storage.delete(f);
      }
      Files.deleteIfExists(dir);
    }
  }

  /** What {@link #get} reads from. */
  @State(Scope.Benchmark)
  public static class Source {
    /** memtable, table-cached or table-uncached. */
    @Param({"memtable", "table-cached", "table-uncached"})
    public String source;

    Table table;
    MemTable memTable;

    /** Opens the table (and warms the cache) or fills the memtable. */
    @Setup(Level.Trial)
    public void open(Files1M f) throws IOException {
      if (source.equals("memtable")) {
        memTable = Registries.memTables().select(null)
            .create((long) Smoke.size(ENTRIES)
                * (KEY_SIZE + VALUE_SIZE + MemTable.MAX_ENTRY_OVERHEAD));
        for (byte[] k : f.keys) {
          memTable.put(k, 1, (byte) 0, (byte) 0, 0, f.value);
        }
        return;
      }
      long capacity = source.equals("table-cached") ? 512L << 20 : 0;
      BlockCache blocks = Registries.blockCaches().select(null).create(capacity);
      BlockCache index = Registries.blockCaches().select(null).create(64L << 20);
      table = Registries.tableFormats().select(null).open(f.storage.openRead("000001.sst"),
          new TableContext(DB_ID, 1, blocks, index));
      try (EntryIterator it = table.iterator(true)) {
        for (it.seekToFirst(); it.valid(); it.next()) {
          // warms the block cache (a no-op for capacity 0)
        }
      }
    }

    /** Closes the table. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      if (table != null) {
        table.close();
      }
    }

    StoredValue get(byte[] key) throws IOException {
      return memTable != null ? memTable.get(key, Long.MAX_VALUE) : table.get(key, Long.MAX_VALUE);
    }
  }

  /** Keys to build a table from. */
  @State(Scope.Benchmark)
  public static class BuildInput {
    /** Block compression. */
    @Param({"NONE", "LZ4"})
    public String compression;

    Path dir;
    Storage storage;
    byte[][] keys;
    byte[] value;
    int run;

    /** Makes the keys once. */
    @Setup(Level.Trial)
    public void keys() throws IOException {
      dir = Files.createTempDirectory("sett-table-build");
      storage = new NioStorage(dir);
      keys = sortedKeys(Smoke.size(ENTRIES), 7);
      value = new byte[VALUE_SIZE];
      new SplittableRandom(2).nextBytes(value);
    }

    /** Removes the tables built. */
    @TearDown(Level.Trial)
    public void delete() throws IOException {
      for (String f : storage.list()) {
        storage.delete(f);
      }
      Files.deleteIfExists(dir);
    }
  }

  /**
   * Builds a table of {@value #ENTRIES} entries.
   *
   * @param in the keys
   * @throws IOException if the file cannot be written
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OperationsPerInvocation(ENTRIES)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Warmup(iterations = 3)
  @Measurement(iterations = 5)
  public void build(BuildInput in) throws IOException {
    String name = String.format("%06d.sst", ++in.run);
    write(in.storage, name, in.keys, in.value, Compression.valueOf(in.compression));
    in.storage.delete(name);
  }

  /**
   * Gets a random present key.
   *
   * @param s the source
   * @param f the keys
   * @param c the random index
   * @return the value found
   * @throws IOException if a block cannot be read
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public StoredValue get(Source s, Files1M f, Cursor c) throws IOException {
    return s.get(f.keys[c.nextIndex(f.keys.length)]);
  }

  /**
   * Gets a random absent key (its last byte flipped: almost surely not in the table).
   *
   * @param s the source
   * @param f the keys
   * @param c the random index
   * @param bh receives the result
   * @throws IOException if a block cannot be read
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public void getAbsent(Source s, Files1M f, Cursor c, Blackhole bh) throws IOException {
    byte[] k = f.keys[c.nextIndex(f.keys.length)].clone();
    k[KEY_SIZE - 1] ^= 0x5A;
    k[0] ^= 0x01;
    bh.consume(s.get(k));
  }

  /**
   * Iterates the whole table forward.
   *
   * @param s the source (a table)
   * @param bh receives each key
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OperationsPerInvocation(ENTRIES)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Warmup(iterations = 3)
  @Measurement(iterations = 5)
  public void scan(Source s, Blackhole bh) {
    try (EntryIterator it = s.memTable != null ? s.memTable.iterator() : s.table.iterator(true)) {
      for (it.seekToFirst(); it.valid(); it.next()) {
        bh.consume(it.key());
      }
    }
  }
}
