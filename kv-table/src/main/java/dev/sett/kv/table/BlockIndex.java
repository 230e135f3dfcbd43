package dev.sett.kv.table;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.Options;
import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.internal.VarInts;
import java.util.Arrays;

/**
 * A read-only view of a table's index, searched in place (the index cache holds these bytes, so a
 * lookup decodes nothing it does not compare):
 *
 * <pre>
 * Index      := IndexEntry{n} EntryOffset(int32){n} Count(int32 = n, the table's block count)
 * IndexEntry := BlockOffset(int64) BlockLength(int32) Version(int64) KeyLength(uvarint) Key
 * </pre>
 *
 * One entry per data block, in file order: where the block's unit starts, its stored length
 * (trailer included) and its first entry's key and version. Blocks are contiguous: each starts
 * where the previous one ends, the first right after the file header, the last ends where the
 * index starts. {@link #check} verifies all of that once, when the index is read from the file.
 */
final class BlockIndex {
  private static final int FIXED = 8 + 4 + 8;

  private final byte[] b;
  private final int count;
  private final int offsetArray;

  /** Wraps an index that passed {@link #check}. */
  BlockIndex(byte[] index) {
    this.b = index;
    this.count = BigEndian.getInt(index, index.length - 4);
    this.offsetArray = index.length - 4 - 4 * count;
  }

  int count() {
    return count;
  }

  long blockOffset(int i) {
    return BigEndian.getLong(b, entryOffset(i));
  }

  int blockLength(int i) {
    return BigEndian.getInt(b, entryOffset(i) + 8);
  }

  long firstVersion(int i) {
    return BigEndian.getLong(b, entryOffset(i) + 12);
  }

  /** A new array holding block {@code i}'s first user key. */
  byte[] firstKey(int i) {
    long x = DataBlock.varint32(b, entryOffset(i) + FIXED);
    int p = (int) x;
    return Arrays.copyOfRange(b, p, p + (int) (x >>> 32));
  }

  /**
   * The block that holds {@code (key, version)} if the table does: the last block whose first
   * entry is at or before it.
   *
   * @return the block's number, or -1 if the target comes before the table's first entry
   */
  int find(byte[] key, long version) {
    int lo = 0;
    int hi = count;
    while (lo < hi) { // first block whose first entry is after the target
      int mid = (lo + hi) >>> 1;
      if (compareFirst(mid, key, version) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo - 1;
  }

  /** Block {@code i}'s first entry against {@code (key, version)}, in internal order. */
  private int compareFirst(int i, byte[] key, long version) {
    int e = entryOffset(i);
    long x = DataBlock.varint32(b, e + FIXED);
    int p = (int) x;
    int c = Arrays.compareUnsigned(b, p, p + (int) (x >>> 32), key, 0, key.length);
    return c != 0 ? c : Long.compareUnsigned(version, BigEndian.getLong(b, e + 12));
  }

  private int entryOffset(int i) {
    return BigEndian.getInt(b, offsetArray + 4 * i);
  }

  /**
   * Checks an index read from the file: its shape, and that its blocks tile the data region
   * exactly.
   *
   * @param file the file, for errors
   * @param offset the index's offset in the file, for errors
   * @param index the index bytes (payload of its unit)
   * @param blockCount the block count the footer records
   * @param dataStart where the first block must start
   * @param dataEnd where the last block must end
   * @return a view of the index
   * @throws CorruptionException if anything is out of place
   */
  static BlockIndex check(String file, long offset, byte[] index, int blockCount, long dataStart,
      long dataEnd) {
    int len = index.length;
    if (len < 4) {
      throw bad(file, offset, "is " + len + " bytes long");
    }
    int n = BigEndian.getInt(index, len - 4);
    if (n != blockCount) {
      throw bad(file, offset, "lists " + n + " blocks, the footer " + blockCount);
    }
    if (n < 1 || n > (len - 4) / 4) {
      throw bad(file, offset, "claims " + n + " blocks in " + len + " bytes");
    }
    int limit = len - 4 - 4 * n;
    long[] v = new long[2];
    int expected = 0;
    long blockStart = dataStart;
    for (int i = 0; i < n; i++) {
      int p = BigEndian.getInt(index, limit + 4 * i);
      if (p != expected) {
        throw bad(file, offset, "entry " + i + " at " + p + ", expected " + expected);
      }
      if (limit - p < FIXED) {
        throw bad(file, offset, "entry " + i + " runs past the entries");
      }
      long blockOffset = BigEndian.getLong(index, p);
      int blockLength = BigEndian.getInt(index, p + 8);
      if (blockOffset != blockStart || blockLength <= BlockCodec.TRAILER
          || blockLength > dataEnd - blockStart) {
        throw bad(file, offset, "block " + i + " at " + blockOffset + " of " + blockLength
            + " bytes does not follow the previous block at " + blockStart + " within the data"
            + " ending at " + dataEnd);
      }
      blockStart += blockLength;
      p = VarInts.get(index, p + FIXED, limit, v);
      if (p < 0 || v[0] < 1 || v[0] > Options.MAX_KEY_SIZE || v[0] > limit - p) {
        throw bad(file, offset, "entry " + i + " has a bad key length");
      }
      expected = p + (int) v[0];
    }
    if (expected != limit) {
      throw bad(file, offset, "entries end at " + expected + ", offsets start at " + limit);
    }
    if (blockStart != dataEnd) {
      throw bad(file, offset, "blocks end at " + blockStart + ", the index starts at " + dataEnd);
    }
    return new BlockIndex(index);
  }

  private static CorruptionException bad(String file, long offset, String what) {
    return new CorruptionException(file, offset, "index " + what);
  }
}
