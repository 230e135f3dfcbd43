package dev.sett.kv.table;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.Options;
import dev.sett.kv.internal.BigEndian;
import dev.sett.kv.internal.VarInts;
import dev.sett.kv.spi.StoredValue;
import java.util.Arrays;

/**
 * A read-only view of one decompressed data block, searched in place:
 *
 * <pre>
 * Block := Entry{n} EntryOffset(int32){n} Count(int32 = n, at least 1)
 * Entry := Overlap(uvarint) DiffLength(uvarint) Diff Version(int64) Meta(uint8) UserMeta(uint8)
 *          ExpiresAt(uvarint) ValueLength(uvarint) Value
 * </pre>
 *
 * The entry's user key is the first {@code Overlap} bytes of the block's <em>base key</em> (the
 * key of entry 0, stored whole with overlap 0) followed by {@code Diff}. Prefix compression
 * against the base key rather than the previous key is what lets a lookup binary-search the
 * offset array and compare any entry without decoding the ones before it. The version is stored
 * as is (not folded into the key): comparisons need the key and the version apart anyway.
 *
 * <p>Every block is checked by {@link #check} once, when it is read from the file, before it is
 * cached; the accessors then trust it and do no bounds checks of their own. Instances are cheap
 * and immutable; the array they wrap must never be modified.
 */
final class DataBlock {
  /** Bytes of an entry besides its diff, value and varints: version, meta, userMeta. */
  static final int FIXED_ENTRY_BYTES = 8 + 1 + 1;

  private final byte[] b;
  private final int count;
  private final int offsetArray;
  private final int baseOff;

  /** Wraps a block that passed {@link #check}. */
  DataBlock(byte[] block) {
    this.b = block;
    this.count = BigEndian.getInt(block, block.length - 4);
    this.offsetArray = block.length - 4 - 4 * count;
    // Entry 0 has overlap 0: its diff, right after its two varints, is the whole base key.
    this.baseOff = (int) varint32(block, skipVarint(block, 0));
  }

  /** The block's bytes; the caller must not modify them. */
  byte[] bytes() {
    return b;
  }

  int count() {
    return count;
  }

  /**
   * Compares entry {@code i} with {@code (key, version)} in internal order.
   *
   * @return negative if the entry comes first, 0 if equal, positive if it comes after
   */
  int compare(int i, byte[] key, long version) {
    int p = entryOffset(i);
    long x = varint32(b, p);
    int overlap = (int) (x >>> 32);
    x = varint32(b, (int) x);
    int diffLength = (int) (x >>> 32);
    int diffOff = (int) x;
    // A key shorter than the overlap differs within it (or is a proper prefix, hence smaller), so
    // the first comparison decides; otherwise the rest of the key meets the diff.
    int c = Arrays.compareUnsigned(b, baseOff, baseOff + overlap,
        key, 0, Math.min(overlap, key.length));
    if (c == 0) {
      c = Arrays.compareUnsigned(b, diffOff, diffOff + diffLength, key, overlap, key.length);
      if (c == 0) {
        return Long.compareUnsigned(version, BigEndian.getLong(b, diffOff + diffLength));
      }
    }
    return c;
  }

  /**
   * The first entry at or after {@code (key, version)}.
   *
   * @return its index, or {@link #count()} if every entry comes before the target
   */
  int seek(byte[] key, long version) {
    int lo = 0;
    int hi = count;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(mid, key, version) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Whether entry {@code i} has user key {@code key}. */
  boolean keyEquals(int i, byte[] key) {
    int p = entryOffset(i);
    long x = varint32(b, p);
    int overlap = (int) (x >>> 32);
    x = varint32(b, (int) x);
    int diffLength = (int) (x >>> 32);
    int diffOff = (int) x;
    return overlap + diffLength == key.length
        && Arrays.equals(b, baseOff, baseOff + overlap, key, 0, overlap)
        && Arrays.equals(b, diffOff, diffOff + diffLength, key, overlap, key.length);
  }

  /** A new array holding the user key of entry {@code i}. */
  byte[] key(int i) {
    int p = entryOffset(i);
    long x = varint32(b, p);
    int overlap = (int) (x >>> 32);
    x = varint32(b, (int) x);
    int diffLength = (int) (x >>> 32);
    byte[] key = new byte[overlap + diffLength];
    System.arraycopy(b, baseOff, key, 0, overlap);
    System.arraycopy(b, (int) x, key, overlap, diffLength);
    return key;
  }

  long version(int i) {
    return BigEndian.getLong(b, versionOffset(i));
  }

  /** Entry {@code i}'s version, metadata and a copy of its value. */
  StoredValue value(int i) {
    int p = versionOffset(i);
    long version = BigEndian.getLong(b, p);
    byte meta = b[p + 8];
    byte userMeta = b[p + 9];
    p += FIXED_ENTRY_BYTES;
    long expiresAt = varint64(b, p);
    long x = varint32(b, skipVarint(b, p));
    int valueOff = (int) x;
    byte[] value = Arrays.copyOfRange(b, valueOff, valueOff + (int) (x >>> 32));
    return new StoredValue(version, meta, userMeta, expiresAt, value);
  }

  private int entryOffset(int i) {
    return BigEndian.getInt(b, offsetArray + 4 * i);
  }

  private int versionOffset(int i) {
    int p = skipVarint(b, entryOffset(i));
    long x = varint32(b, p);
    return (int) x + (int) (x >>> 32);
  }

  // -----------------------------------------------------------------------------------------
  // Trusting varint decoders, for checked blocks only

  /** Decodes a varint known to fit in 31 bits: returns {@code value << 32 | positionAfter}. */
  static long varint32(byte[] b, int p) {
    int v = b[p++];
    if (v >= 0) {
      return ((long) v << 32) | p;
    }
    int r = v & 0x7F;
    for (int shift = 7; ; shift += 7) {
      int x = b[p++];
      r |= (x & 0x7F) << shift;
      if (x >= 0) {
        return ((long) r << 32) | p;
      }
    }
  }

  static long varint64(byte[] b, int p) {
    long r = 0;
    for (int shift = 0; ; shift += 7) {
      int x = b[p++];
      r |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return r;
      }
    }
  }

