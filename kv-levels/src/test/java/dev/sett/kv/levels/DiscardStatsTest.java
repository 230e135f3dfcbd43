package dev.sett.kv.levels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.UnsupportedFormatException;
import dev.sett.kv.io.FileHeader;
import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.Storage;
import dev.sett.kv.io.WritableFile;
import dev.sett.kv.levels.DiscardStats.FileGarbage;
import dev.sett.kv.testkit.FaultyStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * {@link DiscardStats}: counting, the sorted view for garbage collection, persistence across
 * reopen, crash safety of the rewrite (power loss at any step keeps the old or the new file), and
 * the rules for a damaged or foreign {@code DISCARD}.
 */
class DiscardStatsTest {
  private static final byte[] DB = id(1);
  private static final byte[] OTHER_DB = id(2);

  private static byte[] id(int seed) {
    byte[] b = new byte[FileHeader.DB_ID_LENGTH];
    Arrays.fill(b, (byte) seed);
    return b;
  }

  private static byte[] readAll(Storage s, String name) throws IOException {
    try (ReadableFile in = s.openRead(name)) {
      byte[] b = new byte[(int) in.size()];
      in.readFully(0, b, 0, b.length);
      return b;
    }
  }

  private static void writeAll(Storage s, String name, byte[] bytes) throws IOException {
    s.delete(name);
    try (WritableFile out = s.create(name)) {
      out.write(bytes, 0, bytes.length);
      out.sync();
    }
  }

  @Test
  void countsAddUpPerFile_andTheSortedViewPutsMostGarbageFirst() throws IOException {
    try (DiscardStats d = DiscardStats.open(new MemoryStorage(), DB)) {
      assertEquals(Optional.empty(), d.maxGarbageFile());
      assertFalse(d.dirty());
      d.add(Map.of(1L, 100L, 2L, 50L));
      d.add(Map.of(2L, 60L, 3L, 0L, 4L, 110L));
      assertEquals(100, d.get(1));
      assertEquals(110, d.get(2));
      assertEquals(0, d.get(3), "a zero count adds no entry");
      assertEquals(new TreeMap<>(Map.of(1L, 100L, 2L, 110L, 4L, 110L)), d.snapshot());
      assertEquals(Optional.of(new FileGarbage(2, 110)), d.maxGarbageFile(), "ties: older file");
      assertEquals(List.of(new FileGarbage(2, 110), new FileGarbage(4, 110),
          new FileGarbage(1, 100)), d.byMostGarbage());
      d.remove(2);
      assertEquals(Optional.of(new FileGarbage(4, 110)), d.maxGarbageFile());
      d.retainFiles(List.of(1L, 3L));
      assertEquals(Map.of(1L, 100L), d.snapshot());
      assertThrows(IllegalArgumentException.class, () -> d.add(Map.of(1L, 5L, 9L, -1L)));
      assertEquals(Map.of(1L, 100L), d.snapshot(), "a refused add adds nothing");
      assertTrue(d.dirty());
    }
  }

