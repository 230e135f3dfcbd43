package dev.sett.kv.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.testkit.At;
import dev.sett.kv.table.Entries.Put;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link BlockIndexBuilder} and {@link BlockIndex}: entries read back as written, {@code find}
 * picks the last block whose first entry is at or before the target, and {@link BlockIndex#check}
 * refuses indexes whose blocks do not tile the data region or whose shape is damaged.
 */
class BlockIndexProperties {
  private static final long DATA_START = 47;

  @Property
  void index_roundTrips_andFindMatchesTheModel(@ForAll("firstKeys") List<Put> puts,
      @ForAll Random random) {
    List<At> firsts = new ArrayList<>(Entries.model(puts).keySet());
    int[] lengths = new int[firsts.size()];
    byte[] index = encode(firsts, lengths, random);
    long end = DATA_START + Arrays.stream(lengths).asLongStream().sum();
    BlockIndex ix = BlockIndex.check("f", 0, index, firsts.size(), DATA_START, end);
    assertEquals(firsts.size(), ix.count());
    long offset = DATA_START;
    TreeMap<At, Integer> blockOf = new TreeMap<>();
    for (int i = 0; i < firsts.size(); i++) {
      assertEquals(offset, ix.blockOffset(i));
      assertEquals(lengths[i], ix.blockLength(i));
      assertArrayEquals(firsts.get(i).key(), ix.firstKey(i));
      assertEquals(firsts.get(i).version(), ix.firstVersion(i));
      offset += lengths[i];
      blockOf.put(firsts.get(i), i);
    }
    for (At at : firsts) {
      for (At probe : DataBlockProperties.neighbours(at, random)) {
        var floor = blockOf.floorEntry(probe);
        assertEquals(floor == null ? -1 : floor.getValue(),
            ix.find(probe.key(), probe.version()), "find " + probe);
      }
    }
  }

  @Property
  void check_refusesIndexesThatDoNotTileTheData(@ForAll("firstKeys") List<Put> puts,
      @ForAll Random random) {
    List<At> firsts = new ArrayList<>(Entries.model(puts).keySet());
    int[] lengths = new int[firsts.size()];
    byte[] index = encode(firsts, lengths, random);
    long end = DATA_START + Arrays.stream(lengths).asLongStream().sum();
    int n = firsts.size();
    assertThrows(CorruptionException.class,
        () -> BlockIndex.check("f", 0, index, n + 1, DATA_START, end), "block count");
    assertThrows(CorruptionException.class,
        () -> BlockIndex.check("f", 0, index, n, DATA_START + 1, end), "data start");
    assertThrows(CorruptionException.class,
        () -> BlockIndex.check("f", 0, index, n, DATA_START, end - 1), "data end");
  }

  @Property
  void damagedIndex_isRefusedOrStaysInsideTheData(@ForAll("firstKeys") List<Put> puts,
      @ForAll @IntRange(max = 1_000_000) int where, @ForAll @IntRange(min = 1, max = 255) int flip,
      @ForAll Random random) {
    List<At> firsts = new ArrayList<>(Entries.model(puts).keySet());
    int[] lengths = new int[firsts.size()];
    byte[] index = encode(firsts, lengths, random);
    long end = DATA_START + Arrays.stream(lengths).asLongStream().sum();
    index[where % index.length] ^= (byte) flip;
    BlockIndex ix;
    try {
      ix = BlockIndex.check("f", 0, index, firsts.size(), DATA_START, end);
    } catch (CorruptionException refused) {
      return;
    }
    for (int i = 0; i < ix.count(); i++) {
      assertTrue(ix.blockOffset(i) >= DATA_START && ix.blockOffset(i) + ix.blockLength(i) <= end);
      ix.find(ix.firstKey(i), ix.firstVersion(i));
    }
  }

  @Provide
  Arbitrary<List<Put>> firstKeys() {
    return Entries.puts(60);
  }

  /** Encodes an index of the blocks, giving each a random length (filled into {@code lengths}). */
  private static byte[] encode(List<At> firsts, int[] lengths, Random random) {
    BlockIndexBuilder builder = new BlockIndexBuilder();
    long offset = DATA_START;
    long expected = 0;
    for (int i = 0; i < firsts.size(); i++) {
      lengths[i] = BlockCodec.TRAILER + 1 + random.nextInt(5000);
      At at = firsts.get(i);
      expected = builder.finishedSizeWithOneMore(at.key().length);
      builder.add(offset, lengths[i], at.key(), at.key().length, at.version());
      offset += lengths[i];
    }
    int length = builder.finish();
    assertEquals(expected, length, "the builder's size estimate is exact");
    return Arrays.copyOf(builder.array(), length);
  }
}
