package dev.sett.kv.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link VarInts}, the unsigned LEB128 length encoding of every file format. Proves that every
 * 64-bit value (read as unsigned) round-trips at any offset, that {@link VarInts#size} is the
 * number of bytes {@link VarInts#put} writes, that the bytes are standard LEB128, and that the
 * decoder returns {@code -1} instead of reading past its limit or accepting more than 64 bits.
 */
class VarIntsTest {

  /** Values biased to the 7-bit boundaries, where the encoded length changes. */
  @Provide
  Arbitrary<Long> values() {
    Arbitrary<Long> boundaries = Arbitraries.integers().between(0, 63)
        .flatMap(bits -> Arbitraries.longs().between(-1, 1).map(d -> (1L << bits) + d));
    return Arbitraries.oneOf(Arbitraries.longs(), boundaries,
        Arbitraries.of(0L, 127L, 128L, Long.MAX_VALUE, Long.MIN_VALUE, -1L));
  }

  @Property
  void putThenGet_roundTrips_atAnyOffset(@ForAll("values") long v,
      @ForAll @IntRange(min = 0, max = 20) int offset) {
    byte[] buf = new byte[offset + 10 + 5];
    Arrays.fill(buf, (byte) 0xEE);
    int end = VarInts.put(buf, offset, v);
    assertEquals(offset + VarInts.size(v), end, "put returns the position after the varint");
    long[] out = new long[2];
    int next = VarInts.get(buf, offset, buf.length, out);
    assertEquals(end, next);
    assertEquals(v, out[0]);
    assertEquals(end, out[1]);
    for (int i = end; i < buf.length; i++) {
      assertEquals((byte) 0xEE, buf[i], "put wrote past the varint at " + i);
    }
  }

  @Property
  void size_isOneByteForEverySevenBits(@ForAll("values") long v) {
    int bits = 64 - Long.numberOfLeadingZeros(v);
    assertEquals(Math.max(1, (bits + 6) / 7), VarInts.size(v));
    assertTrue(VarInts.size(v) >= 1 && VarInts.size(v) <= 10);
  }

  @Property
  void truncatedInput_returnsMinusOne_atEveryCut(@ForAll("values") long v) {
    byte[] buf = new byte[10];
    int len = VarInts.put(buf, 0, v);
    long[] out = {123, 456};
    for (int limit = 0; limit < len; limit++) {
      assertEquals(-1, VarInts.get(buf, 0, limit, out), "limit " + limit + " of " + len);
    }
    assertEquals(123, out[0], "a failed read leaves out untouched");
    assertEquals(456, out[1]);
  }

  @Property
  void get_neverReadsPastItsLimit_evenWhenTheArrayGoesOn(@ForAll("values") long v,
      @ForAll @IntRange(min = 0, max = 5) int offset) {
    byte[] buf = new byte[offset + 20];
    int end = VarInts.put(buf, offset, v);
    // Whatever follows the cut, a continuation byte before it must not be completed from it.
    if (end - offset > 1) {
      assertEquals(-1, VarInts.get(buf, offset, end - 1, new long[2]));
    }
    assertEquals(end, VarInts.get(buf, offset, end, new long[2]));
  }

  @Example
  void encoding_isStandardLeb128() {
    assertEncodes(0, 0x00);
    assertEncodes(1, 0x01);
    assertEncodes(127, 0x7F);
    assertEncodes(128, 0x80, 0x01);
    assertEncodes(300, 0xAC, 0x02);
    assertEncodes(16_384, 0x80, 0x80, 0x01);
    assertEncodes(Long.MAX_VALUE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
    assertEncodes(-1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
    assertEncodes(Long.MIN_VALUE, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
  }

  private static void assertEncodes(long v, int... expected) {
    byte[] want = new byte[expected.length];
    for (int i = 0; i < expected.length; i++) {
      want[i] = (byte) expected[i];
    }
    byte[] buf = new byte[10];
    int len = VarInts.put(buf, 0, v);
    assertArrayEquals(want, Arrays.copyOf(buf, len), "encoding of " + v);
    assertEquals(expected.length, VarInts.size(v));
  }

  @Example
  void moreThan64Bits_isRejected() {
    long[] out = new long[2];
    // Tenth byte may only carry bit 63.
    byte[] tooBig = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x02};
    assertEquals(-1, VarInts.get(tooBig, 0, tooBig.length, out));
    // Eleven bytes: a tenth byte with the continuation bit set.
    byte[] tooLong = new byte[11];
    Arrays.fill(tooLong, (byte) 0x80);
    tooLong[10] = 0x00;
    assertEquals(-1, VarInts.get(tooLong, 0, tooLong.length, out));
    // An endless run of continuation bytes stops after ten.
    byte[] endless = new byte[64];
    Arrays.fill(endless, (byte) 0x80);
    assertEquals(-1, VarInts.get(endless, 0, endless.length, out));
  }

  @Example
  void emptyInput_returnsMinusOne() {
    assertEquals(-1, VarInts.get(new byte[0], 0, 0, new long[2]));
    assertEquals(-1, VarInts.get(new byte[] {5}, 1, 1, new long[2]));
  }
}
