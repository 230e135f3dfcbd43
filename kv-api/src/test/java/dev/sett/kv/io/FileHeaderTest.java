package dev.sett.kv.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link FileHeader}, the header every Sett file starts with. Proves that any valid header
 * encodes to {@link FileHeader#length()} bytes and reads back equal through a {@link Storage}
 * file (with or without data after it); that every single-byte corruption of an encoded header
 * ends in {@link CorruptionException} or {@link UnsupportedFormatException} and never in a header;
 * that a file cut at any length inside its header is a {@link CorruptionException} at offset 0;
 * that the expected magic, format name and version range are enforced with messages that say
 * what was found; and that the record validates and defensively copies its components.
 */
class FileHeaderTest {

  private static final int MAGIC = 0x5345_5454; // "SETT"
  private static final byte[] DB_ID = {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) 0xFF};

  private static FileHeader sample() {
    return new FileHeader(MAGIC, "sst-v1", 3, DB_ID, 42);
  }

  /** Writes {@code bytes} as file {@code name} of a fresh memory storage and opens it. */
  private static ReadableFile file(String name, byte[] bytes) throws IOException {
    MemoryStorage storage = new MemoryStorage();
    try (WritableFile w = storage.create(name)) {
      w.write(bytes, 0, bytes.length);
      w.sync();
    }
    return storage.openRead(name);
  }

  private static FileHeader readBack(FileHeader h, byte[] bytes) throws IOException {
    try (ReadableFile f = file("000001.sst", bytes)) {
      return FileHeader.read(f, h.magic(), h.formatName(), h.formatVersion(), h.formatVersion());
    }
  }

  // ---- round trip ----------------------------------------------------------------------------

  @Provide
  Arbitrary<FileHeader> headers() {
    Arbitrary<String> names = Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(32);
    Arbitrary<byte[]> ids = Arbitraries.bytes().array(byte[].class).ofSize(16);
    return Combinators.combine(Arbitraries.integers(), names, Arbitraries.integers(), ids,
            Arbitraries.longs())
        .as(FileHeader::new);
  }

  @Property
  void encodeThenRead_givesAnEqualHeader(@ForAll("headers") FileHeader h) throws IOException {
    byte[] bytes = h.encode();
    assertEquals(h.length(), bytes.length);
    assertEquals(4 + 2 + 1 + h.formatName().length() + 4 + 16 + 8 + 4, bytes.length);
    FileHeader back = readBack(h, bytes);
    assertEquals(h, back);
    assertEquals(h.hashCode(), back.hashCode());
    assertArrayEquals(h.dbId(), back.dbId());
    assertEquals(h.fileId(), back.fileId());
  }

  @Property
  void read_ignoresTheDataAfterTheHeader(@ForAll("headers") FileHeader h,
      @ForAll byte[] payload) throws IOException {
    byte[] header = h.encode();
    byte[] bytes = Arrays.copyOf(header, header.length + payload.length);
    System.arraycopy(payload, 0, bytes, header.length, payload.length);
    try (ReadableFile f = file("000007.vlog", bytes)) {
      assertEquals(h, FileHeader.read(f, h.magic(), null, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }
  }

  @Example
  void encoding_isBigEndian_withTheDocumentedLayout() {
    byte[] b = sample().encode();
    ByteBuffer buf = ByteBuffer.wrap(b);
    assertEquals(MAGIC, buf.getInt());
    assertEquals(FileHeader.HEADER_VERSION, buf.getShort());
    assertEquals(6, buf.get());
    byte[] name = new byte[6];
    buf.get(name);
    assertEquals("sst-v1", new String(name, java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(3, buf.getInt());
    byte[] id = new byte[16];
    buf.get(id);
    assertArrayEquals(DB_ID, id);
    assertEquals(42L, buf.getLong());
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(b, 0, b.length - 4);
    assertEquals((int) crc.getValue(), buf.getInt());
    assertFalse(buf.hasRemaining());
  }

  // ---- corruption and truncation -------------------------------------------------------------

  /** Reads a corrupted copy and fails the test if a header comes back. */
  private static void assertRejectedAfterCorruption(FileHeader h, byte[] corrupted, String what)
      throws IOException {
    try (ReadableFile f = file("000009.sst", corrupted)) {
      FileHeader wrong =
          FileHeader.read(f, h.magic(), h.formatName(), h.formatVersion(), h.formatVersion());
      fail(what + " was accepted and read as " + wrong);
    } catch (CorruptionException | UnsupportedFormatException e) {
      assertEquals("000009.sst", e.file().orElse(null), "the exception names the file");
    }
  }

  @Example
  void everySingleByteCorruption_ofAnEncodedHeader_isDetected() throws IOException {
    // Exhaustive over positions and replacement values, for headers with a short and a maximal
    // format name, alone in the file and followed by data (so a corrupted name length reads
    // into real bytes rather than hitting the end of the file).
    List<FileHeader> samples = List.of(sample(),
        new FileHeader(0xCAFE_BABE, "abcdefghijabcdefghijabcdefghijab", -7, new byte[16], -1L));
    for (FileHeader h : samples) {
      byte[] header = h.encode();
      for (int trailing : new int[] {0, 64}) {
        byte[] clean = Arrays.copyOf(header, header.length + trailing);
        Arrays.fill(clean, header.length, clean.length, (byte) 0x5A);
        for (int pos = 0; pos < header.length; pos++) {
          for (int v = 0; v < 256; v++) {
            if ((byte) v == clean[pos]) {
              continue;
            }
            byte[] corrupted = clean.clone();
            corrupted[pos] = (byte) v;
            assertRejectedAfterCorruption(h, corrupted,
                "byte " + pos + " set to " + v + " (trailing " + trailing + ")");
          }
        }
      }
    }
  }

  @Property
  void aRandomSingleByteCorruption_isDetected(@ForAll("headers") FileHeader h,
      @ForAll @IntRange(min = 0, max = 1023) int where, @ForAll @IntRange(min = 1, max = 255)
      int xor) throws IOException {
    byte[] bytes = h.encode();
    int pos = where % bytes.length;
    bytes[pos] ^= (byte) xor;
    assertRejectedAfterCorruption(h, bytes, "byte " + pos + " xor " + xor);
  }

  @Property
  void truncationAtEveryLength_isACorruptionAtOffsetZero(@ForAll("headers") FileHeader h)
      throws IOException {
    byte[] bytes = h.encode();
    for (int len = 0; len < bytes.length; len++) {
      try (ReadableFile f = file("000003.mem", Arrays.copyOf(bytes, len))) {
        CorruptionException e = assertThrows(CorruptionException.class,
            () -> FileHeader.read(f, h.magic(), null, Integer.MIN_VALUE, Integer.MAX_VALUE),
            "a file of " + len + " bytes");
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
      }
    }
  }

  // ---- what the reader expects ---------------------------------------------------------------

  @Example
  void wrongMagic_isACorruptionNamingBothMagics() throws IOException {
    try (ReadableFile f = file("MANIFEST", sample().encode())) {
      CorruptionException e = assertThrows(CorruptionException.class,
          () -> FileHeader.read(f, 0x0BAD_F00D, "sst-v1", 3, 3));
      assertTrue(e.getMessage().contains("0badf00d"), e.getMessage());
      assertTrue(e.getMessage().contains("53455454"), e.getMessage());
    }
  }

  @Example
  void wrongFormatName_isUnsupported_namingBothFormats() throws IOException {
    try (ReadableFile f = file("000001.sst", sample().encode())) {
      UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
          () -> FileHeader.read(f, MAGIC, "sst-v2", 3, 3));
      assertTrue(e.getMessage().contains("'sst-v1'"), e.getMessage());
      assertTrue(e.getMessage().contains("'sst-v2'"), e.getMessage());
    }
  }

  @Example
  void nullExpectedFormat_acceptsAnyFormatName() throws IOException {
    try (ReadableFile f = file("000001.sst", sample().encode())) {
      assertEquals(sample(), FileHeader.read(f, MAGIC, null, 3, 3));
    }
  }

  @Property
  void version_isAcceptedExactlyInsideTheReadableRange(
      @ForAll @IntRange(min = -5, max = 5) int version,
      @ForAll @IntRange(min = -3, max = 3) int min, @ForAll @IntRange(min = 0, max = 4) int span)
      throws IOException {
    int max = min + span;
    FileHeader h = new FileHeader(MAGIC, "vlog-v1", version, DB_ID, 7);
    try (ReadableFile f = file("000007.vlog", h.encode())) {
      if (version >= min && version <= max) {
        assertEquals(h, FileHeader.read(f, MAGIC, "vlog-v1", min, max));
      } else {
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
            () -> FileHeader.read(f, MAGIC, "vlog-v1", min, max));
        String m = e.getMessage();
        assertTrue(m.contains("version " + version), m);
        assertTrue(m.contains(version > max ? "newer" : "older"), m);
        assertTrue(m.contains("[" + min + ", " + max + "]"), m);
      }
    }
  }

  @Example
  void damagedHeaderVersionField_isCorruption_notANewerFormat() throws IOException {
    for (int bit = 0; bit < 16; bit++) {
      byte[] b = sample().encode();
      b[4 + bit / 8] ^= (byte) (1 << (bit % 8)); // the v1 checksum now fails only because of it
      try (ReadableFile f = file("000001.sst", b)) {
        CorruptionException e = assertThrows(CorruptionException.class,
            () -> FileHeader.read(f, MAGIC, "sst-v1", 3, 3), "bit " + bit);
        assertEquals(4, e.offset());
      }
    }
  }

  @Example
  void unknownHeaderVersion_isUnsupported() throws IOException {
    byte[] b = sample().encode();
    b[5] = 2; // header version 2, with a checksum that would match it
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(b, 0, b.length - 4);
    ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
    try (ReadableFile f = file("000001.sst", b)) {
      UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
          () -> FileHeader.read(f, MAGIC, "sst-v1", 3, 3));
      assertTrue(e.getMessage().contains("header version 2"), e.getMessage());
    }
  }

  // ---- identity and validation ---------------------------------------------------------------

  @Example
  void checkIdentity_catchesAForeignDatabaseAndARenamedFile() {
    FileHeader h = sample();
    assertDoesNotThrow(() -> h.checkIdentity("000042.sst", DB_ID.clone(), 42));
    byte[] otherDb = DB_ID.clone();
    otherDb[0] ^= 1;
    CorruptionException foreign = assertThrows(CorruptionException.class,
        () -> h.checkIdentity("000042.sst", otherDb, 42));
    assertTrue(foreign.getMessage().contains("database"), foreign.getMessage());
    CorruptionException renamed = assertThrows(CorruptionException.class,
        () -> h.checkIdentity("000043.sst", DB_ID, 43));
    assertTrue(renamed.getMessage().contains("42"), renamed.getMessage());
    assertTrue(renamed.getMessage().contains("43"), renamed.getMessage());
    assertEquals("000043.sst", renamed.file().orElse(null));
  }

  @Example
  void constructor_rejectsBadComponents() {
    assertThrows(IllegalArgumentException.class, () -> new FileHeader(MAGIC, "", 1, DB_ID, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new FileHeader(MAGIC, "abcdefghijabcdefghijabcdefghijabc", 1, DB_ID, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new FileHeader(MAGIC, "sst-vé", 1, DB_ID, 1));
    assertThrows(NullPointerException.class, () -> new FileHeader(MAGIC, null, 1, DB_ID, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new FileHeader(MAGIC, "sst-v1", 1, new byte[15], 1));
    assertThrows(IllegalArgumentException.class,
        () -> new FileHeader(MAGIC, "sst-v1", 1, new byte[17], 1));
  }

  @Example
  void dbId_isCopiedInAndOut() {
    byte[] id = DB_ID.clone();
    FileHeader h = new FileHeader(MAGIC, "sst-v1", 1, id, 1);
    id[0] = 99;
    assertArrayEquals(DB_ID, h.dbId());
    h.dbId()[1] = 99;
    assertArrayEquals(DB_ID, h.dbId());
  }

  @Example
  void equality_comparesDbIdByContent() {
    assertEquals(sample(), new FileHeader(MAGIC, "sst-v1", 3, DB_ID.clone(), 42));
    assertNotEquals(sample(), new FileHeader(MAGIC, "sst-v1", 3, DB_ID, 43));
    assertNotEquals(sample(), new FileHeader(MAGIC, "sst-v1", 4, DB_ID, 42));
    assertNotEquals(sample(), new FileHeader(MAGIC, "sst-v2", 3, DB_ID, 42));
    assertNotEquals(sample(), new FileHeader(MAGIC + 1, "sst-v1", 3, DB_ID, 42));
    assertNotEquals(sample(), new FileHeader(MAGIC, "sst-v1", 3, new byte[16], 42));
  }
}