  static int skipVarint(byte[] b, int p) {
    while (b[p++] < 0) {
      // continuation bit set
    }
    return p;
  }

  // -----------------------------------------------------------------------------------------
  // Checking a block read from the file

  /**
   * Checks that a decompressed block is well formed: every offset, length and varint lies
   * inside it, entries are contiguous, keys are 1 to {@value Options#MAX_KEY_SIZE} bytes and
   * overlaps stay within the base key. The checksum has already vouched for the bytes; this makes
   * sure that even a block that fooled it cannot send a reader out of bounds.
   *
   * @param file the file, for errors
   * @param offset the block's offset in the file, for errors
   * @param index the block's number, for errors
   * @param block the bytes
   * @return a view of the block
   * @throws CorruptionException if anything is out of place
   */
  static DataBlock check(String file, long offset, int index, byte[] block) {
    int len = block.length;
    if (len < 4) {
      throw bad(file, offset, index, "is " + len + " bytes long");
    }
    int n = BigEndian.getInt(block, len - 4);
    if (n < 1 || n > (len - 4) / 4) {
      throw bad(file, offset, index, "claims " + n + " entries in " + len + " bytes");
    }
    int limit = len - 4 - 4 * n;
    long[] v = new long[2];
    int expected = 0;
    int baseLength = 0;
    for (int i = 0; i < n; i++) {
      int p = BigEndian.getInt(block, limit + 4 * i);
      if (p != expected) {
        throw bad(file, offset, index, "entry " + i + " at " + p + ", expected " + expected);
      }
      p = varint(file, offset, index, block, p, limit, v);
      long overlap = v[0];
      p = varint(file, offset, index, block, p, limit, v);
      long diffLength = v[0];
      if (i == 0 ? overlap != 0 : overlap > baseLength) {
        throw bad(file, offset, index, "entry " + i + " overlaps " + overlap + " bytes");
      }
      long keyLength = overlap + diffLength;
      if (keyLength < 1 || keyLength > Options.MAX_KEY_SIZE) {
        throw bad(file, offset, index, "entry " + i + " has a key of " + keyLength + " bytes");
      }
      if (i == 0) {
        baseLength = (int) keyLength;
      }
      if (diffLength + FIXED_ENTRY_BYTES > limit - p) {
        throw bad(file, offset, index, "entry " + i + " runs past the entries");
      }
      p += (int) diffLength + FIXED_ENTRY_BYTES;
      p = varint(file, offset, index, block, p, limit, v); // expiresAt: any 64-bit value
      p = varint(file, offset, index, block, p, limit, v);
      if (v[0] < 0 || v[0] > limit - p) {
        throw bad(file, offset, index, "entry " + i + " has a value of " + v[0] + " bytes");
      }
      expected = p + (int) v[0];
    }
    if (expected != limit) {
      throw bad(file, offset, index, "entries end at " + expected + ", offsets start at " + limit);
    }
    return new DataBlock(block);
  }

  private static int varint(String file, long offset, int index, byte[] b, int p, int limit,
      long[] out) {
    int end = VarInts.get(b, p, limit, out);
    if (end < 0) {
      throw bad(file, offset, index, "has a bad varint at " + p);
    }
    return end;
  }

  private static CorruptionException bad(String file, long offset, int index, String what) {
    return new CorruptionException(file, offset, "data block " + index + " " + what);
  }
}
