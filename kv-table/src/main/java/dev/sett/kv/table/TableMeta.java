package dev.sett.kv.table;

import dev.sett.kv.Compression;
import dev.sett.kv.CorruptionException;
import dev.sett.kv.Options;
import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.internal.VarInts;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * What a table says about itself at its end, read first when it is opened:
 *
 * <pre>
 * Meta    := IndexOffset(int64) IndexLength(int32) BloomOffset(int64) BloomLength(int32)
 *            BlockCount(int32) EntryCount(int64) MaxVersion(int64) CompressionId(uint8)
 *            DataBytes(int64) SmallestKeyLength(uvarint) SmallestKey
 *            LargestKeyLength(uvarint) LargestKey
 * Trailer := MetaLength(int32) MetaCrc(int32, CRC32C of Meta) Magic(int32)
 * </pre>
 *
 * Lengths of the index and bloom filter are of their stored units (trailers included); {@code
 * BloomLength} is 0 when the table has no filter, and {@code BloomOffset} then still marks where
 * it would start. {@code CompressionId} is the compression the table was written with (each
 * block records its own); {@code DataBytes} is the sum of the data blocks' uncompressed lengths.
 * The trailer has a fixed size, so a reader finds the meta from the file's end.
 *
 * @param indexOffset where the index unit starts
 * @param indexLength the index unit's length
 * @param bloomOffset where the bloom filter unit starts, right after the index
 * @param bloomLength the bloom filter unit's length, 0 for none
 * @param blockCount how many data blocks there are, at least 1
 * @param entryCount how many entries there are, at least 1
 * @param maxVersion the highest version
 * @param compression how the table was asked to compress blocks
 * @param dataBytes uncompressed bytes of all data blocks
 * @param smallestKey the first user key
 * @param largestKey the last user key
 */
