package dev.sett.kv.levels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.testkit.At;
import dev.sett.kv.testkit.ModelEntryIterator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link MergingIterator} against a sorted model: random entries split across several sorted
 * sources, then a random sequence of {@code seek}, {@code seekForPrev}, {@code seekToFirst},
 * {@code seekToLast}, {@code next} and {@code prev}, checking after every move that the merged
 * cursor stands where the model says.
 *
 * <p>The model is the union of the sources in internal order; where several sources hold the same
 * {@code (key, version)} it keeps the one of highest priority (lowest index), which the merged
 * cursor must show once. Keys come from a tiny alphabet and versions from a small range so that
 * keys repeat across sources with different versions (and sometimes the same one), which is what
 * a change of direction must get right. Each entry's value names its source, so the priority
 * rule is checked too. jqwik prints the seed and the shrunk failing case.
 */
class MergingIteratorProperties {

  /** One entry of one source. */
  record Entry(byte[] key, long version, int source) {
    @Override
    public String toString() {
      return new At(key, version) + " in " + source;
    }
  }

  /** One positioning call; {@code key} and {@code version} are used by the seeks only. */
  record Op(Kind kind, byte[] key, long version) {
    @Override
    public String toString() {
      return switch (kind) {
        case SEEK, SEEK_FOR_PREV -> kind + "(" + new At(key, version) + ")";
        default -> kind.toString();
      };
    }
  }

  enum Kind { SEEK, SEEK_FOR_PREV, SEEK_TO_FIRST, SEEK_TO_LAST, NEXT, PREV }

  @Property
  void moves_matchSortedModel(@ForAll("entries") List<Entry> entries,
      @ForAll @IntRange(min = 1, max = 4) int sourceCount, @ForAll("ops") List<Op> ops) {
    // Priority order: the first source to claim a (key, version) keeps it in the model.
    TreeMap<At, Integer> model = new TreeMap<>();
    List<Map<At, StoredValue>> contents = new ArrayList<>();
    for (int i = 0; i < sourceCount; i++) {
      contents.add(new HashMap<>());
    }
    for (Entry e : entries) {
      int source = e.source() % sourceCount;
      At at = new At(e.key(), e.version());
      contents.get(source).put(at, value(at, source));
      model.merge(at, source, Math::min);
    }
    EntryIterator[] sources = new EntryIterator[sourceCount];
    for (int i = 0; i < sourceCount; i++) {
      sources[i] = new ModelEntryIterator(contents.get(i));
    }

    try (MergingIterator it = new MergingIterator(sources)) {
      At at = null;
      StringBuilder where = new StringBuilder();
      for (Op op : ops) {
        switch (op.kind()) {
          case SEEK -> {
            it.seek(op.key(), op.version());
            at = model.ceilingKey(new At(op.key(), op.version()));
          }
          case SEEK_FOR_PREV -> {
            it.seekForPrev(op.key(), op.version());
            at = model.floorKey(new At(op.key(), op.version()));
          }
          case SEEK_TO_FIRST -> {
            it.seekToFirst();
            at = model.isEmpty() ? null : model.firstKey();
          }
          case SEEK_TO_LAST -> {
            it.seekToLast();
            at = model.isEmpty() ? null : model.lastKey();
          }
          case NEXT, PREV -> {
            if (at == null) {
              continue; // stepping an exhausted iterator is outside the contract
            }
            if (op.kind() == Kind.NEXT) {
              it.next();
              at = model.higherKey(at);
            } else {
              it.prev();
              at = model.lowerKey(at);
            }
          }
          default -> throw new AssertionError(op);
        }
        where.append(' ').append(op);
        String message = "after" + where;
        if (at == null) {
          assertFalse(it.valid(), message + ": expected the end, merged cursor still valid");
          continue;
        }
        assertTrue(it.valid(), message + ": expected " + at + ", merged cursor not valid");
        assertEquals(at, new At(it.key(), it.version()), message);
        assertArrayEquals(value(at, model.get(at)).value(), it.value().value(),
            message + ": the value of the wrong source");
      }
    }
    for (EntryIterator s : sources) {
      assertTrue(((ModelEntryIterator) s).closed(), "sources are closed with the merged cursor");
    }
  }

  /** A value naming its entry and source, so that a value from another source is seen. */
  private static StoredValue value(At at, int source) {
    return new StoredValue(at.version(), (byte) 0, (byte) 0, 0,
        (at + " in " + source).getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------------------------------------
  // Generators

  @Provide
  Arbitrary<List<Entry>> entries() {
    Arbitrary<Entry> entry = Combinators.combine(keys(), versions(),
        Arbitraries.integers().between(0, 11)).as(Entry::new);
    return entry.list().ofMaxSize(40);
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> seek = Combinators.combine(keys(), seekVersions())
        .as((k, v) -> new Op(Kind.SEEK, k, v));
    Arbitrary<Op> seekForPrev = Combinators.combine(keys(), seekVersions())
        .as((k, v) -> new Op(Kind.SEEK_FOR_PREV, k, v));
    Arbitrary<Op> op = Arbitraries.frequencyOf(
            Tuple.of(2, seek),
            Tuple.of(2, seekForPrev),
            Tuple.of(1, Arbitraries.just(new Op(Kind.SEEK_TO_FIRST, null, 0))),
            Tuple.of(1, Arbitraries.just(new Op(Kind.SEEK_TO_LAST, null, 0))),
            Tuple.of(6, Arbitraries.just(new Op(Kind.NEXT, null, 0))),
            Tuple.of(6, Arbitraries.just(new Op(Kind.PREV, null, 0))))
        .map(MergingIteratorProperties::identity);
    return op.list().ofMaxSize(40);
  }

  /** One or two bytes from a tiny alphabet with the unsigned extremes: keys collide often. */
  private static Arbitrary<byte[]> keys() {
    return Arbitraries.of((byte) 0, (byte) 'a', (byte) 'b', (byte) 0x80, (byte) 0xff)
        .array(byte[].class).ofMinSize(1).ofMaxSize(2);
  }

  /** Mostly a few small versions, so a key holds several; sometimes a huge one. */
  private static Arbitrary<Long> versions() {
    return Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.longs().between(1, 4)),
            Tuple.of(1, Arbitraries.of(0L, Long.MAX_VALUE, 1L << 40)))
        .map(MergingIteratorProperties::identity);
  }

  /** As {@link #versions()}, plus the bounds the engine seeks with. */
  private static Arbitrary<Long> seekVersions() {
    return Arbitraries.frequencyOf(
            Tuple.of(4, versions()),
            Tuple.of(1, Arbitraries.of(0L, Long.MAX_VALUE)))
        .map(MergingIteratorProperties::identity);
  }

  private static <T> T identity(T t) {
    return t;
  }
}
