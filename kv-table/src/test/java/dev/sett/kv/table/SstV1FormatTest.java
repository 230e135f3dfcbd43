package dev.sett.kv.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Compression;
import dev.sett.kv.CorruptionException;
import dev.sett.kv.UnsupportedFormatException;
import dev.sett.kv.io.FileHeader;
import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.WritableFile;
import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.spi.Table;
import dev.sett.kv.spi.TableContext;
import dev.sett.kv.spi.TableFormat;
import dev.sett.kv.table.cache.CaffeineBlockCacheFactory;
import dev.sett.kv.testkit.At;
import dev.sett.kv.testkit.TableFormatContract;
import dev.sett.kv.testkit.TestSeeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The {@code sst-v1} format against the table format contract, plus what is particular to it. */
class SstV1FormatTest extends TableFormatContract {

  @Override
  protected TableFormat format() {
    return new SstV1Format();
  }

  @Test
  void name_isSstV1() {
    assertEquals("sst-v1", format().name());
  }

  @Test
  void fileFromANewerVersion_isUnsupported() throws IOException {
    byte[] file = bytesOf(build(smallModel(), settings(256, Compression.LZ4, 0.01)));
    byte[] newer = new FileHeader(SstV1Format.MAGIC, SstV1Format.NAME, SstV1Format.VERSION + 1,
        DB_ID, FILE_ID).encode();
    System.arraycopy(newer, 0, file, 0, newer.length);
    UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
        () -> openBytes(file));
    assertTrue(e.getMessage().contains("newer"), e.getMessage());
    assertEquals(FILE_NAME, e.file().orElseThrow());
  }

  @Test
  void fileOfAnotherTableFormat_isUnsupported() throws IOException {
    byte[] file = bytesOf(build(smallModel(), settings(256, Compression.LZ4, 0.01)));
    byte[] other = new FileHeader(SstV1Format.MAGIC, "sst-v9", 1, DB_ID, FILE_ID).encode();
    System.arraycopy(other, 0, file, 0, other.length);
    assertThrows(UnsupportedFormatException.class, () -> openBytes(file));
  }

  @Test
  void tableBiggerThanTheBlockCache_readsCorrectly_withinTheCacheBound(TestInfo info)
      throws IOException {
    long seed = TestSeeds.seed(info);
    Random random = new Random(seed);
    TreeMap<At, StoredValue> model = randomEntries(random, 4000);
    MemoryStorage storage = build(model, settings(1024, Compression.LZ4, 0.01));
    long size = bytesOf(storage).length;
    BlockCache blocks = new CaffeineBlockCacheFactory().create(32 << 10);
    BlockCache indexes = new CaffeineBlockCacheFactory().create(1 << 20);
    assertTrue(size > 20 * blocks.capacityBytes(), "table of " + size + " bytes");
    try (Table t = format().open(storage.openRead(FILE_NAME),
        new TableContext(DB_ID, FILE_ID, blocks, indexes))) {
      checkEverything(t, model, random, "seed " + TestSeeds.format(seed));
      assertTrue(blocks.sizeBytes() > 0 && blocks.sizeBytes() <= blocks.capacityBytes(),
          blocks.sizeBytes() + " bytes cached");
      assertNotNull(indexes.get(FILE_ID, BlockCache.INDEX_BLOCK), "index cached in its slot");
      assertNotNull(indexes.get(FILE_ID, BlockCache.BLOOM_BLOCK), "bloom cached in its slot");
    }
  }

  @Test
  void indexCacheTooSmallForTheIndex_stillReadsCorrectly() throws IOException {
    TreeMap<At, StoredValue> model = randomEntries(new Random(17), 500);
    MemoryStorage storage = build(model, settings(256, Compression.NONE, 0.01));
    BlockCache tiny = new CaffeineBlockCacheFactory().create(200);
    try (Table t = format().open(storage.openRead(FILE_NAME),
        new TableContext(DB_ID, FILE_ID, tiny, tiny))) {
      checkEverything(t, model, new Random(17), "tiny caches");
    }
  }

  @Test
  void lz4_shrinksCompressibleTables_andStoresIncompressibleBlocksAsTheyAre() throws IOException {
    TreeMap<At, StoredValue> text = new TreeMap<>();
    TreeMap<At, StoredValue> noise = new TreeMap<>();
    Random random = new Random(5);
    for (int i = 0; i < 2000; i++) {
      byte[] value = ("the value of entry " + i + " repeats itself, repeats itself")
          .getBytes(StandardCharsets.UTF_8);
      text.put(new At(key(i), 1), new StoredValue(1, (byte) 0, (byte) 0, 0, value));
      byte[] random200 = new byte[200];
      random.nextBytes(random200);
      byte[] randomKey = new byte[12];
      random.nextBytes(randomKey);
      noise.put(new At(randomKey, 1), new StoredValue(1, (byte) 0, (byte) 0, 0, random200));
    }
    long textNone = bytesOf(build(text, settings(4096, Compression.NONE, 0.01))).length;
    long textLz4 = bytesOf(build(text, settings(4096, Compression.LZ4, 0.01))).length;
    assertTrue(textLz4 < textNone / 2, "LZ4 " + textLz4 + " vs " + textNone + " bytes");
    long noiseNone = bytesOf(build(noise, settings(4096, Compression.NONE, 0.01))).length;
    long noiseLz4 = bytesOf(build(noise, settings(4096, Compression.LZ4, 0.01))).length;
    assertEquals(noiseNone, noiseLz4, "blocks LZ4 cannot shrink by an eighth are stored raw");
    try (SstTable t = (SstTable) open(build(noise, settings(4096, Compression.LZ4, 0.01)), true)) {
      TableMeta meta = t.meta();
      assertEquals(Compression.LZ4, meta.compression(), "the table records what it was asked");
      assertTrue(meta.blockCount() > 50, meta.toString());
      assertEquals(2000, meta.entryCount());
      assertTrue(meta.dataBytes() > 2000 * 200, meta.toString());
    }
  }

  @Test
  void noBloomFilter_whenTheRateIsZero() throws IOException {
    TreeMap<At, StoredValue> model = smallModel();
    try (SstTable t = (SstTable) open(build(model, settings(256, Compression.NONE, 0)), true)) {
      assertEquals(0, t.meta().bloomLength());
      checkEverything(t, model, new Random(2), "no bloom");
    }
  }

  @Test
  void bloomFilter_sparesBlockReadsForAbsentKeys() throws IOException {
    TreeMap<At, StoredValue> model = new TreeMap<>();
    for (int i = 0; i < 20_000; i += 2) {
      model.put(new At(key(i), 1), new StoredValue(1, (byte) 0, (byte) 0, 0, new byte[8]));
    }
    AtomicInteger blockLookups = new AtomicInteger();
    BlockCache counting = new BlockCache() {
      @Override
      public byte[] get(long tableId, int blockIndex) {
        blockLookups.incrementAndGet();
        return null;
      }

      @Override
      public void put(long tableId, int blockIndex, byte[] block) {}

      @Override
      public void invalidate(long tableId) {}

      @Override
      public long sizeBytes() {
        return 0;
      }

      @Override
      public long capacityBytes() {
        return 0;
      }
    };
    MemoryStorage storage = build(model, settings(4096, Compression.LZ4, 0.01));
    try (Table t = format().open(storage.openRead(FILE_NAME), new TableContext(DB_ID, FILE_ID,
        counting, new CaffeineBlockCacheFactory().create(1 << 20)))) {
      for (int i = 1; i < 20_000; i += 2) {
        assertNull(t.get(key(i), Long.MAX_VALUE));
      }
      // 10,000 absent keys inside the key range at 1%: about 100 false positives.
      assertTrue(blockLookups.get() < 250, blockLookups.get() + " block lookups");
    }
  }

  @Test
  void openTable_holdsOnlyItsFooter() throws IOException {
    TreeMap<At, StoredValue> model = randomEntries(new Random(23), 3000);
    try (SstTable t = (SstTable) open(build(model, settings(4096, Compression.LZ4, 0.01)),
        true)) {
      TableMeta meta = t.meta();
      // The keys are the only variable part the table keeps on the heap.
      assertTrue(meta.smallestKey().length + meta.largestKey().length < 64, meta.toString());
    }
  }

  private Table openBytes(byte[] file) throws IOException {
    MemoryStorage storage = new MemoryStorage();
    try (WritableFile out = storage.create(FILE_NAME)) {
      out.write(file, 0, file.length);
    }
    ReadableFile in = storage.openRead(FILE_NAME);
    return format().open(in, context(true));
  }

  private static byte[] key(int i) {
    return String.format("key-%08d", i).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void builder_refusesANonEmptyFile() throws IOException {
    MemoryStorage storage = new MemoryStorage();
    try (WritableFile out = storage.create(FILE_NAME)) {
      out.write(new byte[1], 0, 1);
      assertThrows(IllegalArgumentException.class,
          () -> format().newBuilder(out, settings(4096, Compression.NONE, 0.01)));
    }
  }

  @Test
  void corruptBlockFoundByAGet_namesTheFileAndTheBlockOffset() throws IOException {
    TreeMap<At, StoredValue> model = smallModel();
    MemoryStorage storage = build(model, settings(64, Compression.NONE, 0));
    byte[] file = bytesOf(storage);
    long blockOffset;
    try (SstTable t = (SstTable) open(storage, true)) {
      blockOffset = t.index(false).blockOffset(3);
    }
    file[(int) blockOffset + 2] ^= 0x10;
    try (Table t = openBytes(file)) {
      CorruptionException e = assertThrows(CorruptionException.class, () -> {
        for (At at : model.keySet()) {
          t.get(at.key(), at.version());
        }
      });
      assertEquals(blockOffset, e.offset());
      assertEquals(FILE_NAME, e.file().orElseThrow());
      assertTrue(e.getMessage().contains("data block 3"), e.getMessage());
    }
  }
}
