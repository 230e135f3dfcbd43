package dev.sett.kv.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sett.kv.Compression;
import dev.sett.kv.CorruptionException;
import dev.sett.kv.internal.BigEndian;
import java.util.Arrays;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link BlockCodec}: units round-trip under both compressions, LZ4 is kept only when it saves
 * an eighth, any damaged byte is a corruption, and even bytes that carry a valid checksum but
 * were never written by us decode or fail as a corruption, never otherwise.
 */
class BlockCodecProperties {

  @Property
  void seal_thenOpen_returnsThePayload(@ForAll("payloads") byte[] payload,
      @ForAll Compression compression) {
    GrowableBytes out = new GrowableBytes(16);
    out.put((byte) 7); // a unit need not start the buffer
    int length = BlockCodec.seal(payload, payload.length, compression, new Lz4Compressor(), out);
    assertEquals(out.size() - 1, length);
    byte[] unit = Arrays.copyOfRange(out.array(), 1, out.size());
    assertArrayEquals(payload, BlockCodec.open("f", 0, "unit", unit));
    int id = unit[unit.length - BlockCodec.TRAILER];
    if (id == Compression.LZ4.id()) {
      assertEquals(Compression.LZ4, compression);
      int stored = unit.length - BlockCodec.TRAILER;
      assertEquals(true, stored <= payload.length - payload.length / 8,
          "LZ4 kept although it saved too little: " + stored + " of " + payload.length);
    } else {
      assertEquals(payload.length + BlockCodec.TRAILER, unit.length);
    }
  }

  @Property
  void anyDamagedByte_isCorruption(@ForAll("payloads") byte[] payload,
      @ForAll Compression compression, @ForAll @IntRange(min = 0, max = 100_000) int where,
      @ForAll @IntRange(min = 1, max = 255) int flip) {
    GrowableBytes out = new GrowableBytes(16);
    int length = BlockCodec.seal(payload, payload.length, compression, new Lz4Compressor(), out);
    byte[] unit = Arrays.copyOf(out.array(), length);
    unit[where % length] ^= (byte) flip;
    assertThrows(CorruptionException.class, () -> BlockCodec.open("f", 9, "unit", unit));
  }

  @Property
  void bytesWithAForgedChecksum_decodeOrFailAsCorruption(@ForAll @Size(max = 600) byte[] body,
      @ForAll @IntRange(min = 0, max = 2) int id, @ForAll @IntRange(max = 5000) int claimed) {
    byte[] unit = Arrays.copyOf(body, body.length + BlockCodec.TRAILER);
    unit[body.length] = (byte) id;
    BigEndian.putInt(unit, body.length + 1, claimed);
    CRC32C crc = new CRC32C();
    crc.update(unit, 0, unit.length - 4);
    BigEndian.putInt(unit, unit.length - 4, (int) crc.getValue());
    try {
      byte[] payload = BlockCodec.open("f", 0, "unit", unit);
      assertEquals(claimed, payload.length);
    } catch (CorruptionException expected) {
      // the only failure allowed
    }
  }

  @Provide
  Arbitrary<byte[]> payloads() {
    Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(5000);
    Arbitrary<byte[]> text = Arbitraries.strings().withChars("abc ").ofMaxLength(5000)
        .map(String::getBytes);
    Arbitrary<byte[]> runs = Arbitraries.integers().between(0, 70_000)
        .map(n -> new byte[n]);
    return Arbitraries.frequencyOf(Tuple.of(3, noise), Tuple.of(3, text), Tuple.of(1, runs))
        .map(b -> b);
  }
}