record TableMeta(long indexOffset, int indexLength, long bloomOffset, int bloomLength,
    int blockCount, long entryCount, long maxVersion, Compression compression, long dataBytes,
    byte[] smallestKey, byte[] largestKey) {

  /** Bytes of the fixed fields. */
  static final int FIXED = 8 + 4 + 8 + 4 + 4 + 8 + 8 + 1 + 8;
  /** Bytes of the trailer. */
  static final int TRAILER = 4 + 4 + 4;
  /** The shortest possible meta: fixed fields and two 1-byte keys. */
  static final int MIN_LENGTH = FIXED + 2 * (1 + 1);
  /** The longest possible meta: fixed fields and two keys of the largest size. */
  static final int MAX_LENGTH =
      FIXED + 2 * (VarInts.size(Options.MAX_KEY_SIZE) + Options.MAX_KEY_SIZE);

  /** Appends the meta and the trailer to {@code out}. */
  void encode(GrowableBytes out, int magic) {
    int start = out.size();
    out.putLong(indexOffset);
    out.putInt(indexLength);
    out.putLong(bloomOffset);
    out.putInt(bloomLength);
    out.putInt(blockCount);
    out.putLong(entryCount);
    out.putLong(maxVersion);
    out.put((byte) compression.id());
    out.putLong(dataBytes);
    out.putVarInt(smallestKey.length);
    out.put(smallestKey, 0, smallestKey.length);
    out.putVarInt(largestKey.length);
    out.put(largestKey, 0, largestKey.length);
    int length = out.size() - start;
    CRC32C crc = new CRC32C();
    crc.update(out.array(), start, length);
    out.putInt(length);
    out.putInt((int) crc.getValue());
    out.putInt(magic);
  }

  /**
   * Reads the meta length from a trailer.
   *
   * @param file the file, for errors
   * @param trailerOffset where the trailer starts
   * @param trailer the {@link #TRAILER} bytes
   * @param magic the magic the trailer must end with
   * @param room how many bytes lie between the header and the trailer
   * @return the meta's length, checked against {@code room} and the possible range
   * @throws CorruptionException if the magic or the length is wrong
   */
  static int metaLength(String file, long trailerOffset, byte[] trailer, int magic, long room) {
    int found = BigEndian.getInt(trailer, 8);
    if (found != magic) {
      throw new CorruptionException(file, trailerOffset, String.format(Locale.ROOT,
          "bad trailer magic: expected %08x, found %08x (truncated or not a table)", magic,
          found));
    }
    int length = BigEndian.getInt(trailer, 0);
    if (length < MIN_LENGTH || length > MAX_LENGTH || length > room) {
      throw new CorruptionException(file, trailerOffset, "trailer gives a meta length of "
          + length + " with " + room + " bytes before it");
    }
    return length;
  }

  /**
   * Checks and decodes a meta.
   *
   * @param file the file, for errors
   * @param offset where the meta starts, for errors
   * @param meta exactly the meta's bytes
   * @param trailer the trailer that follows it
   * @return the meta, its fields checked for range (not yet against the file's layout)
   * @throws CorruptionException if the checksum fails or a field is impossible
   */
  static TableMeta decode(String file, long offset, byte[] meta, byte[] trailer) {
    CRC32C crc = new CRC32C();
    crc.update(meta, 0, meta.length);
    int stored = BigEndian.getInt(trailer, 4);
    if (stored != (int) crc.getValue()) {
      throw new CorruptionException(file, offset, String.format(Locale.ROOT,
          "meta checksum mismatch: stored %08x, computed %08x", stored, (int) crc.getValue()));
    }
    if (meta.length < MIN_LENGTH) {
      throw new CorruptionException(file, offset, "meta of " + meta.length + " bytes");
    }
    long indexOffset = BigEndian.getLong(meta, 0);
    int indexLength = BigEndian.getInt(meta, 8);
    long bloomOffset = BigEndian.getLong(meta, 12);
    int bloomLength = BigEndian.getInt(meta, 20);
    int blockCount = BigEndian.getInt(meta, 24);
    long entryCount = BigEndian.getLong(meta, 28);
    long maxVersion = BigEndian.getLong(meta, 36);
    int compressionId = meta[44] & 0xFF;
    long dataBytes = BigEndian.getLong(meta, 45);
    if (blockCount < 1 || entryCount < blockCount || dataBytes < 0) {
      throw new CorruptionException(file, offset, "meta lists " + blockCount + " blocks, "
          + entryCount + " entries, " + dataBytes + " data bytes");
    }
    Compression compression;
    try {
      compression = Compression.ofId(compressionId);
    } catch (IllegalArgumentException e) {
      throw new CorruptionException(file, offset, "meta has " + e.getMessage());
    }
    long[] v = new long[2];
    int p = FIXED;
    byte[][] keys = new byte[2][];
    for (int k = 0; k < 2; k++) {
      p = VarInts.get(meta, p, meta.length, v);
      if (p < 0 || v[0] < 1 || v[0] > Options.MAX_KEY_SIZE || v[0] > meta.length - p) {
        throw new CorruptionException(file, offset,
            "meta has a bad " + (k == 0 ? "smallest" : "largest") + " key length");
      }
      keys[k] = Arrays.copyOfRange(meta, p, p + (int) v[0]);
      p += (int) v[0];
    }
    if (p != meta.length) {
      throw new CorruptionException(file, offset,
          "meta ends at " + p + " of its " + meta.length + " bytes");
    }
    if (Arrays.compareUnsigned(keys[0], keys[1]) > 0) {
      throw new CorruptionException(file, offset, "meta's smallest key is after its largest");
    }
    return new TableMeta(indexOffset, indexLength, bloomOffset, bloomLength, blockCount,
        entryCount, maxVersion, compression, dataBytes, keys[0], keys[1]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableMeta m && indexOffset == m.indexOffset
        && indexLength == m.indexLength && bloomOffset == m.bloomOffset
        && bloomLength == m.bloomLength && blockCount == m.blockCount
        && entryCount == m.entryCount && maxVersion == m.maxVersion
        && compression == m.compression && dataBytes == m.dataBytes
        && Arrays.equals(smallestKey, m.smallestKey) && Arrays.equals(largestKey, m.largestKey);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(indexOffset) * 31 + Arrays.hashCode(smallestKey);
  }

  @Override
  public String toString() {
    return "TableMeta[index " + indexOffset + "+" + indexLength + ", bloom " + bloomOffset + "+"
        + bloomLength + ", " + blockCount + " blocks, " + entryCount + " entries, max version "
        + maxVersion + ", " + compression + ", " + dataBytes + " data bytes, keys "
        + HexFormat.of().formatHex(smallestKey) + ".." + HexFormat.of().formatHex(largestKey)
        + "]";
  }
}
