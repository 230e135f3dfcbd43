package dev.sett.kv.table;

import dev.sett.kv.internal.VarInts;
import java.util.Arrays;

/** Encodes a {@link BlockIndex} as blocks are written. Not thread-safe. */
final class BlockIndexBuilder {
  private final GrowableBytes buf = new GrowableBytes(4096);
  private int[] offsets = new int[64];
  private int count;

  /** Records a written block and its first key. */
  void add(long blockOffset, int blockLength, byte[] key, int keyLength, long version) {
    if (count == offsets.length) {
      offsets = Arrays.copyOf(offsets, count * 2);
    }
    offsets[count++] = buf.size();
    buf.putLong(blockOffset);
    buf.putInt(blockLength);
    buf.putLong(version);
    buf.putVarInt(keyLength);
    buf.put(key, 0, keyLength);
  }

  int count() {
    return count;
  }

  /** Bytes the index would have if finished now, plus one more entry for a key this long. */
  long finishedSizeWithOneMore(int keyLength) {
    return (long) buf.size() + 4L * count + 4 + 20 + VarInts.size(keyLength) + keyLength + 4;
  }

  /**
   * Appends the offset array and the count.
   *
   * @return the index's length; its bytes are {@code array()[0, length)}
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
}
