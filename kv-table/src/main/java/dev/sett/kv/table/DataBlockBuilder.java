package dev.sett.kv.table;

import dev.sett.kv.internal.VarInts;
import dev.sett.kv.spi.StoredValue;
import java.util.Arrays;

/**
 * Encodes entries into one {@link DataBlock} at a time. Its buffers are reused from block to
 * block, so adding an entry allocates nothing once they have grown to the largest block. Not
 * thread-safe.
 */
final class DataBlockBuilder {
  private final GrowableBytes buf;
  private int[] offsets = new int[64];
  private int count;
  private byte[] base = new byte[64];
  private int baseLength;
  private long baseVersion;

  /** Creates a builder whose buffer starts with room for about {@code blockSize} bytes. */
  DataBlockBuilder(int blockSize) {
    buf = new GrowableBytes(blockSize + blockSize / 4);
  }

  int count() {
    return count;
  }

  /** Bytes the block would have if finished now: entries, offset array and count. */
  int finishedSize() {
    return buf.size() + 4 * count + 4;
  }

  /** Bytes the block would have if {@code key} and {@code value} were added and it finished. */
  long finishedSizeWith(byte[] key, StoredValue value) {
    return (long) finishedSize() + 4 + entrySize(overlap(key), key.length, value);
  }

  /** Appends an entry; the caller has checked the order. */
  void add(byte[] key, StoredValue value) {
    int overlap = overlap(key);
    if (count == 0) {
      if (base.length < key.length) {
        base = Arrays.copyOf(base, Math.max(key.length, base.length * 2));
      }
      System.arraycopy(key, 0, base, 0, key.length);
      baseLength = key.length;
      baseVersion = value.version();
    }
    if (count == offsets.length) {
      offsets = Arrays.copyOf(offsets, count * 2);
    }
    offsets[count++] = buf.size();
    byte[] v = value.value();
    buf.ensure((int) entrySize(overlap, key.length, value)); // entries are capped far below 2 GiB
    buf.putVarInt(overlap);
    buf.putVarInt(key.length - overlap);
    buf.put(key, overlap, key.length - overlap);
    buf.putLong(value.version());
    buf.put(value.meta());
    buf.put(value.userMeta());
    buf.putVarInt(value.expiresAt());
    buf.putVarInt(v.length);
    buf.put(v, 0, v.length);
  }

  /**
   * Appends the offset array and the count.
   *
   * @return the block's length; its bytes are {@code array()[0, length)}
   */
  int finish() {
    for (int i = 0; i < count; i++) {
      buf.putInt(offsets[i]);
    }
    buf.putInt(count);
    return buf.size();
  }

  byte[] array() {
    return buf.array();
  }

  /** The block's first key is {@code baseKey()[0, baseKeyLength())}. */
  byte[] baseKey() {
    return base;
  }

  int baseKeyLength() {
    return baseLength;
  }

  long baseVersion() {
    return baseVersion;
  }

  void reset() {
    buf.clear();
    count = 0;
    baseLength = 0;
  }

  private int overlap(byte[] key) {
    if (count == 0) {
      return 0;
    }
    int m = Arrays.mismatch(base, 0, baseLength, key, 0, key.length);
    return m < 0 ? baseLength : m;
  }

  private static long entrySize(int overlap, int keyLength, StoredValue value) {
    int diff = keyLength - overlap;
    int valueLength = value.value().length;
    return (long) VarInts.size(overlap) + VarInts.size(diff) + diff + DataBlock.FIXED_ENTRY_BYTES
        + VarInts.size(value.expiresAt()) + VarInts.size(valueLength) + valueLength;
  }
}
