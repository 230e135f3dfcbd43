package dev.sett.kv.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link BigEndian}, the fixed-width integers of every file format: the bytes are those of
 * {@link ByteBuffer}'s default (big-endian) order at any offset, nothing around them is touched,
 * values round-trip, and an access that does not fit throws before writing.
 */
class BigEndianTest {

  @Property
  void putInt_writesByteBufferBytes_andRoundTrips(@ForAll int v,
      @ForAll @IntRange(min = 0, max = 9) int offset) {
    byte[] b = filled(offset + 4 + 3);
    assertEquals(offset + 4, BigEndian.putInt(b, offset, v));
    byte[] expected = filled(b.length);
    ByteBuffer.wrap(expected).putInt(offset, v);
    assertArrayEquals(expected, b);
    assertEquals(v, BigEndian.getInt(b, offset));
  }

  @Property
  void putLong_writesByteBufferBytes_andRoundTrips(@ForAll long v,
      @ForAll @IntRange(min = 0, max = 9) int offset) {
    byte[] b = filled(offset + 8 + 3);
    assertEquals(offset + 8, BigEndian.putLong(b, offset, v));
    byte[] expected = filled(b.length);
    ByteBuffer.wrap(expected).putLong(offset, v);
    assertArrayEquals(expected, b);
    assertEquals(v, BigEndian.getLong(b, offset));
  }

  @Example
  void mostSignificantByteFirst() {
    byte[] b = new byte[12];
    BigEndian.putInt(b, 0, 0x01020304);
    BigEndian.putLong(b, 4, 0x8899AABBCCDDEEFFL);
    assertArrayEquals(new byte[] {1, 2, 3, 4, (byte) 0x88, (byte) 0x99, (byte) 0xAA, (byte) 0xBB,
        (byte) 0xCC, (byte) 0xDD, (byte) 0xEE, (byte) 0xFF}, b);
  }

  @Example
  void accessPastTheEnd_throwsWithoutWriting() {
    byte[] b = filled(7);
    assertThrows(IndexOutOfBoundsException.class, () -> BigEndian.putLong(b, 0, -1L));
    assertThrows(IndexOutOfBoundsException.class, () -> BigEndian.putInt(b, 4, -1));
    assertArrayEquals(filled(7), b);
    assertThrows(IndexOutOfBoundsException.class, () -> BigEndian.getInt(b, 5));
    assertThrows(IndexOutOfBoundsException.class, () -> BigEndian.getLong(b, -1));
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 0xEE);
    return b;
  }
}
