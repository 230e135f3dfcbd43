package dev.sett.kv.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.kv.Compression;
import dev.sett.kv.CorruptionException;
import dev.sett.kv.StorageException;
import dev.sett.kv.internal.ProviderRegistry;
import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.WritableFile;
import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.EntryMeta;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.spi.Table;
import dev.sett.kv.spi.TableBuilder;
import dev.sett.kv.spi.TableContext;
import dev.sett.kv.spi.TableFormat;
import dev.sett.kv.spi.TableSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every {@link TableFormat} must meet. A provider's test class extends this and
 * implements {@link #format()}; every test here then runs against it, on {@link MemoryStorage}.
 *
 * <p>Covered: round trips of random sorted entries (tombstones, value pointers, many versions per
 * key, empty and large values, shared key prefixes, the unsigned byte extremes) under several
 * block sizes, both compressions, with and without a bloom filter and with and without caches;
 * {@code get} at many read timestamps against a model; iteration both ways; {@code seek} and
 * {@code seekForPrev} to every key, to every version and to keys between them, followed by short
 * walks; one-entry tables; versions of one key spread over many blocks; the builder's refusals
 * and its size estimate; identity checks at open; truncation at every length; damage to every
 * single byte of a small multi-block table, which must end in {@link CorruptionException} and
 * never in different data; I/O errors, interrupted reads among them; what {@code fillCache} puts
 * into the caches; concurrent gets. Randomised tests print their seed ({@link TestSeeds}) and put it in failure messages.
 */
public abstract class TableFormatContract {

  /** The database id tables are written with. */
  protected static final byte[] DB_ID = HexFormat.of().parseHex("5e7700112233445566778899aabbccdd");
  /** The file id tables are written with. */
  protected static final long FILE_ID = 42;
  /** The name tables are written under. */
  protected static final String FILE_NAME = "000042.sst";

  /** For subclasses: one per provider. */
  protected TableFormatContract() {}

  /**
   * The provider under test.
   *
   * @return the format, possibly a new instance per call
   */
  protected abstract TableFormat format();

  // ---------------------------------------------------------------------------------------------
  // Model (keyed by {@link At})

  /**
   * How a round trip is written and read.
   *
   * @param blockSize the block size
   * @param compression the compression
   * @param bloomFalsePositive the bloom filter rate, 0 for none
   * @param caching whether the table reads through a block cache that keeps what it is given
   */
  public record Config(int blockSize, Compression compression, double bloomFalsePositive,
      boolean caching) {
    @Override
    public String toString() {
      return "block " + blockSize + ", " + compression + ", bloom " + bloomFalsePositive
          + (caching ? ", blocks cached" : ", blocks uncached");
    }
  }

  static Stream<Config> configs() {
    return Stream.of(
        new Config(64, Compression.NONE, 0.01, true),
        new Config(256, Compression.LZ4, 0.01, false),
        new Config(4096, Compression.LZ4, 0, true),
        new Config(4096, Compression.NONE, 0.001, false),
        new Config(1024, Compression.LZ4, 0.05, true));
  }

  // ---------------------------------------------------------------------------------------------
  // Round trips

  @Test
  void name_isAValidProviderName() {
    assertTrue(ProviderRegistry.isValidName(format().name()), format().name());
  }

  @ParameterizedTest
  @MethodSource("configs")
  void roundTrip_randomEntries_matchModel(Config config, TestInfo info) throws IOException {
    long seed = TestSeeds.seed(info);
    Random random = new Random(seed);
    String why = "seed " + TestSeeds.format(seed) + ", " + config;
    TreeMap<At, StoredValue> model = randomEntries(random, 1500 + random.nextInt(1500));
    try (Table t = open(build(model, settings(config)), config.caching())) {
      checkEverything(t, model, random, why);
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void roundTrip_oneEntry(Compression compression) throws IOException {
    TreeMap<At, StoredValue> model = new TreeMap<>();
    model.put(new At(b("only"), 7), new StoredValue(7, (byte) 0, (byte) 9, 0, b("value")));
    try (Table t = open(build(model, settings(4096, compression, 0.01)), true)) {
      checkEverything(t, model, new Random(1), compression.toString());
      assertNull(t.get(b("only"), 6));
      assertEquals(7, t.get(b("only"), Long.MAX_VALUE).version());
      try (EntryIterator it = t.iterator(true)) {
        it.seekForPrev(b("only"), Long.MAX_VALUE);
        assertFalse(it.valid(), "only@MAX sorts before only@7");
        it.seek(b("only"), 6);
        assertFalse(it.valid());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void roundTrip_largeValues_largerThanBlocks(Compression compression, TestInfo info)
      throws IOException {
    long seed = TestSeeds.seed(info);
    Random random = new Random(seed);
    TreeMap<At, StoredValue> model = new TreeMap<>();
    for (int i = 0; i < 24; i++) {
      byte[] value = new byte[random.nextInt(300_000)];
      if (i % 2 == 0) {
        random.nextBytes(value); // incompressible
      } else {
        Arrays.fill(value, (byte) i); // very compressible
      }
      long version = 1 + random.nextInt(3);
      model.put(new At(b(String.format("big-%03d", i)), version),
          new StoredValue(version, (byte) 0, (byte) 0, 0, value));
    }
    byte[] longKey = new byte[65_000];
    Arrays.fill(longKey, (byte) 0xff);
    model.put(new At(longKey, 3), new StoredValue(3, (byte) 0, (byte) 0, 0, new byte[0]));
    try (Table t = open(build(model, settings(4096, compression, 0.01)), true)) {
      checkEverything(t, model, random, "seed " + TestSeeds.format(seed));
    }
  }

  @Test
  void roundTrip_versionsOfOneKeyAcrossManyBlocks() throws IOException {
    TreeMap<At, StoredValue> model = new TreeMap<>();
    for (long v = 1; v <= 600; v += 1 + v % 3) {
      byte meta = v % 50 == 0 ? EntryMeta.DELETE : 0;
      model.put(new At(b("k"), v), new StoredValue(v, meta, (byte) 0, 0, b("v" + v)));
    }
    model.put(new At(b("j"), 900), new StoredValue(900, (byte) 0, (byte) 0, 0, b("j")));
    model.put(new At(b("k\u0000"), 1), new StoredValue(1, (byte) 0, (byte) 0, 0, b("k0")));
    model.put(new At(b("kk"), 2), new StoredValue(2, (byte) 0, (byte) 0, 0, b("kk")));
    for (Compression c : Compression.values()) {
      try (Table t = open(build(model, settings(64, c, 0.01)), false)) {
        for (long readTs = 0; readTs <= 602; readTs++) {
          Map.Entry<At, StoredValue> e = model.ceilingEntry(new At(b("k"), readTs));
          StoredValue expected = e != null && Arrays.equals(b("k"), e.getKey().key())
              ? e.getValue() : null;
          assertStored(expected, t.get(b("k"), readTs), c + " get(k, " + readTs + ")");
        }
        checkEverything(t, model, new Random(3), c.toString());
      }
    }
  }

  @Test
  void sampleKeys_areTableKeysInOrder_fromTheSmallest_atMostAsManyAsAsked() throws IOException {
    TreeMap<At, StoredValue> model = new TreeMap<>();
    for (int i = 0; i < 2000; i++) {
      byte[] k = b(String.format("key%05d", i));
      for (long v = 1; v <= 1 + i % 3; v++) { // versions of one key may span blocks
        model.put(new At(k, v), new StoredValue(v, (byte) 0, (byte) 0, 0, b("value" + i)));
      }
    }
    java.util.Set<String> keys = new java.util.HashSet<>();
    model.keySet().forEach(at -> keys.add(new String(at.key())));
    try (Table t = open(build(model, settings(64, Compression.NONE, 0.01)), false)) {
      for (int max : new int[] {1, 2, 7, 100, 100_000}) {
        java.util.List<byte[]> sample = t.sampleKeys(max);
        assertTrue(!sample.isEmpty() && sample.size() <= max, max + ": " + sample.size());
        assertArrayEquals(t.smallestKey(), sample.get(0), "the first is the smallest key");
        for (int i = 0; i < sample.size(); i++) {
          assertTrue(keys.contains(new String(sample.get(i))), "a key of the table");
          if (i > 0) {
            assertTrue(Arrays.compareUnsigned(sample.get(i - 1), sample.get(i)) < 0, "in order");
          }
        }
      }
      assertTrue(t.sampleKeys(100).size() > 10, "a table of many blocks gives many keys");
    }
  }

  @Test
  void roundTrip_recordsMetaUserMetaAndExpiry() throws IOException {
    TreeMap<At, StoredValue> model = new TreeMap<>();
    byte[] pointer = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    model.put(new At(b("p"), 9), new StoredValue(9, EntryMeta.VALUE_POINTER, (byte) 0xfe,
        Long.MAX_VALUE, pointer));
    model.put(new At(b("p"), 3), new StoredValue(3, EntryMeta.DELETE, (byte) 0x80, 0,
        new byte[0]));
    model.put(new At(b("q"), Long.MAX_VALUE), new StoredValue(Long.MAX_VALUE,
        (byte) (EntryMeta.DELETE | EntryMeta.DISCARD_EARLIER_VERSIONS), (byte) 1, 1_700_000_000L,
        b("x")));
    try (Table t = open(build(model, settings(4096, Compression.LZ4, 0.01)), true)) {
      checkEverything(t, model, new Random(5), "meta");
      assertEquals(Long.MAX_VALUE, t.maxVersion());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Builder

  @Test
  void builder_rejectsOutOfOrderAndDuplicateEntries_andStaysUsable() throws IOException {
    MemoryStorage storage = new MemoryStorage();
    try (WritableFile out = storage.create(FILE_NAME)) {
      TableBuilder builder = format().newBuilder(out, settings(256, Compression.LZ4, 0.01));
      builder.add(b("b"), value(5, "b5"));
      assertThrows(IllegalArgumentException.class, () -> builder.add(b("b"), value(5, "dup")),
          "duplicate (key, version)");
      assertThrows(IllegalArgumentException.class, () -> builder.add(b("b"), value(6, "newer")),
          "a newer version after an older one");
      assertThrows(IllegalArgumentException.class, () -> builder.add(b("a"), value(1, "a")),
          "a smaller key");
      assertThrows(IllegalArgumentException.class, () -> builder.add(new byte[0], value(1, "")),
          "empty key");
      assertThrows(IllegalArgumentException.class,
          () -> builder.add(new byte[65_001], value(1, "")), "key over 65,000 bytes");
      assertEquals(1, builder.entryCount());
      builder.add(b("b"), value(4, "b4"));
      builder.add(b("b\u0000"), value(9, "b0"));
      builder.add(b("c"), value(1, "c1"));
      long size = builder.finish();
      assertEquals(out.size(), size, "finish returns the file size");
      assertThrows(IllegalStateException.class, () -> builder.add(b("d"), value(1, "d")),
          "add after finish");
    }
    TreeMap<At, StoredValue> model = new TreeMap<>();
    model.put(new At(b("b"), 5), value(5, "b5"));
    model.put(new At(b("b"), 4), value(4, "b4"));
    model.put(new At(b("b\u0000"), 9), value(9, "b0"));
    model.put(new At(b("c"), 1), value(1, "c1"));
    try (Table t = format().open(storage.openRead(FILE_NAME), context(true))) {
      checkEverything(t, model, new Random(9), "after refusals");
    }
  }

  @Test
  void finish_withoutEntries_isIllegalState() throws IOException {
    try (WritableFile out = new MemoryStorage().create(FILE_NAME)) {
      TableBuilder builder = format().newBuilder(out, settings(4096, Compression.NONE, 0.01));
      assertEquals(0, builder.entryCount());
      assertThrows(IllegalStateException.class, builder::finish);
    }
  }

  @Test
  void builder_neitherSyncsNorCloses_andFinishReturnsTheFileSize() throws IOException {
    MemoryStorage storage = new MemoryStorage();
    AtomicInteger syncsAndCloses = new AtomicInteger();
    WritableFile raw = storage.create(FILE_NAME);
    WritableFile watched = new WritableFile() {
      @Override
      public String name() {
        return raw.name();
      }

      @Override
      public long size() {
        return raw.size();
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        raw.write(b, off, len);
      }

      @Override
      public void sync() {
        syncsAndCloses.incrementAndGet();
      }

      @Override
      public void truncate(long size) throws IOException {
        raw.truncate(size);
      }

      @Override
      public void close() {
        syncsAndCloses.incrementAndGet();
      }
    };
    TableBuilder builder = format().newBuilder(watched, settings(512, Compression.NONE, 0.01));
    for (int i = 0; i < 2000; i++) {
      builder.add(b(String.format("key-%06d", i)), value(1, "value-" + i));
    }
    assertEquals(2000, builder.entryCount());
    long estimate = builder.estimatedSize();
    long size = builder.finish();
    assertEquals(raw.size(), size);
    assertEquals(0, syncsAndCloses.get(), "the caller syncs and closes");
    // Without compression the estimate is close to exact; compaction cuts tables by it.
    assertTrue(Math.abs(estimate - size) <= size / 10 + 512,
        "estimated " + estimate + " bytes, finished at " + size);
  }

  @Test
  void estimatedSize_growsWithEntries() throws IOException {
    try (WritableFile out = new MemoryStorage().create(FILE_NAME)) {
      TableBuilder builder = format().newBuilder(out, settings(4096, Compression.LZ4, 0.01));
      long first = builder.estimatedSize();
      byte[] value = new byte[100];
      Random random = new Random(11);
      for (int i = 0; i < 5000; i++) {
        random.nextBytes(value);
        builder.add(b(String.format("key-%06d", i)), new StoredValue(1, (byte) 0, (byte) 0, 0,
            value.clone()));
      }
      long estimate = builder.estimatedSize();
      assertTrue(estimate >= first + 5000 * 100, "estimate " + estimate + " after 500 KB");
      long size = builder.finish();
      assertTrue(Math.abs(estimate - size) <= size / 10 + 4096,
          "estimated " + estimate + " bytes, finished at " + size);
    }
  }

  /**
   * {@code includeVersion} raises the finished table's max version above its entries' (the
   * engine sorts level 0 by it; a memtable of value log rewrites has old versions but a new
   * commit), never lowers it, and changes no entry.
   */
  @Test
  void includeVersion_raisesMaxVersion_only() throws IOException {
    for (long floor : new long[] {0, 5, 7, 1_000}) {
      MemoryStorage storage = new MemoryStorage();
      try (WritableFile out = storage.create(FILE_NAME)) {
        TableBuilder builder = format().newBuilder(out, settings(4096, Compression.LZ4, 0.01));
        builder.add(b("a"), new StoredValue(7, (byte) 0, (byte) 0, 0, b("a7")));
        builder.add(b("b"), new StoredValue(3, (byte) 0, (byte) 0, 0, b("b3")));
        builder.includeVersion(floor);
        builder.finish();
        out.sync();
      }
      try (Table t = open(storage, true)) {
        assertEquals(Math.max(7, floor), t.maxVersion(), "includeVersion(" + floor + ")");
        assertEquals(7, t.get(b("a"), Long.MAX_VALUE).version());
        assertEquals(3, t.get(b("b"), Long.MAX_VALUE).version());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Open

  @Test
  void open_checksDatabaseAndFileIdentity() throws IOException {
    MemoryStorage storage = build(smallModel(), settings(256, Compression.LZ4, 0.01));
    byte[] otherDb = DB_ID.clone();
    otherDb[15] ^= 1;
    try (ReadableFile in = storage.openRead(FILE_NAME)) {
      CorruptionException e = assertThrows(CorruptionException.class, () -> format().open(in,
          new TableContext(otherDb, FILE_ID, noCache(), noCache())));
      assertEquals(FILE_NAME, e.file().orElseThrow());
    }
    try (ReadableFile in = storage.openRead(FILE_NAME)) {
      CorruptionException e = assertThrows(CorruptionException.class, () -> format().open(in,
          new TableContext(DB_ID, FILE_ID + 1, noCache(), noCache())));
      assertEquals(FILE_NAME, e.file().orElseThrow());
    }
  }

  @Test
  void open_rejectsFilesThatAreNotTables() throws IOException {
    MemoryStorage storage = new MemoryStorage();
    try (WritableFile out = storage.create(FILE_NAME)) {
      byte[] junk = new byte[4096];
      new Random(3).nextBytes(junk);
      out.write(junk, 0, junk.length);
    }
    try (ReadableFile in = storage.openRead(FILE_NAME)) {
      assertThrows(CorruptionException.class, () -> format().open(in, context(false)));
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void truncatedAtEveryLength_isCorruption(Compression compression) throws IOException {
    TreeMap<At, StoredValue> model = smallModel();
    byte[] file = bytesOf(build(model, settings(64, compression, 0.01)));
    for (int length = 0; length < file.length; length++) {
      Throwable thrown = readAllOf(Arrays.copyOf(file, length), model);
      String where = compression + ", truncated to " + length + " of " + file.length;
      if (!(thrown instanceof CorruptionException)) {
        throw new AssertionError(where + ": expected CorruptionException, got " + thrown, thrown);
      }
      assertEquals(FILE_NAME, ((CorruptionException) thrown).file().orElseThrow(), where);
    }
  }

  /**
   * Flips bits in one byte at a time, at every offset of a small table of several blocks, and
   * reads everything after each: header, every block, the index, the bloom filter (every present
   * and some absent keys are looked up), the meta and the trailer. Each damage must end in a
   * {@link CorruptionException} naming the file, and nothing read before it may differ from what
   * was written. (The file header's version field counts too: {@code FileHeader} tells a damaged
   * field from a newer header layout by its checksum.)
   */
  @ParameterizedTest
  @EnumSource(Compression.class)
  void everySingleByteDamaged_isCorruption_neverWrongData(Compression compression,
      TestInfo info) throws IOException {
    long seed = TestSeeds.seed(info);
    Random random = new Random(seed);
    TreeMap<At, StoredValue> model = smallModel();
    byte[] file = bytesOf(build(model, settings(64, compression, 0.01)));
    int failures = 0;
    StringBuilder report = new StringBuilder();
    for (int offset = 0; offset < file.length; offset++) {
      byte[] damaged = file.clone();
      int flip = 1 + random.nextInt(255);
      damaged[offset] ^= (byte) flip;
      Throwable thrown = readAllOf(damaged, model);
      boolean ok = thrown instanceof CorruptionException;
      if (ok) {
        ok = FILE_NAME.equals(((StorageException) thrown).file().orElse(null));
      }
      if (!ok && failures++ < 10) {
        report.append("\n  offset ").append(offset).append(" ^ 0x")
            .append(Integer.toHexString(flip)).append(": ")
            .append(thrown == null ? "damage went unnoticed" : thrown.toString());
      }
    }
    if (failures > 0) {
      fail("seed " + TestSeeds.format(seed) + ", " + compression + ", " + file.length
          + "-byte table: " + failures + " damaged bytes not reported as corruption:" + report);
    }
  }

  /**
   * {@link Table#verify()} of an intact table counts every entry; with any one byte damaged,
   * either open or verify reports a {@link CorruptionException} naming the file: a table that
   * opens is never verified clean while damaged.
   */
  @ParameterizedTest
  @EnumSource(Compression.class)
  void verify_countsEveryEntry_andFindsEverySingleDamagedByte(Compression compression,
      TestInfo info) throws IOException {
    long seed = TestSeeds.seed(info);
    Random random = new Random(seed);
    TreeMap<At, StoredValue> model = smallModel();
    MemoryStorage clean = build(model, settings(64, compression, 0.01));
    try (Table t = open(clean, true)) {
      scan(t, true); // a warm cache must not hide anything from verify
      assertEquals(model.size(), t.verify());
    }
    byte[] file = bytesOf(clean);
    StringBuilder report = new StringBuilder();
    int failures = 0;
    for (int offset = 0; offset < file.length; offset++) {
      byte[] damaged = file.clone();
      int flip = 1 + random.nextInt(255);
      damaged[offset] ^= (byte) flip;
      MemoryStorage s = new MemoryStorage();
      try (WritableFile out = s.create(FILE_NAME)) {
        out.write(damaged, 0, damaged.length);
      }
      Throwable thrown = null;
      try (Table t = open(s, false)) {
        t.verify();
      } catch (CorruptionException e) {
        thrown = FILE_NAME.equals(e.file().orElse(null)) ? null : e;
        if (thrown == null) {
          continue;
        }
      } catch (IOException | RuntimeException e) {
        thrown = e;
      }
      if (failures++ < 10) {
        report.append("\n  offset ").append(offset).append(" ^ 0x")
            .append(Integer.toHexString(flip)).append(": ")
            .append(thrown == null ? "verify passed" : thrown.toString());
      }
    }
    if (failures > 0) {
      fail("seed " + TestSeeds.format(seed) + ", " + compression + ": " + failures
          + " damaged bytes not found by verify:" + report);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Caches, errors, threads, close

  @Test
  void fillCache_decidesWhetherBlocksGoIntoTheBlockCache() throws IOException {
    MemoryStorage storage = build(smallModel(), settings(64, Compression.LZ4, 0.01));
    MapCache blocks = new MapCache();
    MapCache indexes = new MapCache();
    try (Table t = format().open(storage.openRead(FILE_NAME),
        new TableContext(DB_ID, FILE_ID, blocks, indexes))) {
      scan(t, false);
      assertEquals(0, blocks.puts.get(), "a compaction's scan leaves the block cache alone");
      scan(t, true);
      assertTrue(blocks.puts.get() > 1, "a scan with fillCache fills the block cache");
      int puts = blocks.puts.get();
      scan(t, true);
      assertEquals(puts, blocks.puts.get(), "a second scan is served from the cache");
      assertTrue(blocks.map.keySet().stream().allMatch(k -> !k.contains("/-")),
          "data blocks use block indexes from 0: " + blocks.map.keySet());
    }
  }

  @Test
  void warmTable_servesGetsAndScansFromTheCaches() throws IOException {
    TreeMap<At, StoredValue> model = smallModel();
    MemoryStorage storage = build(model, settings(64, Compression.LZ4, 0.01));
    SwitchableFile file = new SwitchableFile(storage.openRead(FILE_NAME));
    try (Table t = format().open(file, context(true))) {
      checkEverything(t, model, new Random(1), "warming");
      file.failing = true;
      checkEverything(t, model, new Random(1), "warm");
      file.failing = false;
    }
  }

  @Test
  void ioErrors_areIoExceptionsFromGet_andStorageExceptionsFromIterators() throws IOException {
    TreeMap<At, StoredValue> model = smallModel();
    MemoryStorage storage = build(model, settings(64, Compression.NONE, 0.01));
    SwitchableFile file = new SwitchableFile(storage.openRead(FILE_NAME));
    try (Table t = format().open(file, context(false))) {
      file.failing = true;
      byte[] key = model.firstKey().key();
      assertThrows(IOException.class, () -> t.get(key, Long.MAX_VALUE));
      try (EntryIterator it = t.iterator(true)) {
        StorageException e = assertThrows(StorageException.class, it::seekToFirst);
        assertFalse(e instanceof CorruptionException, "an I/O error is not damage");
        assertEquals(FILE_NAME, e.file().orElseThrow());
      }
      file.failing = false;
      assertNotNull(t.get(key, Long.MAX_VALUE), "the table works again once the file does");
    }
  }

  /**
   * A read cut short by an interrupt of the calling thread (the storage throws {@link
   * InterruptedIOException}, as {@code NioStorage} does) is an interruption, not damage: {@code
   * get} throws it (or an {@code IOException} caused by it), iterators a {@link StorageException}
   * that is no {@link CorruptionException}, carries it as the cause and says so in its message;
   * and the table reads everything once reads work again (issue 12).
   */
  @Test
  void interruptedReads_areInterruptionsForTheCaller_notDamage() throws IOException {
    TreeMap<At, StoredValue> model = smallModel();
    MemoryStorage storage = build(model, settings(64, Compression.NONE, 0.01));
    SwitchableFile file = new SwitchableFile(storage.openRead(FILE_NAME));
    try (Table t = format().open(file, context(false))) {
      file.interrupting = true;
      byte[] key = model.firstKey().key();
      IOException e = assertThrows(IOException.class, () -> t.get(key, Long.MAX_VALUE));
      assertTrue(e instanceof InterruptedIOException || e.getCause() instanceof
          InterruptedIOException, "get should pass the interruption on, got " + e);
      try (EntryIterator it = t.iterator(true)) {
        StorageException se = assertThrows(StorageException.class, it::seekToFirst);
        assertFalse(se instanceof CorruptionException, "an interrupted read is not damage: " + se);
        assertTrue(se.getCause() instanceof InterruptedIOException, "cause: " + se.getCause());
        assertTrue(se.getMessage().contains("interrupted"), se.getMessage());
      }
      file.interrupting = false;
      checkEverything(t, model, new Random(1), "after interrupted reads");
    }
  }

  @Test
  void concurrentGetsAndScans_fromFourThreads(TestInfo info) throws Exception {
    long seed = TestSeeds.seed(info);
    TreeMap<At, StoredValue> model = randomEntries(new Random(seed), 3000);
    List<byte[]> keys = distinctKeys(model);
    MemoryStorage storage = build(model, settings(256, Compression.LZ4, 0.01));
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    MapCache blocks = new MapCache();
    try (Table t = format().open(storage.openRead(FILE_NAME),
        new TableContext(DB_ID, FILE_ID, blocks, new MapCache()))) {
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        Random random = new Random(seed + w);
        Thread thread = new Thread(() -> {
          try {
            for (int i = 0; i < 3000; i++) {
              byte[] key = keys.get(random.nextInt(keys.size()));
              long readTs = randomReadTs(random);
              assertStored(expectedGet(model, key, readTs), t.get(key, readTs),
                  "get(" + hex(key) + ", " + readTs + ")");
              if (i % 1000 == 0) {
                blocks.map.clear(); // race readers through misses too
                scan(t, true);
              }
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }, "table-contract-reader-" + w);
        threads.add(thread);
      }
      threads.forEach(Thread::start);
      for (Thread thread : threads) {
        thread.join(TimeUnit.MINUTES.toMillis(2));
        assertFalse(thread.isAlive(), thread.getName() + " still running");
      }
    }
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError("seed " + TestSeeds.format(seed) + ": "
          + failures.size() + " reader(s) failed", failures.peek());
      failures.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }
  }

  @Test
  void close_closesTheFileOnce() throws IOException {
    MemoryStorage storage = build(smallModel(), settings(4096, Compression.NONE, 0.01));
    SwitchableFile file = new SwitchableFile(storage.openRead(FILE_NAME));
    Table t = format().open(file, context(true));
    assertEquals(FILE_ID, t.id());
    assertEquals(0, file.closes.get(), "open keeps the file open");
    t.close();
    t.close();
    assertEquals(1, file.closes.get(), "close closes the file, once");
  }

  @Test
  void newIterator_isUnpositioned() throws IOException {
    try (Table t = open(build(smallModel(), settings(256, Compression.NONE, 0.01)), true);
        EntryIterator it = t.iterator(true)) {
      assertFalse(it.valid());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Checks

  /**
   * Reads a table back completely and compares it with the model: metadata, gets at several read
   * timestamps for every key and for absent neighbours, both iteration directions, and seeks to
   * every key, version and gap followed by short walks.
   *
   * @param t the table, written from {@code model} with {@link #FILE_ID}
   * @param model what it holds
   * @param random chooses read timestamps and walks
   * @param why starts every failure message
   * @throws IOException if the table cannot be read
   */
  protected static void checkEverything(Table t, TreeMap<At, StoredValue> model, Random random,
      String why) throws IOException {
    assertEquals(FILE_ID, t.id(), why);
    assertArrayEquals(model.firstKey().key(), t.smallestKey(), why + ": smallest key");
    assertArrayEquals(model.lastKey().key(), t.largestKey(), why + ": largest key");
    assertEquals(model.size(), t.entryCount(), why + ": entry count");
    long maxVersion = 0;
    for (At at : model.keySet()) {
      maxVersion = Long.compareUnsigned(at.version(), maxVersion) > 0 ? at.version() : maxVersion;
    }
    assertEquals(maxVersion, t.maxVersion(), why + ": max version");

    for (byte[] key : probeKeys(model, random)) {
      for (long readTs : readTimestamps(model, key, random)) {
        assertStored(expectedGet(model, key, readTs), t.get(key, readTs),
            why + ": get(" + hex(key) + ", " + Long.toUnsignedString(readTs) + ")");
      }
    }

    try (EntryIterator it = t.iterator(true)) {
      it.seekToFirst();
      int i = 0;
      for (Map.Entry<At, StoredValue> e : model.entrySet()) {
        assertEntry(e, it, why + ": forward at " + i++);
        it.next();
      }
      assertFalse(it.valid(), why + ": forward iteration has extra entries");
      it.seekToLast();
      i = model.size() - 1;
      for (Map.Entry<At, StoredValue> e : model.descendingMap().entrySet()) {
        assertEntry(e, it, why + ": backward at " + i--);
        it.prev();
      }
      assertFalse(it.valid(), why + ": backward iteration has extra entries");

      for (byte[] key : probeKeys(model, random)) {
        for (long version : readTimestamps(model, key, random)) {
          At target = new At(key, version);
          it.seek(key, version);
          walk(it, model, model.ceilingKey(target), random, why + ": seek(" + target + ")");
          it.seekForPrev(key, version);
          walk(it, model, model.floorKey(target), random,
              why + ": seekForPrev(" + target + ")");
        }
      }
    }
  }

  /** Checks the iterator is at {@code at} and follows it for a few random steps. */
  private static void walk(EntryIterator it, NavigableMap<At, StoredValue> model, At at,
      Random random, String where) {
    for (int step = 0; step < 4; step++) {
      if (at == null) {
        assertFalse(it.valid(), where + ": expected the end");
        return;
      }
      assertEntry(Map.entry(at, model.get(at)), it, where);
      if (random.nextInt(3) > 0) {
        it.next();
        at = model.higherKey(at);
        where += " next";
      } else {
        it.prev();
        at = model.lowerKey(at);
        where += " prev";
      }
    }
  }

  /**
   * Writes {@code file} as a table, opens it without caches and reads everything, comparing with
   * the model as it goes.
   *
   * @return what was thrown: {@code null} if the whole table read back as the model, an {@link
   *     AssertionError} if some data differed, or the exception the table threw
   */
  private Throwable readAllOf(byte[] file, TreeMap<At, StoredValue> model) throws IOException {
    MemoryStorage storage = new MemoryStorage();
    try (WritableFile out = storage.create(FILE_NAME)) {
      out.write(file, 0, file.length);
    }
    try (ReadableFile in = storage.openRead(FILE_NAME)) {
      try (Table t = format().open(in, uncachedContext())) {
        checkEverything(t, model, new Random(1), "damaged");
      }
      return null;
    } catch (AssertionError e) {
      return new AssertionError("wrong data: " + e.getMessage(), e);
    } catch (RuntimeException | IOException e) {
      return e;
    }
  }

  private static void scan(Table t, boolean fillCache) {
    try (EntryIterator it = t.iterator(fillCache)) {
      for (it.seekToFirst(); it.valid(); it.next()) {
        assertNotNull(it.value());
      }
    }
  }

  private static StoredValue expectedGet(TreeMap<At, StoredValue> model, byte[] key,
      long readTs) {
    Map.Entry<At, StoredValue> e = model.ceilingEntry(new At(key, readTs));
    return e != null && Arrays.equals(e.getKey().key(), key) ? e.getValue() : null;
  }

  private static void assertEntry(Map.Entry<At, StoredValue> expected, EntryIterator it,
      String where) {
    assertTrue(it.valid(), where + ": expected " + expected.getKey() + ", iterator not valid");
    assertEquals(expected.getKey(), new At(it.key(), it.version()), where);
    assertArrayEquals(expected.getKey().key(), it.key(), where + ": key() is stable");
    assertStored(expected.getValue(), it.value(), where);
  }

  private static void assertStored(StoredValue expected, StoredValue actual, String where) {
    if (expected == null) {
      assertNull(actual, where);
      return;
    }
    assertNotNull(actual, where + ": expected version " + expected.version());
    assertEquals(expected.version(), actual.version(), where + ": version");
    assertEquals(expected.meta(), actual.meta(), where + ": meta");
    assertEquals(expected.userMeta(), actual.userMeta(), where + ": userMeta");
    assertEquals(expected.expiresAt(), actual.expiresAt(), where + ": expiresAt");
    assertArrayEquals(expected.value(), actual.value(), where + ": value");
  }

  // ---------------------------------------------------------------------------------------------
  // Tables

  /**
   * Settings with this contract's identity.
   *
   * @param blockSize the block size
   * @param compression the compression
   * @param bloomFalsePositive the bloom filter rate, 0 for none
   * @return the settings
   */
  protected static TableSettings settings(int blockSize, Compression compression,
      double bloomFalsePositive) {
    return new TableSettings(DB_ID, FILE_ID, blockSize, compression, bloomFalsePositive);
  }

  private static TableSettings settings(Config c) {
    return settings(c.blockSize(), c.compression(), c.bloomFalsePositive());
  }

  /**
   * Writes the model as a table named {@link #FILE_NAME} into a new {@link MemoryStorage}.
   *
   * @param model the entries
   * @param settings how to write them
   * @return the storage holding the table
   * @throws IOException never, in practice
   */
  protected MemoryStorage build(NavigableMap<At, StoredValue> model, TableSettings settings)
      throws IOException {
    MemoryStorage storage = new MemoryStorage();
    try (WritableFile out = storage.create(FILE_NAME)) {
      TableBuilder builder = format().newBuilder(out, settings);
      for (Map.Entry<At, StoredValue> e : model.entrySet()) {
        builder.add(e.getKey().key(), e.getValue());
      }
      assertEquals(model.size(), builder.entryCount());
      long size = builder.finish();
      assertEquals(out.size(), size, "finish returns the file size");
    }
    return storage;
  }

  /**
   * Opens the table {@link #build} wrote.
   *
   * @param storage the storage holding it
   * @param cacheBlocks whether to read through a block cache that keeps what it is given
   * @return the open table
   * @throws IOException if it cannot be read
   */
  protected Table open(MemoryStorage storage, boolean cacheBlocks) throws IOException {
    return format().open(storage.openRead(FILE_NAME), context(cacheBlocks));
  }

  /**
   * A context with this contract's identity and an index cache that keeps everything (as the
   * engine's does, within its budget).
   *
   * @param cacheBlocks whether the block cache keeps what it is given (else it holds nothing)
   * @return the context
   */
  protected static TableContext context(boolean cacheBlocks) {
    return new TableContext(DB_ID, FILE_ID, cacheBlocks ? new MapCache() : noCache(),
        new MapCache());
  }

  /**
   * A context with this contract's identity whose caches hold nothing: every read goes to the
   * file.
   *
   * @return the context
   */
  protected static TableContext uncachedContext() {
    return new TableContext(DB_ID, FILE_ID, noCache(), noCache());
  }

  /**
   * The bytes of the table {@link #build} wrote.
   *
   * @param storage the storage holding it
   * @return the file's bytes
   * @throws IOException if it cannot be read
   */
  protected static byte[] bytesOf(MemoryStorage storage) throws IOException {
    try (ReadableFile in = storage.openRead(FILE_NAME)) {
      byte[] b = new byte[(int) in.size()];
      in.readFully(0, b, 0, b.length);
      return b;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Data

  /**
   * A table of about 40 entries over several 64-byte blocks: tombstones, several versions of a
   * key, an empty value, a 300-byte value.
   *
   * @return the model
   */
  protected static TreeMap<At, StoredValue> smallModel() {
    TreeMap<At, StoredValue> model = new TreeMap<>();
    for (int i = 0; i < 30; i++) {
      byte meta = i % 7 == 3 ? EntryMeta.DELETE : 0;
      model.put(new At(b(String.format("key-%03d", i * 3)), 10 + i % 4),
          new StoredValue(10 + i % 4, meta, (byte) i, i % 5 == 0 ? 1_800_000_000L + i : 0,
              meta != 0 ? new byte[0] : b("value " + i)));
    }
    for (long v = 1; v <= 8; v++) {
      model.put(new At(b("key-015"), v), new StoredValue(v, (byte) 0, (byte) 0, 0, b("v" + v)));
    }
    byte[] big = new byte[300];
    Arrays.fill(big, (byte) 'z');
    model.put(new At(b("key-050"), 99), new StoredValue(99, (byte) 0, (byte) 0, 0, big));
    model.put(new At(b("key-051"), 99), new StoredValue(99, (byte) 0, (byte) 0, 0, new byte[0]));
    return model;
  }

  /**
   * Random entries with shared prefixes, byte extremes, several versions per key, tombstones,
   * value pointers, expiries, empty, small, large, compressible and random values.
   *
   * @param random the source
   * @param n about how many entries
   * @return the model
   */
  protected static TreeMap<At, StoredValue> randomEntries(Random random, int n) {
    byte[][] prefixes = {new byte[0], b("a"), b("ab"), b("user/"), b("user/0042/"),
        {(byte) 0xff}, {0}, {(byte) 0x80, 0}};
    byte[] alphabet = {0, 1, 'a', 'b', 0x7f, (byte) 0x80, (byte) 0xff};
    TreeMap<At, StoredValue> model = new TreeMap<>();
    while (model.size() < n) {
      byte[] key;
      if (random.nextInt(4) == 0) {
        key = b(String.format("key-%06d", random.nextInt(1_000_000)));
      } else {
        byte[] prefix = prefixes[random.nextInt(prefixes.length)];
        key = Arrays.copyOf(prefix, prefix.length + random.nextInt(7));
        for (int i = prefix.length; i < key.length; i++) {
          key[i] = alphabet[random.nextInt(alphabet.length)];
        }
        if (key.length == 0) {
          continue;
        }
      }
      int versions = random.nextInt(6) == 0 ? 1 + random.nextInt(12) : 1;
      for (int i = 0; i < versions; i++) {
        long version = random.nextInt(10) == 0
            ? 1 + (random.nextLong() & Long.MAX_VALUE - 1)
            : 1 + random.nextInt(40);
        byte meta;
        byte[] value;
        switch (random.nextInt(10)) {
          case 0:
            meta = EntryMeta.DELETE;
            value = new byte[0];
            break;
          case 1:
            meta = EntryMeta.VALUE_POINTER;
            value = new byte[12];
            random.nextBytes(value);
            break;
          case 2:
            meta = 0;
            value = new byte[1000 + random.nextInt(4000)];
            if (random.nextBoolean()) {
              random.nextBytes(value);
            } else {
              Arrays.fill(value, (byte) random.nextInt());
            }
            break;
          default:
            meta = random.nextInt(20) == 0 ? EntryMeta.DISCARD_EARLIER_VERSIONS : 0;
            value = new byte[random.nextInt(40)];
            random.nextBytes(value);
            break;
        }
        long expiresAt = random.nextInt(8) == 0 ? 1_700_000_000L + random.nextInt(1 << 30) : 0;
        model.put(new At(key, version),
            new StoredValue(version, meta, (byte) random.nextInt(256), expiresAt, value));
      }
    }
    return model;
  }

  private static List<byte[]> distinctKeys(TreeMap<At, StoredValue> model) {
    List<byte[]> keys = new ArrayList<>();
    for (At at : model.keySet()) {
      if (keys.isEmpty() || !Arrays.equals(keys.get(keys.size() - 1), at.key())) {
        keys.add(at.key());
      }
    }
    return keys;
  }

  /**
   * Every present key, and neighbours that are mostly absent: with a byte more, with the last
   * byte dropped, with the last byte changed; plus keys before and after everything.
   */
  private static List<byte[]> probeKeys(TreeMap<At, StoredValue> model, Random random) {
    List<byte[]> probes = new ArrayList<>();
    probes.add(new byte[] {0});
    probes.add(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    for (byte[] key : distinctKeys(model)) {
      probes.add(key);
      probes.add(Arrays.copyOf(key, key.length + 1));
      if (key.length > 1) {
        probes.add(Arrays.copyOf(key, key.length - 1));
      }
      byte[] changed = key.clone();
      changed[changed.length - 1] += (byte) (random.nextBoolean() ? 1 : -1);
      probes.add(changed);
    }
    return probes;
  }

  /** Read timestamps for a key: its versions and their neighbours, and the extremes. */
  private static List<Long> readTimestamps(TreeMap<At, StoredValue> model, byte[] key,
      Random random) {
    List<Long> ts = new ArrayList<>(List.of(0L, Long.MAX_VALUE, randomReadTs(random)));
    for (At at : model.subMap(new At(key, Long.MAX_VALUE), true, new At(key, 0), true)
        .keySet()) {
      ts.add(at.version());
      ts.add(at.version() + 1);
      ts.add(at.version() - 1);
    }
    return ts;
  }

  private static long randomReadTs(Random random) {
    return random.nextInt(4) == 0 ? random.nextLong() & Long.MAX_VALUE : random.nextInt(45);
  }

  private static StoredValue value(long version, String value) {
    return new StoredValue(version, (byte) 0, (byte) 0, 0, b(value));
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String hex(byte[] bytes) {
    return bytes.length > 24
        ? HexFormat.of().formatHex(bytes, 0, 12) + "..(" + bytes.length + ")"
        : HexFormat.of().formatHex(bytes);
  }

  // ---------------------------------------------------------------------------------------------
  // Fixtures

  /** A cache that holds nothing. */
  private static BlockCache noCache() {
    return new MapCache(false);
  }

  /** An unbounded map cache that counts puts, or (not keeping) one that holds nothing. */
  private static final class MapCache implements BlockCache {
    final Map<String, byte[]> map = new ConcurrentHashMap<>();
    final AtomicInteger puts = new AtomicInteger();
    private final boolean keeping;

    MapCache() {
      this(true);
    }

    MapCache(boolean keeping) {
      this.keeping = keeping;
    }

    @Override
    public byte[] get(long tableId, int blockIndex) {
      return map.get(tableId + "/" + blockIndex);
    }

    @Override
    public void put(long tableId, int blockIndex, byte[] block) {
      assertNotNull(block);
      puts.incrementAndGet();
      if (keeping) {
        map.put(tableId + "/" + blockIndex, block);
      }
    }

    @Override
    public void invalidate(long tableId) {
      map.keySet().removeIf(k -> k.startsWith(tableId + "/"));
    }

    @Override
    public long sizeBytes() {
      return map.values().stream().mapToLong(b -> b.length).sum();
    }

    @Override
    public long capacityBytes() {
      return keeping ? Long.MAX_VALUE : 0;
    }
  }

  /** A file whose reads can be made to fail, and which counts its closes. */
  private static final class SwitchableFile implements ReadableFile {
    private final ReadableFile delegate;
    final AtomicInteger closes = new AtomicInteger();
    volatile boolean failing;
    volatile boolean interrupting;

    SwitchableFile(ReadableFile delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public long size() throws IOException {
      return delegate.size();
    }

    @Override
    public void readFully(long position, byte[] dst, int off, int len) throws IOException {
      if (failing) {
        throw new IOException("injected read failure at " + position + " in " + name());
      }
      if (interrupting) {
        throw new InterruptedIOException(
            "read of " + len + " bytes of " + name() + " at position " + position + " interrupted");
      }
      delegate.readFully(position, dst, off, len);
    }

    @Override
    public void close() throws IOException {
      closes.incrementAndGet();
      delegate.close();
    }
  }
}
