package dev.sett.kv.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sett.kv.Compression;
import dev.sett.kv.CorruptionException;
import dev.sett.kv.internal.BigEndian;
import java.util.Arrays;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link TableMeta} and its trailer: round trips, any damaged byte refused, and arbitrary bytes
 * under a valid checksum decoded or refused as a corruption, never anything else.
 */
class TableMetaProperties {
  private static final int MAGIC = SstV1Format.MAGIC;

  @Property
  void meta_roundTrips(@ForAll("metas") TableMeta meta) {
    byte[] encoded = encode(meta);
    assertEquals(meta, decode(encoded));
  }

  @Property
  void anyDamagedByte_isCorruption(@ForAll("metas") TableMeta meta,
      @ForAll @IntRange(max = 1_000_000) int where,
      @ForAll @IntRange(min = 1, max = 255) int flip) {
    byte[] encoded = encode(meta);
    encoded[where % encoded.length] ^= (byte) flip;
    assertThrows(CorruptionException.class, () -> decode(encoded));
  }

  @Property
  void bytesWithAForgedChecksum_decodeOrFailAsCorruption(@ForAll @Size(max = 200) byte[] meta) {
    byte[] trailer = new byte[TableMeta.TRAILER];
    BigEndian.putInt(trailer, 0, meta.length);
    CRC32C crc = new CRC32C();
    crc.update(meta, 0, meta.length);
    BigEndian.putInt(trailer, 4, (int) crc.getValue());
    BigEndian.putInt(trailer, 8, MAGIC);
    byte[] file = Arrays.copyOf(meta, meta.length + trailer.length);
    System.arraycopy(trailer, 0, file, meta.length, trailer.length);
    try {
      decode(file);
    } catch (CorruptionException expected) {
      // the only failure allowed
    }
  }

  @Provide
  Arbitrary<TableMeta> metas() {
    Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
    Arbitrary<Long> offsets = Arbitraries.longs().between(0, Long.MAX_VALUE / 2);
    Arbitrary<Integer> lengths = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    Arbitrary<long[]> counts = Combinators.combine(Arbitraries.integers().between(1, 1 << 20),
            Arbitraries.longs().between(0, 1L << 40), Arbitraries.longs(),
            Arbitraries.longs().between(0, Long.MAX_VALUE))
        .as((blocks, extra, maxVersion, data) ->
            new long[] {blocks, blocks + extra, maxVersion, data});
    return Combinators.combine(offsets, lengths, lengths, counts, Arbitraries.of(
            Compression.class), keys, keys)
        .as((index, indexLength, bloomLength, c, compression, a, b) -> {
          byte[] small = Arrays.compareUnsigned(a, b) <= 0 ? a : b;
          byte[] large = small == a ? b : a;
          return new TableMeta(index, indexLength, index + indexLength, bloomLength, (int) c[0],
              c[1], c[2], compression, c[3], small, large);
        });
  }

  private static byte[] encode(TableMeta meta) {
    GrowableBytes out = new GrowableBytes(16);
    meta.encode(out, MAGIC);
    return Arrays.copyOf(out.array(), out.size());
  }

  /** Decodes meta and trailer the way a table's open does. */
  private static TableMeta decode(byte[] encoded) {
    int trailerAt = encoded.length - TableMeta.TRAILER;
    byte[] trailer = Arrays.copyOfRange(encoded, trailerAt, encoded.length);
    int length = TableMeta.metaLength("f", trailerAt, trailer, MAGIC, trailerAt);
    return TableMeta.decode("f", trailerAt - length,
        Arrays.copyOfRange(encoded, trailerAt - length, trailerAt), trailer);
  }
}
