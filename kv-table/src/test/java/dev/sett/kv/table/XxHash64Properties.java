package dev.sett.kv.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Our {@link XxHash64} computes exactly the published xxHash64, checked against lz4-java's
 * pure-Java implementation: the bloom filters on disk depend on it never changing.
 */
class XxHash64Properties {
  private static final XXHash64 REFERENCE = XXHashFactory.safeInstance().hash64();

  @Property
  void equalsTheReference(@ForAll @Size(max = 300) byte[] data, @ForAll long seed,
      @ForAll @IntRange(max = 40) int skip) {
    int off = Math.min(skip, data.length);
    int len = data.length - off;
    assertEquals(REFERENCE.hash(data, off, len, seed), XxHash64.hash(data, off, len, seed));
    assertEquals(REFERENCE.hash(data, 0, data.length, 0), XxHash64.hash(data));
  }

  @Property(tries = 20)
  void equalsTheReference_onLongInputs(@ForAll @Size(min = 1000, max = 70_000) byte[] data) {
    assertEquals(REFERENCE.hash(data, 0, data.length, 0), XxHash64.hash(data));
  }
}
