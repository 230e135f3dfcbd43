package dev.sett.kv.levels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.UnsupportedFormatException;
import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.Storage;
import dev.sett.kv.io.WritableFile;
import dev.sett.kv.levels.Manifest.Change;
import dev.sett.kv.testkit.FaultyStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ManifestTest {

  private static byte[] readAll(Storage s) throws IOException {
    try (ReadableFile in = s.openRead(Manifest.FILE_NAME)) {
      byte[] b = new byte[(int) in.size()];
      in.readFully(0, b, 0, b.length);
      return b;
    }
  }

  private static void writeAll(Storage s, byte[] bytes) throws IOException {
    s.delete(Manifest.FILE_NAME);
    try (WritableFile out = s.create(Manifest.FILE_NAME)) {
      out.write(bytes, 0, bytes.length);
      out.sync();
    }
  }

  @Test
  void changesSurviveReopen() throws IOException {
    MemoryStorage s = new MemoryStorage();
    byte[] dbId;
    try (Manifest m = Manifest.create(s)) {
      dbId = m.dbId();
      m.apply(List.of(Change.create(1, 0, "sst-v1"), Change.create(2, 0, "sst-v1")), 3);
      m.apply(List.of(Change.create(5, 4, "sst-v1"), Change.delete(1), Change.delete(2)), 0);
    }
    try (Manifest m = Manifest.open(s)) {
      assertArrayEquals(dbId, m.dbId());
      assertEquals(Map.of(5L, new Manifest.TableEntry(4, "sst-v1")), m.state().tables());
      assertEquals(3, m.state().walFlushedThrough());
    }
  }

  @Test
  void contradictoryChangesAreRefusedAndChangeNothing() throws IOException {
    MemoryStorage s = new MemoryStorage();
    try (Manifest m = Manifest.create(s)) {
      m.apply(List.of(Change.create(1, 0, "sst-v1")), 0);
      long size = readAll(s).length;
      assertThrows(IllegalArgumentException.class,
          () -> m.apply(List.of(Change.create(2, 1, "sst-v1"), Change.create(1, 1, "x")), 0));
      assertThrows(IllegalArgumentException.class, () -> m.apply(List.of(Change.delete(9)), 0));
      assertEquals(size, readAll(s).length);
      assertEquals(1, m.state().tables().size());
    }
  }

  @Test
  void tornLastRecordIsTruncatedAtEveryLength() throws IOException {
    MemoryStorage s = new MemoryStorage();
    try (Manifest m = Manifest.create(s)) {
      m.apply(List.of(Change.create(1, 0, "sst-v1")), 1);
    }
    int before = readAll(s).length;
    try (Manifest m = Manifest.open(s)) {
      m.apply(List.of(Change.create(2, 1, "sst-v1"), Change.delete(1)), 2);
    }
    byte[] full = readAll(s);
    for (int cut = before; cut < full.length; cut++) {
      byte[] torn = java.util.Arrays.copyOf(full, cut);
      writeAll(s, torn);
      try (Manifest m = Manifest.open(s)) {
        assertEquals(Map.of(1L, new Manifest.TableEntry(0, "sst-v1")), m.state().tables(),
            "cut at " + cut);
        assertEquals(1, m.state().walFlushedThrough());
        assertEquals(before, readAll(s).length, "torn tail truncated, cut at " + cut);
        m.apply(List.of(Change.create(3, 0, "sst-v1")), 0); // appends cleanly after the cut
      }
      try (Manifest m = Manifest.open(s)) {
        assertEquals(2, m.state().tables().size());
      }
    }
  }

  @Test
  void read_reportsATornTail_butCutsNothing_andRereadSeesTheOpenFile() throws IOException {
    MemoryStorage s = new MemoryStorage();
    try (Manifest m = Manifest.create(s)) {
      m.apply(List.of(Change.create(1, 0, "sst-v1")), 1);
      m.apply(List.of(Change.create(2, 1, "sst-v1")), 2);
      Manifest.Contents c = m.reread();
      assertEquals(2, c.records());
      assertEquals(m.state(), c.state());
      assertEquals(c.size(), c.validEnd());
    }
    byte[] full = readAll(s);
    writeAll(s, java.util.Arrays.copyOf(full, full.length - 3));
    Manifest.Contents c = Manifest.read(s);
    assertTrue(c.tornTail());
    assertEquals(1, c.records());
    assertEquals(full.length - 3, c.size());
    assertEquals(full.length - 3, readAll(s).length, "read cuts nothing");
    assertArrayEquals(c.header().dbId(), Manifest.readHeader(s).dbId());
  }

  @Test
  void damageBeforeTheLastRecordIsCorruption() throws IOException {
    MemoryStorage s = new MemoryStorage();
    try (Manifest m = Manifest.create(s)) {
      m.apply(List.of(Change.create(1, 0, "sst-v1")), 0);
      m.apply(List.of(Change.create(2, 0, "sst-v1")), 0);
    }
    byte[] good = readAll(s);
    int headerLength = good.length - 2 * (8 + Manifest.encode(
        List.of(Change.create(1, 0, "sst-v1")), 0).length);
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x10;
      writeAll(s, bad);
      boolean inLastRecord = i >= good.length - (good.length - headerLength) / 2;
      if (inLastRecord) {
        // The last record may be a torn write: dropped, the first one kept.
        try (Manifest m = Manifest.open(s)) {
          assertEquals(Map.of(1L, new Manifest.TableEntry(0, "sst-v1")), m.state().tables());
        }
      } else {
        CorruptionException e = assertThrows(CorruptionException.class, () -> Manifest.open(s),
            "flipped byte " + i);
        assertTrue(e.getMessage().contains(Manifest.FILE_NAME), e.getMessage());
      }
    }
  }

  @Test
  void unknownChangeTagIsUnsupportedFormat() throws IOException {
    MemoryStorage s = new MemoryStorage();
    Manifest.create(s).close();
    byte[] header = readAll(s);
    byte[] payload = {(byte) 99, 1};
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(new byte[] {0, 0, 0, (byte) payload.length});
    crc.update(payload);
    byte[] record = java.nio.ByteBuffer.allocate(8 + payload.length).putInt(payload.length)
        .putInt((int) crc.getValue()).put(payload).array();
    byte[] all = java.util.Arrays.copyOf(header, header.length + record.length);
    System.arraycopy(record, 0, all, header.length, record.length);
    writeAll(s, all);
    assertThrows(UnsupportedFormatException.class, () -> Manifest.open(s));
  }

  @Test
  void rewriteWhenDeletionsDominateKeepsTheState() throws IOException {
    MemoryStorage s = new MemoryStorage();
    Manifest.create(s).close();
    Map<Long, Manifest.TableEntry> model = new HashMap<>();
    Random r = new Random(42);
    long next = 1;
    int maxSize = 0;
    try (Manifest m = Manifest.open(s, 50)) {
      for (int step = 0; step < 2000; step++) {
        List<Change> changes = new ArrayList<>();
        long id = next++;
        int level = r.nextInt(7);
        changes.add(Change.create(id, level, "sst-v1"));
        model.put(id, new Manifest.TableEntry(level, "sst-v1"));
        if (model.size() > 5) {
          long victim = model.keySet().iterator().next();
          changes.add(Change.delete(victim));
          model.remove(victim);
        }
        m.apply(changes, step);
        maxSize = Math.max(maxSize, readAll(s).length);
        assertEquals(model, m.state().tables());
      }
    }
    assertTrue(maxSize < 8_000, "the MANIFEST was rewritten and stayed small: " + maxSize);
    assertTrue(!s.exists(Manifest.TEMP_NAME));
    try (Manifest m = Manifest.open(s)) {
      assertEquals(model, m.state().tables());
      assertEquals(1999, m.state().walFlushedThrough());
    }
  }

  @Test
  void failedAppendRefusesFurtherChangesAndReopenIsConsistent() throws IOException {
    MemoryStorage mem = new MemoryStorage();
    FaultyStorage s = new FaultyStorage(mem, 7);
    try (Manifest m = Manifest.create(s)) {
      m.apply(List.of(Change.create(1, 0, "sst-v1")), 0);
      s.failOn(FaultyStorage.Op.SYNC, 1);
      assertThrows(IOException.class, () -> m.apply(List.of(Change.create(2, 0, "sst-v1")), 0));
      assertEquals(1, m.state().tables().size());
      assertThrows(IllegalStateException.class,
          () -> m.apply(List.of(Change.create(3, 0, "sst-v1")), 0));
    }
    try (Manifest m = Manifest.open(s)) {
      // The record reached the file but was not synced: it may be there or not, never half.
      assertTrue(m.state().tables().keySet().containsAll(List.of(1L)));
      assertTrue(m.state().tables().size() <= 2);
    }
    s.assertNoOpenHandles();
  }
}
