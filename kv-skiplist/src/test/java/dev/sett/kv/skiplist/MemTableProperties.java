package dev.sett.kv.skiplist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.internal.Keys;
import dev.sett.kv.testkit.At;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.EntryMeta;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;
import dev.sett.kv.spi.StoredValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Both memtable providers against a {@link TreeMap} model in internal order: random puts with
 * random versions and shared key prefixes, then gets at random read timestamps, seeks to present
 * and absent keys, random walks with {@code next}/{@code prev}, and full iteration both ways.
 *
 * <p>The generators are edge-biased: empty values, 1-byte keys with the extreme byte values,
 * keys that are prefixes of each other, long keys sharing a long prefix, small version ranges so
 * that {@code (key, version)} pairs repeat (replacements). Randomness comes from jqwik, which
 * prints the seed of a failing run and replays it from its database on the next run; probes use
 * the {@link Random} jqwik injects, so they replay too.
 */
class MemTableProperties {

  private static final List<MemTableFactory> PROVIDERS =
      List.of(new ArenaSkipListFactory(), new ConcurrentSkipListFactory());

  /** One put; the model keeps the last put of each {@code (key, version)}. */
  record Put(byte[] key, long version, byte meta, byte userMeta, long expiresAt, byte[] value) {
    @Override
    public String toString() {
      return hex(key) + "@" + version + "=" + (value.length > 16 ? value.length + " bytes"
          : hex(value)) + " meta " + meta;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Properties

  @Property
  void get_matchesModel_atRandomReadTs(@ForAll("puts") List<Put> puts, @ForAll Random random) {
    TreeMap<At, Put> model = model(puts);
    List<byte[]> probes = probeKeys(model, random);
    for (MemTableFactory f : PROVIDERS) {
      MemTable mt = load(f, puts);
      for (byte[] key : probes) {
        for (int i = 0; i < 4; i++) {
          long readTs = randomVersion(random);
          Map.Entry<At, Put> e = model.ceilingEntry(new At(key, readTs));
          Put expected = e != null && Arrays.equals(e.getKey().key(), key) ? e.getValue() : null;
          StoredValue actual = mt.get(key, readTs);
          String where = f.name() + ": get(" + hex(key) + ", " + readTs + ")";
          if (expected == null) {
            assertNull(actual, where);
          } else {
            assertStored(expected, actual, where);
          }
        }
      }
    }
  }

  @Property
  void iteration_matchesSortedModel_bothWays(@ForAll("puts") List<Put> puts) {
    TreeMap<At, Put> model = model(puts);
    long maxVersion = puts.stream().mapToLong(Put::version).max().orElse(0);
    for (MemTableFactory f : PROVIDERS) {
      MemTable mt = load(f, puts);
      assertEquals(model.size(), mt.count(), f.name());
      assertEquals(maxVersion, mt.maxVersion(), f.name());
      try (EntryIterator it = mt.iterator()) {
        it.seekToFirst();
        for (Put expected : model.values()) {
          assertEntry(expected, it, f.name() + " forward");
          it.next();
        }
        assertFalse(it.valid(), f.name() + ": forward iteration has extra entries");
        it.seekToLast();
        for (Put expected : model.descendingMap().values()) {
          assertEntry(expected, it, f.name() + " backward");
          it.prev();
        }
        assertFalse(it.valid(), f.name() + ": backward iteration has extra entries");
      }
    }
  }

  @Property
  void seeksAndSteps_matchModel(@ForAll("puts") List<Put> puts, @ForAll Random random) {
    TreeMap<At, Put> model = model(puts);
    List<byte[]> probes = probeKeys(model, random);
    for (MemTableFactory f : PROVIDERS) {
      MemTable mt = load(f, puts);
      try (EntryIterator it = mt.iterator()) {
        for (byte[] key : probes) {
          long version = randomVersion(random);
          At target = new At(key, version);
          boolean forward = random.nextBoolean();
          At at;
          if (forward) {
            it.seek(key, version);
            at = model.ceilingKey(target);
          } else {
            it.seekForPrev(key, version);
            at = model.floorKey(target);
          }
          String where = f.name() + (forward ? ": seek(" : ": seekForPrev(") + target + ")";
          // A short random walk from there.
          for (int step = 0; step < 6; step++) {
            if (at == null) {
              assertFalse(it.valid(), where + " expected the end");
              break;
            }
            assertEntry(model.get(at), it, where);
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
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Generators

  @Provide
  Arbitrary<List<Put>> puts() {
    Arbitrary<Put> put = Combinators.combine(keys(), versions(), metas(),
            Arbitraries.bytes(), Arbitraries.longs().between(0, 1L << 40), values())
        .as(Put::new);
    return put.list().ofMaxSize(150);
  }

  private static Arbitrary<byte[]> keys() {
    Arbitrary<byte[]> prefixes = Arbitraries.of(
        new byte[0], b("a"), b("ab"), b("user/"), new byte[] {(byte) 0xff}, new byte[] {0});
    // A tiny alphabet with the unsigned extremes, so keys collide and share prefixes often.
    Arbitrary<byte[]> suffixes = Arbitraries.of((byte) 0, (byte) 1, (byte) 'a', (byte) 'b',
        (byte) 0x7f, (byte) 0x80, (byte) 0xff).array(byte[].class).ofMaxSize(3);
    Arbitrary<byte[]> shared = Combinators.combine(prefixes, suffixes)
        .as(MemTableProperties::concat)
        .filter(k -> k.length > 0);
    Arbitrary<byte[]> oneByte = Arbitraries.bytes().array(byte[].class).ofSize(1);
    byte[] longPrefix = new byte[300];
    Arrays.fill(longPrefix, (byte) 'L');
    Arbitrary<byte[]> longKeys = Arbitraries.bytes().array(byte[].class).ofMaxSize(700)
        .map(s -> concat(longPrefix, s));
    return Arbitraries.frequencyOf(Tuple.of(6, shared), Tuple.of(2, oneByte),
        Tuple.of(1, longKeys)).map(MemTableProperties::identity);
  }

  private static Arbitrary<Long> versions() {
    return Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.longs().between(1, 12)),
            Tuple.of(1, Arbitraries.longs().between(1, Long.MAX_VALUE)))
        .map(MemTableProperties::identity);
  }

  private static Arbitrary<Byte> metas() {
    return Arbitraries.of((byte) 0, EntryMeta.DELETE, EntryMeta.VALUE_POINTER,
        (byte) (EntryMeta.DELETE | EntryMeta.DISCARD_EARLIER_VERSIONS));
  }

  private static Arbitrary<byte[]> values() {
    return Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)),
            Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1000).ofMaxSize(5000)))
        .map(MemTableProperties::identity);
  }

