package dev.sett.kv.spi;

/**
 * Where a value lives in the value log: stored in the LSM tree, in place of the value, by entries
 * whose meta has {@link EntryMeta#VALUE_POINTER}.
 *
 * <p>The encoding is fixed, 16 bytes, all big-endian unsigned 32-bit integers (see {@code
 * docs/formats/vlog.md}):
 *
 * <pre>
 * Pointer := FileId(uint32) Offset(uint32) RecordLength(uint32) ValueSize(uint32)
 * </pre>
 *
 * Byte order of encoded pointers is (file, offset) order, the order of the log itself. A pointer
 * is a plain value: immutable and safe to share between threads.
 *
 * @param fileId the id of the value log file, 0 to 2^32 - 1
 * @param offset the byte offset of the record in that file, 0 to 2^32 - 1
 * @param recordLength the length of the whole record (header, key and value), 1 to 2^31 - 1
 * @param valueSize the length of the value, 0 to {@code recordLength}
 */
public record ValuePointer(long fileId, long offset, int recordLength, int valueSize) {

  /** Length of an encoded pointer: {@value}. */
  public static final int ENCODED_LENGTH = 16;
  private static final long UINT32 = 0xFFFF_FFFFL;

  /**
   * Validates the fields.
   *
   * @param fileId 0 to 2^32 - 1
   * @param offset 0 to 2^32 - 1
   * @param recordLength 1 to 2^31 - 1
   * @param valueSize 0 to {@code recordLength}
   * @throws IllegalArgumentException if a field is out of range
   */
  public ValuePointer {
    if (fileId < 0 || fileId > UINT32) {
      throw new IllegalArgumentException("value pointer file id " + fileId
          + " is outside [0, 2^32 - 1]");
    }
    if (offset < 0 || offset > UINT32) {
      throw new IllegalArgumentException("value pointer offset " + offset
          + " is outside [0, 2^32 - 1]");
    }
    if (recordLength <= 0) {
      throw new IllegalArgumentException("value pointer record length "
          + Integer.toUnsignedString(recordLength) + " is outside [1, 2^31 - 1]");
    }
    if (valueSize < 0 || valueSize > recordLength) {
      throw new IllegalArgumentException("value pointer value size "
          + Integer.toUnsignedString(valueSize) + " is outside [0, record length "
          + recordLength + "]");
    }
  }

  /**
   * Encodes the pointer into a new 16-byte array.
   *
   * @return the encoded pointer
   */
  public byte[] encode() {
    byte[] b = new byte[ENCODED_LENGTH];
    encodeTo(b, 0);
    return b;
  }

  /**
   * Encodes the pointer into {@code dst} at {@code off}.
   *
   * @param dst the destination, with 16 bytes free at {@code off}
   * @param off where to write
   * @return the position after the pointer, {@code off + 16}
   * @throws IndexOutOfBoundsException if fewer than 16 bytes are free
   */
  public int encodeTo(byte[] dst, int off) {
    if (off < 0 || dst.length - off < ENCODED_LENGTH) {
      throw new IndexOutOfBoundsException("16 bytes at " + off + " in " + dst.length);
    }
    putUint32(dst, off, fileId);
    putUint32(dst, off + 4, offset);
    putUint32(dst, off + 8, recordLength);
    putUint32(dst, off + 12, valueSize);
    return off + ENCODED_LENGTH;
  }

  /**
   * Decodes a pointer written by {@link #encode()}.
   *
   * @param encoded exactly 16 bytes
   * @return the pointer
   * @throws IllegalArgumentException if {@code encoded} is {@code null}, not 16 bytes long, or
   *     holds an impossible pointer (a record length of 0 or 2^31 and more, a value larger than its
   *     record); the caller reports this as corruption of wherever the bytes came from
   */
  public static ValuePointer decode(byte[] encoded) {
    if (encoded == null) {
      throw new IllegalArgumentException("value pointer is null");
    }
    if (encoded.length != ENCODED_LENGTH) {
      throw new IllegalArgumentException("value pointer must be " + ENCODED_LENGTH
          + " bytes, found " + encoded.length);
    }
    return decode(encoded, 0);
  }

  /**
   * Decodes a pointer from 16 bytes of {@code src} at {@code off}.
   *
   * @param src the source
   * @param off where the pointer starts
   * @return the pointer
   * @throws IllegalArgumentException as {@link #decode(byte[])}
   * @throws IndexOutOfBoundsException if fewer than 16 bytes are there
   */
  public static ValuePointer decode(byte[] src, int off) {
    if (off < 0 || src.length - off < ENCODED_LENGTH) {
      throw new IndexOutOfBoundsException("16 bytes at " + off + " in " + src.length);
    }
    long fileId = getUint32(src, off);
    long offset = getUint32(src, off + 4);
    long recordLength = getUint32(src, off + 8);
    long valueSize = getUint32(src, off + 12);
    if (recordLength == 0 || recordLength > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("bad value pointer: record length " + recordLength
          + " is outside [1, 2^31 - 1]");
    }
    if (valueSize > recordLength) {
      throw new IllegalArgumentException("bad value pointer: value size " + valueSize
          + " exceeds its record length " + recordLength);
    }
    return new ValuePointer(fileId, offset, (int) recordLength, (int) valueSize);
  }

  /**
   * The offset just past the record.
   *
   * @return {@code offset + recordLength}
   */
  public long end() {
    return offset + recordLength;
  }

  private static void putUint32(byte[] b, int off, long v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  private static long getUint32(byte[] b, int off) {
    return ((b[off] & 0xFFL) << 24) | ((b[off + 1] & 0xFFL) << 16) | ((b[off + 2] & 0xFFL) << 8)
        | (b[off + 3] & 0xFFL);
  }

  @Override
  public String toString() {
    return "ValuePointer[file " + fileId + ", offset " + offset + ", record " + recordLength
        + " bytes, value " + valueSize + " bytes]";
  }
}
