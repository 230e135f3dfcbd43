package dev.sett.kv.io;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.UnsupportedFormatException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The header every Sett file starts with, and its one codec (formats never hand-roll it).
 *
 * <pre>
 * Header := Magic(int32) HeaderVersion(uint16 = 1) NameLength(uint8) FormatName(ASCII, 1..32)
 *           FormatVersion(int32) DbId(16 bytes) FileId(int64) HeaderCrc(int32, CRC32C of all
 *           preceding header bytes)
 * </pre>
 *
 * All integers are big-endian. The magic tells the file kind, the format name and version tell
 * which code wrote it, the database id catches a file copied from another database, the file id
 * catches a file renamed in place of another.
 *
 * @param magic the file kind's magic number
 * @param formatName the name of the format that wrote the file
 * @param formatVersion the format's version
 * @param dbId the 16-byte random id of the database
 * @param fileId the file's id (the number in its name)
 */
public record FileHeader(int magic, String formatName, int formatVersion, byte[] dbId,
    long fileId) {

  /** The version of this header layout. */
  public static final int HEADER_VERSION = 1;
  /** Length of a database id. */
  public static final int DB_ID_LENGTH = 16;
  private static final int MAX_NAME = 32;

  /**
   * Validates the components.
   *
   * @param magic the magic
   * @param formatName 1 to 32 ASCII characters
   * @param formatVersion the version
   * @param dbId 16 bytes
   * @param fileId the id
   */
  public FileHeader {
    Objects.requireNonNull(formatName, "formatName");
    if (formatName.isEmpty() || formatName.length() > MAX_NAME
        || !StandardCharsets.US_ASCII.newEncoder().canEncode(formatName)) {
      throw new IllegalArgumentException("format name must be 1 to 32 ASCII characters");
    }
    if (dbId.length != DB_ID_LENGTH) {
      throw new IllegalArgumentException("dbId must be " + DB_ID_LENGTH + " bytes");
    }
    dbId = dbId.clone();
  }

  @Override
  public byte[] dbId() {
    return dbId.clone();
  }

  /**
   * The encoded length of this header.
   *
   * @return bytes
   */
  public int length() {
    return lengthFor(formatName.length());
  }

  private static int lengthFor(int nameLength) {
    return 4 + 2 + 1 + nameLength + 4 + DB_ID_LENGTH + 8 + 4;
  }

  /**
   * Encodes the header.
   *
   * @return the bytes to write at offset 0
   */
  public byte[] encode() {
    byte[] name = formatName.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(lengthFor(name.length));
    b.putInt(magic).putShort((short) HEADER_VERSION).put((byte) name.length).put(name)
        .putInt(formatVersion).put(dbId).putLong(fileId);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /**
   * Reads and checks the header of a file.
   *
   * @param file the file
   * @param expectedMagic the magic of the expected file kind
   * @param expectedFormat the format name expected, or {@code null} to accept any
   * @param minVersion the oldest readable format version
   * @param maxVersion the newest readable format version
   * @return the header
   * @throws CorruptionException if the header is torn, fails its checksum or has the wrong magic
   * @throws UnsupportedFormatException if the format name or version is not readable here
   * @throws IOException if the file cannot be read
   */
  public static FileHeader read(ReadableFile file, int expectedMagic, String expectedFormat,
      int minVersion, int maxVersion) throws IOException {
    String fileName = file.name();
    byte[] fixed = new byte[7];
    try {
      file.readFully(0, fixed, 0, fixed.length);
    } catch (EOFException e) {
      throw new CorruptionException(fileName, 0, "file too short for a header");
    }
    ByteBuffer head = ByteBuffer.wrap(fixed);
    int magic = head.getInt();
    int headerVersion = head.getShort() & 0xFFFF;
    int nameLength = head.get() & 0xFF;
    if (magic != expectedMagic) {
      throw new CorruptionException(fileName, 0, String.format(java.util.Locale.ROOT,
          "bad magic: expected %08x, found %08x", expectedMagic, magic));
    }
    if (headerVersion != HEADER_VERSION) {
      if (onlyVersionFieldDamaged(file, nameLength)) {
        throw new CorruptionException(fileName, 4, "header version field damaged (reads "
            + headerVersion + "; the rest of the header checks out as version "
            + HEADER_VERSION + ")");
      }
      throw new UnsupportedFormatException(fileName,
          "header version " + headerVersion + " is not supported (this build reads "
              + HEADER_VERSION + ")");
    }
    if (nameLength == 0 || nameLength > MAX_NAME) {
      throw new CorruptionException(fileName, 6, "bad format name length " + nameLength);
    }
    byte[] all = new byte[lengthFor(nameLength)];
    try {
      file.readFully(0, all, 0, all.length);
    } catch (EOFException e) {
      throw new CorruptionException(fileName, 0, "file too short for its header");
    }
    CRC32C crc = new CRC32C();
    crc.update(all, 0, all.length - 4);
    ByteBuffer b = ByteBuffer.wrap(all);
    int stored = b.getInt(all.length - 4);
    if (stored != (int) crc.getValue()) {
      throw new CorruptionException(fileName, 0, String.format(java.util.Locale.ROOT,
          "header checksum mismatch: stored %08x, computed %08x", stored, (int) crc.getValue()));
    }
    b.position(7);
    byte[] name = new byte[nameLength];
    b.get(name);
    String formatName = new String(name, StandardCharsets.US_ASCII);
    int formatVersion = b.getInt();
    byte[] dbId = new byte[DB_ID_LENGTH];
    b.get(dbId);
    long fileId = b.getLong();
    if (expectedFormat != null && !expectedFormat.equals(formatName)) {
      throw new UnsupportedFormatException(fileName,
          "written by format '" + formatName + "', expected '" + expectedFormat + "'");
    }
    if (formatVersion < minVersion || formatVersion > maxVersion) {
      throw new UnsupportedFormatException(fileName,
          "format '" + formatName + "' version " + formatVersion + " is "
              + (formatVersion > maxVersion ? "newer" : "older") + " than this build reads ["
              + minVersion + ", " + maxVersion + "]");
    }
    return new FileHeader(magic, formatName, formatVersion, dbId, fileId);
  }

  /**
   * Whether the header is a version-1 header whose version field alone is wrong: its checksum
   * matches once the field is put back to 1. A genuinely newer header has another layout, so the
   * check fails for it (but for a 2^-32 chance), and it is reported as unsupported instead.
   */
  private static boolean onlyVersionFieldDamaged(ReadableFile file, int nameLength)
      throws IOException {
    if (nameLength == 0 || nameLength > MAX_NAME || file.size() < lengthFor(nameLength)) {
      return false;
    }
    byte[] all = new byte[lengthFor(nameLength)];
    file.readFully(0, all, 0, all.length);
    all[4] = (byte) (HEADER_VERSION >>> 8);
    all[5] = (byte) HEADER_VERSION;
    CRC32C crc = new CRC32C();
    crc.update(all, 0, all.length - 4);
    return ByteBuffer.wrap(all).getInt(all.length - 4) == (int) crc.getValue();
  }

  /**
   * Checks that this header belongs to the expected database and file.
   *
   * @param fileName the file's name, for the message
   * @param expectedDbId the database's id
   * @param expectedFileId the id in the file's name
   * @throws CorruptionException if either differs
   */
  public void checkIdentity(String fileName, byte[] expectedDbId, long expectedFileId) {
    if (!Arrays.equals(dbId, expectedDbId)) {
      throw new CorruptionException(fileName, 0, "file belongs to database "
          + HexFormat.of().formatHex(dbId) + ", not " + HexFormat.of().formatHex(expectedDbId));
    }
    if (fileId != expectedFileId) {
      throw new CorruptionException(fileName, 0,
          "header says file id " + fileId + ", the name says " + expectedFileId);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileHeader h && magic == h.magic && formatName.equals(h.formatName)
        && formatVersion == h.formatVersion && Arrays.equals(dbId, h.dbId) && fileId == h.fileId;
  }

  @Override
  public int hashCode() {
    return Objects.hash(magic, formatName, formatVersion, Arrays.hashCode(dbId), fileId);
  }

  @Override
  public String toString() {
    return "FileHeader[magic=" + Integer.toHexString(magic) + ", format=" + formatName + " v"
        + formatVersion + ", db=" + HexFormat.of().formatHex(dbId) + ", file=" + fileId + "]";
  }
}
