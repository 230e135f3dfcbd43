package dev.sett.kv.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link Lz4Compressor} writes blocks that lz4-java's decoder (the one tables are read with)
 * turns back into the input exactly, for inputs of every kind and size, one compressor reused
 * across many blocks as a table builder reuses it; and it compresses about as well as lz4-java's
 * fast compressor.
 */
class Lz4CompressorTest {
  private static final LZ4SafeDecompressor DECODER = LZ4Factory.safeInstance().safeDecompressor();
  private static final LZ4Compressor LZ4_JAVA = LZ4Factory.safeInstance().fastCompressor();

  /** Inputs with runs, repeats at many distances, and random stretches. */
  private static byte[] input(Random r, int length) {
    byte[] b = new byte[length];
    int kind = r.nextInt(5);
    for (int i = 0; i < length; ) {
      int run = 1 + r.nextInt(64);
      switch (kind == 4 ? r.nextInt(4) : kind) {
        case 0 -> { // random
          for (int j = 0; j < run && i < length; j++) {
            b[i++] = (byte) r.nextInt();
          }
        }
        case 1 -> { // a repeated byte
          byte v = (byte) r.nextInt(4);
          for (int j = 0; j < run && i < length; j++) {
            b[i++] = v;
          }
        }
        case 2 -> { // a copy of something earlier, near or far (beyond 64 KiB too)
          if (i == 0) {
            b[i++] = 1;
            break;
          }
          int from = r.nextInt(i);
          for (int j = 0; j < run && i < length; j++) {
            b[i++] = b[from + j % (i - from)];
          }
        }
        default -> { // text-like
          for (int j = 0; j < run && i < length; j++) {
            b[i++] = (byte) ('a' + r.nextInt(6));
          }
        }
      }
    }
    return b;
  }

  private static void roundTrip(Lz4Compressor c, byte[] src, int off, int len, String why) {
    byte[] dst = new byte[Lz4Compressor.maxCompressedLength(len) + 8];
    int n = c.compress(src, off, len, dst, 3);
    assertTrue(n <= Lz4Compressor.maxCompressedLength(len), why + ": within the bound");
    byte[] out = new byte[len];
    int decoded = DECODER.decompress(dst, 3, n, out, 0, len);
    assertEquals(len, decoded, why);
    assertArrayEquals(Arrays.copyOfRange(src, off, off + len), out, why);
  }

  @Property(tries = 300)
  void everyInput_decodesToItself_withOneCompressorReused(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 70_000) int length) {
    Random r = new Random(seed);
    Lz4Compressor c = new Lz4Compressor();
    for (int block = 0; block < 4; block++) {
      int len = block == 0 ? length : r.nextInt(9000);
      byte[] src = input(r, len + 10);
      int off = r.nextInt(11);
      roundTrip(c, src, off, len, "seed " + seed + " block " + block + " length " + len);
    }
  }

  @Test
  void edgeSizes_andManyBlocks_throughTheStaleEntryLogic() {
    Lz4Compressor c = new Lz4Compressor();
    Random r = new Random(7);
    for (int len = 0; len <= 40; len++) {
      roundTrip(c, new byte[len], 0, len, "zeros of " + len);
      roundTrip(c, input(r, len), 0, len, "mixed of " + len);
    }
    // Many calls on the same compressor: entries of earlier blocks must never be taken as
    // matches into the current one (they would point at other data).
    byte[] a = input(r, 4096);
    for (int i = 0; i < 20_000; i++) {
      byte[] src = i % 2 == 0 ? a : input(r, 4096);
      roundTrip(c, src, 0, src.length, "block " + i);
    }
  }

  @Test
  void compressesAboutAsWellAsLz4Java() {
    Random r = new Random(11);
    Lz4Compressor c = new Lz4Compressor();
    long ours = 0;
    long theirs = 0;
    for (int i = 0; i < 500; i++) {
      byte[] src = input(r, 4096);
      byte[] dst = new byte[Lz4Compressor.maxCompressedLength(4096)];
      ours += c.compress(src, 0, src.length, dst, 0);
      theirs += LZ4_JAVA.compress(src, dst);
    }
    assertTrue(ours <= theirs * 1.05, "ours " + ours + " bytes, lz4-java " + theirs);
  }
}