  @Test
  void concurrentAdds_loseNothing() throws Exception {
    try (DiscardStats d = DiscardStats.open(new MemoryStorage(), DB)) {
      int threads = 8;
      int rounds = 2000;
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long file = t % 3;
        Thread th = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < rounds; i++) {
            d.add(Map.of(file, 3L, 7L, 1L));
            if (i % 500 == 0) {
              d.persistQuietly();
            }
          }
        });
        ts.add(th);
        th.start();
      }
      start.countDown();
      for (Thread th : ts) {
        th.join();
      }
      assertEquals((long) threads * rounds, d.get(7));
      assertEquals(3L * rounds * 3, d.get(0)); // threads 0, 3, 6
      assertEquals(3L * rounds * 3, d.get(1)); // threads 1, 4, 7
      assertEquals(3L * rounds * 2, d.get(2)); // threads 2, 5
    }
  }

  @Test
  void persistedStatsSurviveReopen_andPendingOnesAreWrittenAtClose() throws IOException {
    MemoryStorage s = new MemoryStorage();
    try (DiscardStats d = DiscardStats.open(s, DB)) {
      d.add(Map.of(1L, 10L, 5L, 20L));
      d.persist();
      assertFalse(d.dirty());
      d.add(Map.of(5L, 1L, 6L, (long) Integer.MAX_VALUE * 4));
      d.remove(1);
    } // close writes the pending changes
    try (DiscardStats d = DiscardStats.open(s, DB)) {
      assertEquals(Map.of(5L, 21L, 6L, (long) Integer.MAX_VALUE * 4), d.snapshot());
      assertFalse(d.dirty());
    }
    assertFalse(s.exists(DiscardStats.TEMP_NAME));
  }

  @Test
  void noFile_startsEmpty_andWritesNothingUntilSomethingChanges() throws IOException {
    MemoryStorage s = new MemoryStorage();
    try (DiscardStats d = DiscardStats.open(s, DB)) {
      assertTrue(d.snapshot().isEmpty());
    }
    assertFalse(s.exists(DiscardStats.FILE_NAME));
  }

  @Test
  void persist_isTheDocumentedLayout() throws IOException {
    MemoryStorage s = new MemoryStorage();
    try (DiscardStats d = DiscardStats.open(s, DB)) {
      d.add(Map.of(3L, 0x0102L, 1L, 0x0AL));
      d.persist();
    }
    byte[] f = readAll(s, DiscardStats.FILE_NAME);
    FileHeader h = new FileHeader(DiscardStats.MAGIC, "discard-v1", 1, DB, 0);
    byte[] head = h.encode();
    assertEquals(Arrays.toString(head), Arrays.toString(Arrays.copyOf(f, head.length)));
    int p = head.length;
    assertEquals(head.length + 4 + 2 * 16 + 4, f.length);
    assertEquals(2, dev.sett.kv.internal.BigEndian.getInt(f, p));
    assertEquals(1, dev.sett.kv.internal.BigEndian.getLong(f, p + 4));
    assertEquals(0x0A, dev.sett.kv.internal.BigEndian.getLong(f, p + 12));
    assertEquals(3, dev.sett.kv.internal.BigEndian.getLong(f, p + 20));
    assertEquals(0x0102, dev.sett.kv.internal.BigEndian.getLong(f, p + 28));
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(f, p, f.length - 4 - p);
    assertEquals((int) crc.getValue(), dev.sett.kv.internal.BigEndian.getInt(f, f.length - 4));
    assertEquals(new String(f, 0, 4, java.nio.charset.StandardCharsets.US_ASCII), "SETD");
  }

  @Test
  void aFlippedBitAnywhere_orACutAtAnyLength_startsFromZero_andIsRewrittenAtTheNextPersist()
      throws IOException {
    MemoryStorage s = new MemoryStorage();
    try (DiscardStats d = DiscardStats.open(s, DB)) {
      d.add(Map.of(1L, 10L, 2L, 20L, 3L, 30L));
    }
    byte[] good = readAll(s, DiscardStats.FILE_NAME);
    for (int i = 0; i < good.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) (1 << bit);
        writeAll(s, DiscardStats.FILE_NAME, bad);
        try (DiscardStats d = DiscardStats.open(s, DB)) {
          assertTrue(d.snapshot().isEmpty(), "byte " + i + " bit " + bit + ": " + d);
          assertTrue(d.dirty(), "a damaged file is replaced at the next persist");
        }
        // close rewrote it: intact again, and empty
        try (DiscardStats d = DiscardStats.open(s, DB)) {
          assertTrue(d.snapshot().isEmpty());
          assertFalse(d.dirty(), "byte " + i + " bit " + bit);
        }
      }
    }
    for (int len = 0; len < good.length; len++) {
      writeAll(s, DiscardStats.FILE_NAME, Arrays.copyOf(good, len));
      try (DiscardStats d = DiscardStats.open(s, DB)) {
        assertTrue(d.snapshot().isEmpty(), "cut at " + len);
      }
    }
    byte[] longer = Arrays.copyOf(good, good.length + 16);
    writeAll(s, DiscardStats.FILE_NAME, longer);
    try (DiscardStats d = DiscardStats.open(s, DB)) {
      assertTrue(d.snapshot().isEmpty(), "trailing bytes");
    }
  }

  @Test
  void verify_countsEntries_andReportsDamageWithItsOffset_changingNothing() throws IOException {
    MemoryStorage s = new MemoryStorage();
    assertThrows(java.nio.file.NoSuchFileException.class, () -> DiscardStats.verify(s, DB));
    try (DiscardStats d = DiscardStats.open(s, DB)) {
      d.add(Map.of(1L, 10L, 2L, 20L, 3L, 30L));
    }
    assertEquals(3, DiscardStats.verify(s, DB));
    byte[] good = readAll(s, DiscardStats.FILE_NAME);
    int header = good.length - 4 - 3 * 16 - 4;
    // A damaged entry: the body checksum, stored in the last four bytes, fails.
    byte[] bad = good.clone();
    bad[header + 4 + 9] ^= 1;
    writeAll(s, DiscardStats.FILE_NAME, bad);
    CorruptionException e = assertThrows(CorruptionException.class,
        () -> DiscardStats.verify(s, DB));
    assertEquals(good.length - 4, e.offset(), e.getMessage());
    assertEquals(DiscardStats.FILE_NAME, e.file().orElseThrow());
    assertTrue(Arrays.equals(bad, readAll(s, DiscardStats.FILE_NAME)), "nothing rewritten");
    // A damaged header: offset 0.
    bad = good.clone();
    bad[2] ^= 1;
    writeAll(s, DiscardStats.FILE_NAME, bad);
    e = assertThrows(CorruptionException.class, () -> DiscardStats.verify(s, DB));
    assertEquals(0, e.offset());
    // Another database's file.
    writeAll(s, DiscardStats.FILE_NAME, good);
    e = assertThrows(CorruptionException.class, () -> DiscardStats.verify(s, OTHER_DB));
    assertEquals(0, e.offset());
  }

  @Test
  void entriesOutOfOrder_orNotPositive_areDamage() throws IOException {
    MemoryStorage s = new MemoryStorage();
    FileHeader h = new FileHeader(DiscardStats.MAGIC, DiscardStats.FORMAT, 1, DB, 0);
    SortedMap<Long, Long> ok = new TreeMap<>(Map.of(1L, 5L, 2L, 6L));
    byte[] f = DiscardStats.encode(h, ok);
    // swap the two entries and fix the checksum: a well-formed body that breaks the order rule
    int p = h.length() + 4;
    byte[] swapped = f.clone();
    System.arraycopy(f, p, swapped, p + 16, 16);
    System.arraycopy(f, p + 16, swapped, p, 16);
    fixCrc(swapped, h.length());
    writeAll(s, DiscardStats.FILE_NAME, swapped);
    try (DiscardStats d = DiscardStats.open(s, DB)) {
      assertTrue(d.snapshot().isEmpty());
    }
    byte[] zero = DiscardStats.encode(h, new TreeMap<>(Map.of(1L, 0L)));
    writeAll(s, DiscardStats.FILE_NAME, zero);
    try (DiscardStats d = DiscardStats.open(s, DB)) {
      assertTrue(d.snapshot().isEmpty());
    }
  }

  private static void fixCrc(byte[] f, int bodyStart) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(f, bodyStart, f.length - 4 - bodyStart);
    dev.sett.kv.internal.BigEndian.putInt(f, f.length - 4, (int) crc.getValue());
  }

  @Test
  void aFileOfAnotherDatabase_isCorruption_andANewerFormatIsUnsupported() throws IOException {
    MemoryStorage s = new MemoryStorage();
    try (DiscardStats d = DiscardStats.open(s, OTHER_DB)) {
      d.add(Map.of(1L, 10L));
    }
    byte[] foreign = readAll(s, DiscardStats.FILE_NAME);
    CorruptionException e = assertThrows(CorruptionException.class,
        () -> DiscardStats.open(s, DB));
    assertTrue(e.getMessage().contains(DiscardStats.FILE_NAME), e.getMessage());
    assertTrue(Arrays.equals(foreign, readAll(s, DiscardStats.FILE_NAME)), "left as it was");

    FileHeader newer = new FileHeader(DiscardStats.MAGIC, DiscardStats.FORMAT, 2, DB, 0);
    writeAll(s, DiscardStats.FILE_NAME, DiscardStats.encode(newer, new TreeMap<>()));
    assertThrows(UnsupportedFormatException.class, () -> DiscardStats.open(s, DB));
  }

  @Test
  void aLeftoverTempFile_isDeletedAtOpen() throws IOException {
    MemoryStorage s = new MemoryStorage();
    writeAll(s, DiscardStats.TEMP_NAME, new byte[] {1, 2, 3});
    try (DiscardStats d = DiscardStats.open(s, DB)) {
      assertTrue(d.snapshot().isEmpty());
    }
    assertFalse(s.exists(DiscardStats.TEMP_NAME));
  }

  /**
   * Power loss after every step of a rewrite (by failing the step and every one after it, then
   * crashing with every fate for the unsynced bytes): the file reopens intact, holding the old or
   * the new statistics; after a persist that returned, always the new ones.
   */
  @Test
  void powerLossAtAnyStepOfARewrite_keepsTheOldOrTheNewFile() throws IOException {
    Map<Long, Long> oldStats = Map.of(1L, 100L, 2L, 200L);
    Map<Long, Long> newStats = Map.of(1L, 100L, 2L, 250L, 3L, 7L);
    FaultyStorage.Op[] steps = {FaultyStorage.Op.DELETE, FaultyStorage.Op.CREATE,
        FaultyStorage.Op.WRITE, FaultyStorage.Op.SYNC, FaultyStorage.Op.RENAME,
        FaultyStorage.Op.SYNC_DIRECTORY};
    int sawOld = 0;
    for (int step = 0; step <= steps.length; step++) {
      for (long seed = 0; seed < 12; seed++) {
        FaultyStorage s = new FaultyStorage(new MemoryStorage(), seed);
        try (DiscardStats d = DiscardStats.open(s, DB)) {
          d.add(oldStats);
          d.persist();
          d.add(Map.of(2L, 50L, 3L, 7L));
          boolean persisted;
          if (step < steps.length) {
            s.failOn(steps[step], 1);
            persisted = d.persistQuietly();
            assertFalse(persisted, "step " + steps[step] + " failed");
          } else {
            persisted = d.persistQuietly();
            assertTrue(persisted);
          }
          s.crash(seed); // before close: the pending change never reaches the disk
          s.clearFaults();
          try (DiscardStats after = DiscardStats.open(s, DB)) {
            Map<Long, Long> got = after.snapshot();
            assertFalse(after.dirty(), "intact file after a crash at step " + step
                + ", seed " + seed);
            if (persisted) {
              assertEquals(newStats, got);
            } else if (got.equals(oldStats)) {
              sawOld++;
            } else {
              assertEquals(newStats, got, "step " + step + " seed " + seed);
            }
          }
        }
      }
    }
    assertTrue(sawOld > 0, "some crashes kept the old file");
  }

  @Test
  void aFailedPersist_keepsTheChangesPending_andTheNextOneWritesThem() throws IOException {
    FaultyStorage s = new FaultyStorage(new MemoryStorage(), 3);
    try (DiscardStats d = DiscardStats.open(s, DB)) {
      d.add(Map.of(4L, 40L));
      s.failOn(FaultyStorage.Op.SYNC, 1);
      assertThrows(IOException.class, d::persist);
      assertTrue(d.dirty());
      d.persist();
      assertFalse(d.dirty());
    }
    try (DiscardStats d = DiscardStats.open(s, DB)) {
      assertEquals(Map.of(4L, 40L), d.snapshot());
    }
    s.assertNoOpenHandles();
  }
}
