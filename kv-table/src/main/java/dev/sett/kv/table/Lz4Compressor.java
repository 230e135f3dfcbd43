package dev.sett.kv.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An LZ4 block compressor (the format every LZ4 decoder reads, lz4-java's included) whose hash
 * table is kept from one block to the next.
 *
 * <p>Why not lz4-java's: its pure-Java fast compressor allocates and zeroes a fresh hash table for
 * every call, 16 KiB for each 4 KiB block. A profile of a 1M-put load found that to be the largest
 * single source of garbage in the process (more than the puts themselves), all of it made by the
 * flusher and compactors. Here a table entry is a position plus a base that grows with every
 * call, so entries of earlier blocks are recognised as stale without clearing the table.
 *
 * <p>The algorithm is LZ4's fast one (level 1): hash 4 bytes at each position, take the last
 * position with that hash as a match candidate if it is within 64 KiB and its 4 bytes agree,
 * extend the match backwards over the pending literals and forwards, and skip ahead faster while
 * no match is found. The block format's end rules hold: the last 5 bytes are always literals and
 * no match starts in the last 12.
 *
 * <p>Not thread-safe: one per table builder.
 */
final class Lz4Compressor {
  private static final int HASH_BITS = 14;
  private static final int MIN_MATCH = 4;
  private static final int LAST_LITERALS = 5;
  private static final int MF_LIMIT = 12;
  private static final int MIN_LENGTH = MF_LIMIT + 1;
  private static final int MAX_DISTANCE = 65535;
  private static final int SKIP_TRIGGER = 6;
  private static final int ML_MASK = 15;
  private static final int RUN_MASK = 15;
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private final int[] table = new int[1 << HASH_BITS];
  /** Entries below this belong to earlier calls; starts above 0, which an empty slot holds. */
  private int base = 1;

  /**
   * The most bytes {@link #compress} may write for {@code length} input bytes.
   *
   * @param length input bytes
   * @return the bound
   */
  static int maxCompressedLength(int length) {
    return length + length / 255 + 16;
  }

  private static int hash(int fourBytes) {
    return (fourBytes * -1640531535) >>> (32 - HASH_BITS); // Knuth's multiplicative hash
  }

  private static int readInt(byte[] b, int i) {
    return (int) INT.get(b, i);
  }

  /**
   * Compresses {@code src[srcOff, srcOff + length)} into {@code dst} at {@code dstOff} as one LZ4
   * block.
   *
   * @param src the input
   * @param srcOff where it starts
   * @param length its length
   * @param dst the output, with at least {@link #maxCompressedLength} bytes of room at {@code
   *     dstOff}
   * @param dstOff where the block goes
   * @return the block's length
   */
  int compress(byte[] src, int srcOff, int length, byte[] dst, int dstOff) {
    if (base > (1 << 30) - length) {
      Arrays.fill(table, 0);
      base = 1;
    }
    final int b = base - srcOff; // table entry of position p: p + b
    base += length + 1;
    final int end = srcOff + length;
    int anchor = srcOff;
    int d = dstOff;
    if (length >= MIN_LENGTH) {
      final int mfLimit = end - MF_LIMIT; // the last position a match may start at
      final int matchLimit = end - LAST_LITERALS; // matches end before this
      final int minEntry = b + srcOff; // entries of this call are at least this
      int ip = srcOff;
      outer:
      while (true) {
        // Find a match: hash at ip, take the candidate, skip faster the longer none is found.
        int ref;
        int attempts = 1 << SKIP_TRIGGER;
        while (true) {
          if (ip > mfLimit) {
            break outer;
          }
          ref = candidate(src, ip, b, minEntry);
          if (ref >= 0) {
            break;
          }
          ip += attempts++ >>> SKIP_TRIGGER;
        }
        // Extend backwards over the pending literals.
        while (ip > anchor && ref > srcOff && src[ip - 1] == src[ref - 1]) {
          ip--;
          ref--;
        }
        int tokenPos = d++;
        int literals = ip - anchor;
        if (literals >= RUN_MASK) {
          dst[tokenPos] = (byte) (RUN_MASK << 4);
          d = writeLength(literals - RUN_MASK, dst, d);
        } else {
          dst[tokenPos] = (byte) (literals << 4);
        }
        System.arraycopy(src, anchor, dst, d, literals);
        d += literals;
        while (true) {
          int offset = ip - ref;
          dst[d++] = (byte) offset;
          dst[d++] = (byte) (offset >>> 8);
          ip += MIN_MATCH;
          ref += MIN_MATCH;
          int extra = 0;
          while (ip + extra < matchLimit && src[ip + extra] == src[ref + extra]) {
            extra++;
          }
          ip += extra;
          if (extra >= ML_MASK) {
            dst[tokenPos] |= ML_MASK;
            d = writeLength(extra - ML_MASK, dst, d);
          } else {
            dst[tokenPos] |= (byte) extra;
          }
          anchor = ip;
          if (ip > mfLimit) {
            break outer;
          }
          table[hash(readInt(src, ip - 2))] = ip - 2 + b;
          // A match right here needs no literals: emit it with an empty literal run.
          ref = candidate(src, ip, b, minEntry);
          if (ref >= 0) {
            tokenPos = d++;
            dst[tokenPos] = 0;
            continue;
          }
          ip++;
          break;
        }
      }
    }
    int literals = end - anchor;
    if (literals >= RUN_MASK) {
      dst[d++] = (byte) (RUN_MASK << 4);
      d = writeLength(literals - RUN_MASK, dst, d);
    } else {
      dst[d++] = (byte) (literals << 4);
    }
    System.arraycopy(src, anchor, dst, d, literals);
    return d + literals - dstOff;
  }

  /**
   * Puts position {@code ip} in the hash table and returns the position it replaced if that is a
   * match candidate: from this call (entry at least {@code minEntry}), at most 64 KiB back, with
   * the same first 4 bytes; else -1.
   */
  private int candidate(byte[] src, int ip, int b, int minEntry) {
    int h = hash(readInt(src, ip));
    int e = table[h];
    table[h] = ip + b;
    if (e >= minEntry) {
      int ref = e - b;
      if (ip - ref <= MAX_DISTANCE && readInt(src, ref) == readInt(src, ip)) {
        return ref;
      }
    }
    return -1;
  }

  private static int writeLength(int n, byte[] dst, int d) {
    while (n >= 255) {
      dst[d++] = (byte) 255;
      n -= 255;
    }
    dst[d++] = (byte) n;
    return d;
  }
}
