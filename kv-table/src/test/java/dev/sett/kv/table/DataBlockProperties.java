package dev.sett.kv.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.testkit.At;
import dev.sett.kv.table.Entries.Put;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link DataBlockBuilder} and {@link DataBlock}: every entry reads back as written, binary
 * search lands where a sorted model says, and a block damaged behind its checksum's back is
 * either refused by {@link DataBlock#check} or safe to read in full.
 */
class DataBlockProperties {

  @Property
  void block_roundTrips_andSeeksMatchTheModel(@ForAll("puts") List<Put> puts,
      @ForAll Random random) {
    TreeMap<At, StoredValue> model = Entries.model(puts);
    DataBlock block = DataBlock.check("f", 0, 0, encode(model));
    assertEquals(model.size(), block.count());
    List<At> order = new ArrayList<>(model.keySet());
    int i = 0;
    for (Map.Entry<At, StoredValue> e : model.entrySet()) {
      At at = e.getKey();
      assertArrayEquals(at.key(), block.key(i));
      assertEquals(at.version(), block.version(i));
      assertTrue(block.keyEquals(i, at.key()));
      assertFalse(block.keyEquals(i, Entries.concat(at.key(), new byte[1])));
      assertEquals(0, block.compare(i, at.key(), at.version()));
      StoredValue expected = e.getValue();
      StoredValue actual = block.value(i);
      assertEquals(expected.version(), actual.version());
      assertEquals(expected.meta(), actual.meta());
      assertEquals(expected.userMeta(), actual.userMeta());
      assertEquals(expected.expiresAt(), actual.expiresAt());
      assertArrayEquals(expected.value(), actual.value());
      i++;
    }
    for (At at : order) {
      for (At probe : neighbours(at, random)) {
        At ceiling = model.ceilingKey(probe);
        int expected = ceiling == null ? order.size() : order.indexOf(ceiling);
        assertEquals(expected, block.seek(probe.key(), probe.version()), "seek " + probe);
      }
    }
  }

  @Property
  void damagedBlock_isRefusedOrSafeToRead(@ForAll("puts") List<Put> puts,
      @ForAll @IntRange(max = 1_000_000) int where, @ForAll @IntRange(min = 1, max = 255) int flip,
      @ForAll Random random) {
    byte[] bytes = encode(Entries.model(puts));
    bytes[where % bytes.length] ^= (byte) flip;
    DataBlock block;
    try {
      block = DataBlock.check("f", 0, 0, bytes);
    } catch (CorruptionException refused) {
      return;
    }
    // It passed: every accessor must stay inside the array, whatever the content now says.
    for (int i = 0; i < block.count(); i++) {
      byte[] key = block.key(i);
      block.version(i);
      block.value(i);
      block.keyEquals(i, key);
      block.seek(key, random.nextLong());
    }
  }

  @Property
  void garbage_isRefusedOrSafeToRead(@ForAll byte[] garbage) {
    try {
      DataBlock block = DataBlock.check("f", 0, 0, garbage);
      for (int i = 0; i < block.count(); i++) {
        block.value(i);
        block.seek(block.key(i), 0);
      }
    } catch (CorruptionException refused) {
      // fine
    }
  }

  @Provide
  Arbitrary<List<Put>> puts() {
    return Entries.puts(120);
  }

  static byte[] encode(TreeMap<At, StoredValue> model) {
    DataBlockBuilder builder = new DataBlockBuilder(64);
    for (Map.Entry<At, StoredValue> e : model.entrySet()) {
      builder.add(e.getKey().key(), e.getValue());
    }
    int expectedLength = builder.finishedSize();
    int length = builder.finish();
    assertEquals(expectedLength, length);
    return Arrays.copyOf(builder.array(), length);
  }

  /** The position itself, versions around it, and keys around it. */
  static List<At> neighbours(At at, Random random) {
    byte[] k = at.key();
    List<At> probes = new ArrayList<>(List.of(at,
        new At(k, at.version() + 1), new At(k, at.version() - 1),
        new At(k, Long.MAX_VALUE), new At(k, 0), new At(k, -1),
        new At(Entries.concat(k, new byte[1]), random.nextLong()),
        new At(Arrays.copyOf(k, k.length - 1), random.nextLong())));
    byte[] changed = k.clone();
    changed[changed.length - 1]++;
    probes.add(new At(changed, 5));
    return probes;
  }
}