  private static <T> T identity(T t) {
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static TreeMap<At, Put> model(List<Put> puts) {
    TreeMap<At, Put> model = new TreeMap<>();
    for (Put p : puts) {
      model.put(new At(p.key(), p.version()), p);
    }
    return model;
  }

  /** A memtable holding {@code puts}, sized from their footprint bound so every put fits. */
  private static MemTable load(MemTableFactory f, List<Put> puts) {
    long capacity = 4096;
    for (Put p : puts) {
      capacity += p.key().length + p.value().length + MemTable.MAX_ENTRY_OVERHEAD;
    }
    MemTable mt = f.create(capacity);
    for (Put p : puts) {
      assertTrue(mt.put(p.key(), p.version(), p.meta(), p.userMeta(), p.expiresAt(), p.value()),
          f.name() + ": put refused " + p);
    }
    return mt;
  }

  /**
   * Keys to probe: every present key, and neighbours of them that are mostly absent (one byte
   * more, one byte less, last byte changed), plus keys before and after everything.
   */
  private static List<byte[]> probeKeys(TreeMap<At, Put> model, Random random) {
    List<byte[]> probes = new ArrayList<>();
    probes.add(new byte[] {0});
    probes.add(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    byte[] last = null;
    for (At at : model.keySet()) {
      if (last != null && Arrays.equals(last, at.key())) {
        continue;
      }
      last = at.key();
      probes.add(last);
      switch (random.nextInt(3)) {
        case 0:
          probes.add(concat(last, new byte[] {(byte) random.nextInt(256)}));
          break;
        case 1:
          if (last.length > 1) {
            probes.add(Arrays.copyOf(last, last.length - 1));
          }
          break;
        default:
          byte[] changed = last.clone();
          changed[changed.length - 1] += (byte) (random.nextBoolean() ? 1 : -1);
          probes.add(changed);
          break;
      }
    }
    return probes;
  }

  /** Read timestamps and seek versions: mostly around the generated ones, sometimes extreme. */
  private static long randomVersion(Random random) {
    switch (random.nextInt(8)) {
      case 0:
        return 0;
      case 1:
        return Long.MAX_VALUE;
      default:
        return random.nextInt(15);
    }
  }

  private static void assertEntry(Put expected, EntryIterator it, String where) {
    assertTrue(it.valid(), where + ": expected " + expected + ", iterator not valid");
    assertArrayEquals(expected.key(), it.key(), where);
    assertEquals(expected.version(), it.version(), where);
    assertStored(expected, it.value(), where);
  }

  private static void assertStored(Put expected, StoredValue actual, String where) {
    assertNotNull(actual, where + ": expected " + expected);
    assertEquals(expected.version(), actual.version(), where);
    assertEquals(expected.meta(), actual.meta(), where);
    assertEquals(expected.userMeta(), actual.userMeta(), where);
    assertEquals(expected.expiresAt(), actual.expiresAt(), where);
    assertArrayEquals(expected.value(), actual.value(), where);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static byte[] b(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String hex(byte[] bytes) {
    return bytes.length > 24
        ? HexFormat.of().formatHex(bytes, 0, 12) + "..(" + bytes.length + ")"
        : HexFormat.of().formatHex(bytes);
  }
}
