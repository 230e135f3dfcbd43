package dev.sett.kv.vlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.UnsupportedFormatException;
import dev.sett.kv.internal.Registries;
import dev.sett.kv.io.FileHeader;
import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.spi.ValueLog;
import dev.sett.kv.spi.ValueLogFormat;
import dev.sett.kv.spi.ValuePointer;
import dev.sett.kv.testkit.ValueLogContract;
import java.io.IOException;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code vlog-v1} against the value log contract, plus what is particular to its layout. */
class VlogV1FormatTest extends ValueLogContract {

  @Override
  protected ValueLogFormat format() {
    return new VlogV1Format();
  }

  @Test
  void name_isVlogV1_andTheRegistryFindsIt() {
    assertEquals("vlog-v1", format().name());
    Set<String> names = new TreeSet<>();
    ServiceLoader.load(ValueLogFormat.class).forEach(f -> names.add(f.name()));
    assertEquals(Set.of("vlog-v1"), names);
    assertEquals(VlogV1Format.class, Registries.valueLogFormats().select(null).getClass());
  }

  @Test
  void fileNames_andHeaderLength() {
    assertEquals("000001.vlog", FileValueLog.name(1));
    assertEquals(1, FileValueLog.idOf("000001.vlog"));
    assertEquals(1234567, FileValueLog.idOf("1234567.vlog"));
    assertEquals(-1, FileValueLog.idOf("0001.vlog"));
    assertEquals(-1, FileValueLog.idOf("000001.mem"));
    assertEquals(-1, FileValueLog.idOf("00000x.vlog"));
    assertEquals(46, FileValueLog.HEADER_LENGTH);
  }

  private static final byte[] K = {'k'};

  @Test
  void unsyncedDamageAtTheEndOfTheNewestFile_isCutAsATornTail() throws IOException {
    MemoryStorage s = new MemoryStorage();
    ValuePointer a;
    ValuePointer b;
    ValuePointer c;
    try (ValueLog log = new VlogV1Format().open(s, DB_ID, LARGE, 100)) {
      a = log.add(K, 1, (byte) 0, (byte) 0, 0, new byte[] {1});
      log.flush(true);
      b = log.add(K, 2, (byte) 0, (byte) 0, 0, new byte[] {2});
      log.flush(false);
      c = log.add(K, 3, (byte) 0, (byte) 0, 0, new byte[] {3});
      log.flush(false);
    }
    // close() synced, but no group followed, so no sync mark proves it: b is damaged "unsynced"
    String name = FileValueLog.name(1);
    byte[] bytes = bytesOf(s, name);
    bytes[(int) b.end() - 1] ^= 1;
    replace(s, name, bytes);
    try (ValueLog log = new VlogV1Format().open(s, DB_ID, LARGE, 100)) {
      assertArrayEquals(new byte[] {1}, log.read(a));
      // b's group started with a sync mark recording a's end, which does not cover b
      assertEquals(b.offset(), log.fileSize(1));
      assertThrows(CorruptionException.class, () -> log.read(c));
    }
  }

  @Test
  void damageBeforeASyncMarkThatCoversIt_isCorruptionAtOpen() throws IOException {
    MemoryStorage s = new MemoryStorage();
    ValuePointer b;
    try (ValueLog log = new VlogV1Format().open(s, DB_ID, LARGE, 100)) {
      log.add(K, 1, (byte) 0, (byte) 0, 0, new byte[] {1});
      log.flush(true);
      b = log.add(K, 2, (byte) 0, (byte) 0, 0, new byte[] {2});
      log.flush(true);
      log.add(K, 3, (byte) 0, (byte) 0, 0, new byte[] {3}); // its group's mark covers b
      log.flush(false);
    }
    String name = FileValueLog.name(1);
    byte[] bytes = bytesOf(s, name);
    bytes[(int) b.end() - 1] ^= 1;
    replace(s, name, bytes);
    CorruptionException e = assertThrows(CorruptionException.class,
        () -> new VlogV1Format().open(s, DB_ID, LARGE, 100));
    assertEquals(name, e.file().orElseThrow());
    assertEquals(b.offset(), e.offset());
  }

  @Test
  void fileOfANewerVersion_isUnsupported() throws IOException {
    MemoryStorage s = new MemoryStorage();
    new VlogV1Format().open(s, DB_ID, LARGE, 100).close();
    byte[] bytes = bytesOf(s, "000001.vlog");
    byte[] newer = new FileHeader(VlogV1Format.MAGIC, VlogV1Format.NAME,
        VlogV1Format.VERSION + 1, DB_ID, 1).encode();
    System.arraycopy(newer, 0, bytes, 0, newer.length);
    replace(s, "000001.vlog", bytes);
    assertThrows(UnsupportedFormatException.class,
        () -> new VlogV1Format().open(s, DB_ID, LARGE, 100));
  }

  @Test
  void recordLayout_isAsDocumented() throws IOException {
    MemoryStorage s = new MemoryStorage();
    ValuePointer p;
    try (ValueLog log = new VlogV1Format().open(s, DB_ID, LARGE, 100)) {
      p = log.add(new byte[] {'a', 'b'}, 0x0102030405060708L, (byte) 0x02, (byte) 0x7f, 300,
          new byte[] {9, 8, 7});
      log.flush(false);
    }
    assertEquals(46, p.offset());
    byte[] f = bytesOf(s, "000001.vlog");
    byte[] rec = java.util.Arrays.copyOfRange(f, 46, 46 + p.recordLength());
    // crc(4) kind meta userMeta klen=2 vlen=3 expires=300 (0xac 0x02) version(8) key value
    assertArrayEquals(new byte[] {1, 2, 0x7f, 2, 3, (byte) 0xac, 2, 1, 2, 3, 4, 5, 6, 7, 8, 'a',
        'b', 9, 8, 7}, java.util.Arrays.copyOfRange(rec, 4, rec.length));
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(rec, 4, rec.length - 4);
    assertEquals((int) crc.getValue(), java.nio.ByteBuffer.wrap(rec).getInt(0));
    assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0, 0, 46, 0, 0, 0, 24, 0, 0, 0, 3}, p.encode());
  }
}
