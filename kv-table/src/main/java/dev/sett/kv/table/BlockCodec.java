package dev.sett.kv.table;

import dev.sett.kv.Compression;
import dev.sett.kv.CorruptionException;
import dev.sett.kv.internal.BigEndian;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Seals and opens the checksummed units a table is made of (data blocks, the index, the bloom
 * filter):
 *
 * <pre>
 * Unit := Payload CompressionId(uint8) UncompressedLength(int32) Crc(int32)
 * </pre>
 *
 * {@code Crc} is CRC32C over the payload as stored and the two fields after it, so damage is found
 * before anything is decompressed, and a damaged length is never trusted. Blocks are compressed
 * by {@link Lz4Compressor} (ours, to reuse its hash table) and decompressed by lz4-java's
 * pure-Java {@code safeInstance()}: no JNI and no {@code Unsafe}, and malformed input ends in an
 * exception rather than a read out of bounds (we wrap it as a corruption, though the checksum
 * makes it practically unreachable).
 */
final class BlockCodec {
  /** Bytes after the payload. */
  static final int TRAILER = 1 + 4 + 4;
  /** The largest payload, compressed or not, that a unit may decode to. */
  static final int MAX_UNCOMPRESSED = Integer.MAX_VALUE - 64;

  private static final LZ4Factory LZ4 = LZ4Factory.safeInstance();
  private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4.safeDecompressor();
  /** LZ4 cannot expand more than 255 times; a larger claimed length is not ours. */
  private static final int LZ4_MAX_RATIO = 256;

  private BlockCodec() {}

  /**
   * Appends the unit for {@code raw[0, len)} to {@code out}. A block that LZ4 does not shrink by
   * at least an eighth is stored as it is, so reading it costs no decompression.
   *
   * @param lz4 the compressor, used when {@code compression} is LZ4 (one per builder: it keeps
   *     its hash table from block to block)
   * @return the unit's length, trailer included
   */
  static int seal(byte[] raw, int len, Compression compression, Lz4Compressor lz4,
      GrowableBytes out) {
    int start = out.size();
    Compression used = Compression.NONE;
    if (compression == Compression.LZ4) {
      int max = Lz4Compressor.maxCompressedLength(len);
      out.ensure(max + TRAILER);
      int compressed = lz4.compress(raw, 0, len, out.array(), start);
      if (compressed <= len - len / 8) {
        out.advance(compressed);
        used = Compression.LZ4;
      }
    }
    if (used == Compression.NONE) {
      out.put(raw, 0, len);
    }
    out.put((byte) used.id());
    out.putInt(len);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), start, out.size() - start);
    out.putInt((int) crc.getValue());
    return out.size() - start;
  }

  /**
   * Checks a unit and returns its payload, decompressed.
   *
   * @param file the file's name, for errors
   * @param offset the unit's offset in the file, for errors
   * @param what names the unit in errors ("block 3", "index")
   * @param unit the unit's bytes, exactly
   * @return a new array holding exactly the payload
   * @throws CorruptionException if the checksum fails, or a field is impossible
   */
  static byte[] open(String file, long offset, String what, byte[] unit) {
    return open(file, offset, what, -1, unit);
  }

  /**
   * As {@link #open(String, long, String, byte[])}, for the unit {@code what number} (a data
   * block): the name is put together only for an error, not on every read.
   *
   * @param number the unit's number, or -1 for none
   */
  static byte[] open(String file, long offset, String kind, int number, byte[] unit) {
    int len = unit.length;
    if (len < TRAILER) {
      throw new CorruptionException(file, offset,
          name(kind, number) + " of " + len + " bytes is too short");
    }
    int crcAt = len - 4;
    CRC32C crc = new CRC32C();
    crc.update(unit, 0, crcAt);
    int stored = BigEndian.getInt(unit, crcAt);
    if (stored != (int) crc.getValue()) {
      throw new CorruptionException(file, offset, String.format(Locale.ROOT,
          "%s checksum mismatch: stored %08x, computed %08x", name(kind, number), stored,
          (int) crc.getValue()));
    }
    int payloadLength = len - TRAILER;
    int id = unit[payloadLength] & 0xFF;
    int uncompressed = BigEndian.getInt(unit, payloadLength + 1);
    if (id == Compression.NONE.id()) {
      if (uncompressed != payloadLength) {
        throw new CorruptionException(file, offset, name(kind, number)
            + " stored uncompressed in " + payloadLength + " bytes claims " + uncompressed);
      }
      return Arrays.copyOf(unit, payloadLength);
    }
    if (id != Compression.LZ4.id()) {
      throw new CorruptionException(file, offset,
          name(kind, number) + " has unknown compression id " + id);
    }
    if (uncompressed < 0 || uncompressed > MAX_UNCOMPRESSED
        || uncompressed > (long) payloadLength * LZ4_MAX_RATIO) {
      throw new CorruptionException(file, offset, name(kind, number) + " of " + payloadLength
          + " LZ4 bytes claims an impossible " + Integer.toUnsignedString(uncompressed));
    }
    byte[] out = new byte[uncompressed];
    int produced;
    try {
      produced = DECOMPRESSOR.decompress(unit, 0, payloadLength, out, 0, uncompressed);
    } catch (RuntimeException e) { // LZ4Exception, or anything else the decoder throws on garbage
      CorruptionException c = new CorruptionException(file, offset,
          name(kind, number) + " does not decompress: " + e.getMessage());
      c.addSuppressed(e); // the cause slot is taken (null) by StorageException's constructor
      throw c;
    }
    if (produced != uncompressed) {
      throw new CorruptionException(file, offset, name(kind, number) + " decompressed to "
          + produced + " bytes, expected " + uncompressed);
    }
    return out;
  }
  /** A unit's name for errors: {@code kind}, or {@code kind number}. */
  static String name(String kind, int number) {
    return number < 0 ? kind : kind + " " + number;
  }

}
