package dev.sett.kv.bench.skiplist;

import dev.sett.kv.bench.Smoke;
import dev.sett.kv.internal.Registries;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;
import java.nio.ByteBuffer;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Memtable puts and gets: the arena skiplist ({@code skiplist}) against the {@code
 * ConcurrentSkipListMap} baseline ({@code concurrent-skiplist}), 16-byte keys and 128-byte values
 * (Badger's benchmark shape: values this small stay in the LSM tree).
 *
 * <ul>
 *   <li>{@link #put}: {@value #PUTS} puts into a fresh memtable sized to hold exactly them,
 *       created before each measured invocation (creating it, which zeroes the arena, is not
 *       measured). Single-shot: one invocation is the whole batch, reported per put. Keys are
 *       {@code sequentialish} (an ascending counter with random jitter over a window of 4096,
 *       then 8 random bytes: mostly-ordered ids from several producers) or uniformly {@code
 *       random}.
 *   <li>{@link #get}: random hits in a memtable prefilled with {@value #ENTRIES} entries, at the
 *       newest read timestamp; the result, value copy included, goes to the blackhole.
 * </ul>
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -pl kv-bench -am package -DskipTests
 * java -jar kv-bench/target/benchmarks.jar MemTableBenchmark
 * java -jar kv-bench/target/benchmarks.jar MemTableBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s   # smoke
 * </pre>
 *
 * Add {@code -prof gc} to {@code get} runs to see allocation per operation (a get allocates only
 * its result). Not to {@code put} runs: the profiler charges the arena created before each batch to
 * the puts and, in single-shot mode, slowed them threefold in our runs.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class MemTableBenchmark {

  /** Puts per measured invocation of {@link #put}. */
  static final int PUTS = 1_000_000;
  /** Entries in the memtable {@link #get} reads. */
  static final int ENTRIES = 1_000_000;
  static final int KEY_SIZE = 16;
  static final int VALUE_SIZE = 128;

  /** Creates a memtable of the named provider, big enough for {@code entries} entries. */
  static MemTable create(String provider, int entries) {
    MemTableFactory factory = Registries.memTables().lookup(provider);
    long perEntry = KEY_SIZE + VALUE_SIZE + MemTable.MAX_ENTRY_OVERHEAD;
    return factory.create(perEntry * entries + (1 << 20));
  }

  static byte[] value(SplittableRandom random) {
    byte[] value = new byte[VALUE_SIZE];
    random.nextBytes(value);
    return value;
  }

  /** Keys for the put batch, and the memtable they go into, fresh for each invocation. */
  @State(Scope.Thread)
  public static class PutState {
    /** The provider under test. */
    @Param({"skiplist", "concurrent-skiplist"})
    public String provider;

    /** How keys arrive. */
    @Param({"sequentialish", "random"})
    public String keyOrder;

    byte[][] keys;
    byte[] value;
    MemTable memTable;

    /** Generates the keys once per trial, so every iteration inserts the same batch. */
    @Setup(Level.Trial)
    public void generateKeys() {
      SplittableRandom random = new SplittableRandom(42);
      keys = new byte[Smoke.size(PUTS)][];
      for (int i = 0; i < Smoke.size(PUTS); i++) {
        ByteBuffer key = ByteBuffer.allocate(KEY_SIZE);
        if (keyOrder.equals("random")) {
          key.putLong(random.nextLong());
        } else {
          key.putLong((long) i + random.nextInt(4096));
        }
        key.putLong(random.nextLong());
        keys[i] = key.array();
      }
      value = value(random);
    }

    /**
     * A fresh, empty memtable for each batch; its creation is outside the measurement. In
     * single-shot mode an iteration is one invocation, so this runs before every batch.
     */
    @Setup(Level.Iteration)
    public void createMemTable() {
      memTable = null; // let the previous arena go before allocating the next
      memTable = create(provider, Smoke.size(PUTS));
    }

    /** Checks that the batch fitted: a refused put would be measured as a cheap no-op. */
    @TearDown(Level.Iteration)
    public void checkAllFitted() {
      if (memTable.count() != Smoke.size(PUTS)) {
        throw new IllegalStateException(provider + " holds " + memTable.count() + " of "
            + Smoke.size(PUTS)
            + " puts");
      }
    }
  }

  /** A memtable prefilled with {@value #ENTRIES} random keys, shared by all threads. */
  @State(Scope.Benchmark)
  public static class GetState {
    /** The provider under test. */
    @Param({"skiplist", "concurrent-skiplist"})
    public String provider;

    byte[][] keys;
    MemTable memTable;

    /** Fills the memtable once per trial. */
    @Setup(Level.Trial)
    public void fill() {
      SplittableRandom random = new SplittableRandom(7);
      memTable = create(provider, Smoke.size(ENTRIES));
      keys = new byte[Smoke.size(ENTRIES)][];
      byte[] value = value(random);
      for (int i = 0; i < Smoke.size(ENTRIES); i++) {
        byte[] key = new byte[KEY_SIZE];
        random.nextBytes(key);
        keys[i] = key;
        if (!memTable.put(key, 1 + (i & 7), (byte) 0, (byte) 0, 0, value)) {
          throw new IllegalStateException("memtable full after " + i + " entries");
        }
      }
    }
  }

  /** Per-thread source of random indexes (xorshift: cheaper than any shared generator). */
  @State(Scope.Thread)
  public static class Cursor {
    private long x;

    /**
     * Seeds each thread differently but reproducibly.
     *
     * @param thread the thread's JMH parameters
     */
    @Setup(Level.Trial)
    public void seed(ThreadParams thread) {
      x = 0x9E37_79B9_7F4A_7C15L * (thread.getThreadIndex() + 1);
    }

    /**
     * The next index.
     *
     * @param bound one past the largest index
     * @return an index in [0, bound)
     */
    public int nextIndex(int bound) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      return (int) ((x >>> 33) % bound);
    }
  }

  /**
   * Inserts {@value #PUTS} entries into an empty memtable.
   *
   * @param s the keys and the memtable
   * @param bh receives each put's result
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OperationsPerInvocation(PUTS)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Warmup(iterations = 5)
  @Measurement(iterations = 10)
  public void put(PutState s, Blackhole bh) {
    MemTable mt = s.memTable;
    byte[][] keys = s.keys;
    byte[] value = s.value;
    for (int i = 0; i < keys.length; i++) {
      bh.consume(mt.put(keys[i], 1, (byte) 0, (byte) 0, 0, value));
    }
  }

  /**
   * Reads one random present key at the newest version.
   *
   * @param s the prefilled memtable
   * @param c this thread's random source
   * @param bh receives the stored value
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Warmup(iterations = 5, time = 2)
  @Measurement(iterations = 5, time = 2)
  public void get(GetState s, Cursor c, Blackhole bh) {
    bh.consume(s.memTable.get(s.keys[c.nextIndex(s.keys.length)], Long.MAX_VALUE));
  }
}
