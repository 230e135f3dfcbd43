package dev.sett.kv.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.internal.ProviderRegistry;
import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.Storage;
import dev.sett.kv.io.WritableFile;
import dev.sett.kv.spi.ValueLog;
import dev.sett.kv.spi.ValueLogFormat;
import dev.sett.kv.spi.ValuePointer;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The contract every {@link ValueLogFormat} must meet, independent of its byte layout. A
 * provider's test class extends this and implements {@link #format()}; every test here then runs
 * against it, on {@link MemoryStorage} (and {@link FaultyStorage} for power loss).
 *
 * <p>Covered: round trips of random records in groups of random sizes, with rotation by size and
 * by entries (a group never spans files; a file passes a limit only with the group whose first
 * record passed it), through {@code read}, {@code scan} and a reopen; a torn tail cut at every
 * length of the last record (earlier records still read, the lost one is a {@link
 * CorruptionException}, later appends work); a flipped bit in every byte of a record, reported as
 * a {@link CorruptionException} naming the file and the record's offset, and never as other data;
 * pointers past the end, before the first record, into a missing or deleted file; identity checks
 * at open; {@code deleteFile}; readers running while the writer appends and rotates; power loss
 * after {@code flush(true)} keeping every synced record. Randomised tests print their seed ({@link
 * TestSeeds}).
 */
public abstract class ValueLogContract {

  /** The database id logs are written with. */
  protected static final byte[] DB_ID = HexFormat.of().parseHex("5e77000102030405060708090a0b0c0d");
  /** A file size limit large enough never to rotate in small tests. */
  protected static final long LARGE = 1L << 30;

  /** For subclasses: one per provider. */
  protected ValueLogContract() {}

  /**
   * The provider under test.
   *
   * @return the format
   */
  protected abstract ValueLogFormat format();

  /** One record as written, and where it went. */
  private record Written(byte[] key, long version, byte meta, byte userMeta, long expiresAt,
      byte[] value, ValuePointer pointer, int group) {}

  private static byte[] b(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(Random r, int max) {
    int n = r.nextInt(10) == 0 ? 0 : r.nextInt(max + 1);
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  private static Written add(ValueLog log, Random r, int group, int maxValue) {
    byte[] key = randomBytes(r, 40);
    byte[] value = randomBytes(r, maxValue);
    long version = r.nextInt(4) == 0 ? Long.MAX_VALUE - r.nextInt(3) : r.nextLong() & Long.MAX_VALUE;
    byte meta = (byte) r.nextInt(256);
    byte userMeta = (byte) r.nextInt(256);
    long expiresAt = r.nextBoolean() ? 0 : r.nextLong() & Long.MAX_VALUE;
    ValuePointer p = log.add(key, version, meta, userMeta, expiresAt, value);
    assertEquals(value.length, p.valueSize());
    return new Written(key, version, meta, userMeta, expiresAt, value, p, group);
  }

  /** Appends {@code groups} random groups, each flushed (synced when {@code sync}). */
  private static List<Written> appendGroups(ValueLog log, Random r, int groups, int maxGroup,
      int maxValue, boolean sync, int firstGroup) throws IOException {
    List<Written> out = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      int n = 1 + r.nextInt(maxGroup);
      for (int i = 0; i < n; i++) {
        out.add(add(log, r, firstGroup + g, maxValue));
      }
      assertEquals(n, log.pendingEntries());
      log.flush(sync);
      assertEquals(0, log.pendingEntries());
    }
    return out;
  }

  private static void checkReads(ValueLog log, List<Written> written, String why)
      throws IOException {
    for (Written w : written) {
      assertArrayEquals(w.value(), log.read(w.pointer()), why + ": " + w.pointer());
    }
  }

  /** Scans every file and compares with what was written, in order. */
  private static void checkScans(ValueLog log, List<Written> written, String why)
      throws IOException {
    List<ValueLog.LogRecord> scanned = new ArrayList<>();
    for (long id : log.fileIds()) {
      log.scan(id, rec -> scanned.add(rec));
    }
    assertEquals(written.size(), scanned.size(), why);
    for (int i = 0; i < written.size(); i++) {
      Written w = written.get(i);
      ValueLog.LogRecord s = scanned.get(i);
      String at = why + ", record " + i;
      assertArrayEquals(w.key(), s.key(), at);
      assertEquals(w.version(), s.version(), at);
      assertEquals(w.meta(), s.meta(), at);
      assertEquals(w.userMeta(), s.userMeta(), at);
      assertEquals(w.expiresAt(), s.expiresAt(), at);
      assertEquals(w.pointer(), s.pointer(), at);
    }
  }

  /** Checks the rotation rules over what was written. */
  private static void checkRotation(List<Written> written, long maxFileSize, int maxEntries,
      String why) {
    Map<Integer, Long> groupFile = new TreeMap<>();
    Map<Long, Integer> entriesInFile = new TreeMap<>();
    int lastGroup = -1;
    long lastFile = -1;
    for (Written w : written) {
      long file = w.pointer().fileId();
      Long prev = groupFile.putIfAbsent(w.group(), file);
      assertEquals(prev == null ? file : prev, file, why + ": group " + w.group()
          + " spans files");
      assertTrue(file >= lastFile, why + ": file ids go down");
      if (w.group() != lastGroup) {
        int before = entriesInFile.getOrDefault(file, 0);
        if (before > 0) { // not the first group of its file: its first record did not pass
          assertTrue(before < maxEntries, why + ": group " + w.group() + " joined file " + file
              + " that already held " + before + " entries");
          assertTrue(w.pointer().end() <= maxFileSize, why + ": group " + w.group()
              + " joined file " + file + " although its first record ends at "
              + w.pointer().end());
        }
        lastGroup = w.group();
      }
      entriesInFile.merge(file, 1, Integer::sum);
      lastFile = file;
    }
  }

  private ValueLog open(Storage s, long maxFileSize, int maxEntries) throws IOException {
    return format().open(s, DB_ID, maxFileSize, maxEntries);
  }

  // ---- storage surgery --------------------------------------------------------------------------

  /** Reads a whole file. */
  protected static byte[] bytesOf(Storage s, String name) throws IOException {
    try (ReadableFile f = s.openRead(name)) {
      byte[] b = new byte[(int) f.size()];
      f.readFully(0, b, 0, b.length);
      return b;
    }
  }

  /** Replaces a file's bytes. */
  protected static void replace(Storage s, String name, byte[] bytes) throws IOException {
    s.delete(name);
    try (WritableFile f = s.create(name)) {
      f.write(bytes, 0, bytes.length);
    }
  }

  /** A copy of {@code s} with one file transformed. */
  protected static MemoryStorage copyOf(Storage s, String name, UnaryOperator<byte[]> change)
      throws IOException {
    MemoryStorage copy = new MemoryStorage();
    for (String n : s.list()) {
      byte[] b = bytesOf(s, n);
      if (n.equals(name)) {
        b = change.apply(b);
      }
      try (WritableFile f = copy.create(n)) {
        f.write(b, 0, b.length);
      }
    }
    return copy;
  }

  private static void assertCorruption(CorruptionException e, String file, long offset,
      String why) {
    assertEquals(file, e.file().orElse(null), why + ": " + e.getMessage());
    assertEquals(offset, e.offset(), why + ": " + e.getMessage());
  }

  // ---- tests ------------------------------------------------------------------------------------

  @Test
  void name_isAValidProviderName() {
    assertTrue(ProviderRegistry.isValidName(format().name()), format().name());
  }

  @Test
  void roundTrip_randomGroups_rotatingBySize(TestInfo info) throws IOException {
    roundTrip(info, 4096, 1_000_000, 300);
  }

  @Test
  void roundTrip_randomGroups_rotatingByEntries(TestInfo info) throws IOException {
    roundTrip(info, LARGE, 7, 50);
  }

  @Test
  void roundTrip_largeValues_oneGroupLargerThanTheFileLimit(TestInfo info) throws IOException {
    roundTrip(info, 1024, 1_000_000, 5000);
  }

  private void roundTrip(TestInfo info, long maxFileSize, int maxEntries, int maxValue)
      throws IOException {
    long seed = TestSeeds.seed(info);
    Random r = new Random(seed);
    String why = "seed " + TestSeeds.format(seed);
    MemoryStorage s = new MemoryStorage();
    List<Written> written;
    try (ValueLog log = open(s, maxFileSize, maxEntries)) {
      written = new ArrayList<>(appendGroups(log, r, 40, 12, maxValue, r.nextBoolean(), 0));
      checkReads(log, written, why);
      checkScans(log, written, why);
      assertTrue(log.fileIds().size() > 2, why + ": expected rotation, files " + log.fileIds());
      assertEquals(log.fileIds().get(log.fileIds().size() - 1), log.activeFileId());
      for (long id : log.fileIds()) {
        assertEquals(bytesOf(s, log.fileName(id)).length, log.fileSize(id), why);
      }
    }
    try (ValueLog log = open(s, maxFileSize, maxEntries)) {
      checkReads(log, written, why + ", reopened");
      written.addAll(appendGroups(log, r, 20, 12, maxValue, true, 40));
      checkReads(log, written, why + ", reopened and appended");
      checkScans(log, written, why + ", reopened and appended");
    }
    checkRotation(written, maxFileSize, maxEntries, why);
  }

  /**
   * {@code sealActiveFile} seals the file being written at once (then it can be deleted) and
   * the next group goes to a new file; with nothing written in the file, it does nothing.
   */
  @Test
  void sealActiveFile_sealsNow_andTheNextGroupGoesToANewFile() throws IOException {
    MemoryStorage s = new MemoryStorage();
    try (ValueLog log = open(s, LARGE, 1_000_000)) {
      ValuePointer a = log.add(b("a"), 1, (byte) 0, (byte) 0, 0, b("first"));
      log.flush(false);
      long first = log.activeFileId();
      log.sealActiveFile();
      assertEquals(first + 1, log.activeFileId(), "sealed now");
      log.sealActiveFile(); // the new file is empty: nothing to seal
      assertEquals(first + 1, log.activeFileId());
      ValuePointer c = log.add(b("c"), 2, (byte) 0, (byte) 0, 0, b("second"));
      log.flush(false);
      assertEquals(first + 1, c.fileId());
      assertArrayEquals(b("first"), log.read(a));
      log.deleteFile(first); // sealed, so it may go
      assertEquals(List.of(first + 1), log.fileIds());
      assertArrayEquals(b("second"), log.read(c));
    }
    try (ValueLog log = open(s, LARGE, 1_000_000)) { // the sealed file's records survive
      assertEquals(1, log.fileIds().size());
    }
  }

  @Test
  void emptyLog_opensAndReopens() throws IOException {
    MemoryStorage s = new MemoryStorage();
    long first;
    try (ValueLog log = open(s, LARGE, 100)) {
      assertEquals(List.of(log.activeFileId()), log.fileIds());
      first = log.activeFileId();
      log.flush(true);
      log.scan(first, rec -> fail("no records expected"));
    }
    try (ValueLog log = open(s, LARGE, 100)) {
      assertEquals(List.of(first), log.fileIds());
      ValuePointer p = log.add(new byte[] {1}, 1, (byte) 0, (byte) 0, 0, new byte[] {2});
      log.flush(false);
      assertArrayEquals(new byte[] {2}, log.read(p));
    }
  }

  @Test
  void tornTail_atEveryLengthOfTheLastRecord(TestInfo info) throws IOException {
    long seed = TestSeeds.seed(info);
    Random r = new Random(seed);
    MemoryStorage s = new MemoryStorage();
    List<Written> kept;
    Written last;
    try (ValueLog log = open(s, LARGE, 1000)) {
      kept = appendGroups(log, r, 5, 4, 60, true, 0);
      last = add(log, r, 5, 60);
      log.flush(false);
    }
    ValuePointer p = last.pointer();
    String name;
    try (ValueLog log = open(s, LARGE, 1000)) {
      name = log.fileName(p.fileId());
    }
    for (int cut = 0; cut < p.recordLength(); cut++) {
      String why = "seed " + TestSeeds.format(seed) + ", last record cut to " + cut + " of "
          + p.recordLength() + " bytes";
      long length = p.offset() + cut;
      MemoryStorage torn = copyOf(s, name, b -> Arrays.copyOf(b, (int) length));
      try (ValueLog log = open(torn, LARGE, 1000)) {
        checkReads(log, kept, why);
        CorruptionException e = assertThrows(CorruptionException.class, () -> log.read(p), why);
        assertCorruption(e, name, p.offset(), why);
        assertEquals(p.offset(), log.fileSize(p.fileId()), why + ": tail not cut");
        Written again = add(log, r, 6, 60);
        log.flush(true);
        assertArrayEquals(again.value(), log.read(again.pointer()), why);
        List<Written> all = new ArrayList<>(kept);
        all.add(again);
        checkScans(log, all, why);
      }
    }
  }

  @Test
  void flippedBit_inEveryByteOfARecord_isCorruptionAtThatRecord(TestInfo info)
      throws IOException {
    long seed = TestSeeds.seed(info);
    Random r = new Random(seed);
    MemoryStorage s = new MemoryStorage();
    List<Written> written;
    try (ValueLog log = open(s, 600, 1000)) {
      written = appendGroups(log, r, 12, 3, 100, true, 0);
    }
    // one record in a sealed file, one in the newest file followed by synced groups
    long newest;
    try (ValueLog log = open(s, 600, 1000)) {
      newest = log.activeFileId();
      written = new ArrayList<>(written);
      written.addAll(appendGroups(log, r, 3, 2, 30, true, 12));
    }
    final long active = newest;
    Written sealed = written.stream().filter(w -> w.pointer().fileId() < active).findFirst()
        .orElseThrow();
    Written inNewest = written.stream().filter(w -> w.pointer().fileId() == active)
        .findFirst().orElseThrow();
    for (Written victim : List.of(sealed, inNewest)) {
      ValuePointer p = victim.pointer();
      String name;
      try (ValueLog log = open(s, 600, 1000)) {
        name = log.fileName(p.fileId());
      }
      for (int i = 0; i < p.recordLength(); i++) {
        int at = (int) p.offset() + i;
        int bit = r.nextInt(8);
        String why = "seed " + TestSeeds.format(seed) + ", bit " + bit + " of byte " + i
            + " of the record at " + p;
        MemoryStorage damaged = copyOf(s, name, b -> {
          b[at] ^= (byte) (1 << bit);
          return b;
        });
        ValueLog log;
        try {
          log = open(damaged, 600, 1000);
        } catch (CorruptionException e) {
          assertCorruption(e, name, p.offset(), why + " (at open)");
          continue;
        }
        try (log) {
          CorruptionException e = assertThrows(CorruptionException.class, () -> log.read(p),
              why);
          assertCorruption(e, name, p.offset(), why);
          e = assertThrows(CorruptionException.class, () -> log.scan(p.fileId(), rec -> true),
              why);
          assertCorruption(e, name, p.offset(), why + " (scan)");
          for (Written w : written) {
            if (w.pointer().fileId() != p.fileId() || w.pointer().end() <= p.offset()) {
              assertArrayEquals(w.value(), log.read(w.pointer()), why);
            }
          }
        }
      }
    }
  }

  /** The records of each file, from a scan of the open log. */
  private static Map<Long, Long> recordsPerFile(ValueLog log) throws IOException {
    Map<Long, Long> out = new TreeMap<>();
    for (long id : log.fileIds()) {
      long[] n = {0};
      log.scan(id, rec -> ++n[0] > 0);
      out.put(id, n[0]);
    }
    return out;
  }

  @Test
  void verifyFile_ofACleanLog_checksEveryFileAndRecord_andChangesNothing(TestInfo info)
      throws IOException {
    long seed = TestSeeds.seed(info);
    Random r = new Random(seed);
    MemoryStorage s = new MemoryStorage();
    Map<Long, Long> values;
    List<String> names = new ArrayList<>();
    try (ValueLog log = open(s, 600, 1000)) {
      appendGroups(log, r, 12, 3, 100, false, 0);
      values = recordsPerFile(log);
      for (long id : log.fileIds()) {
        names.add(log.fileName(id));
      }
    }
    assertEquals(names, format().fileNames(s), "seed " + TestSeeds.format(seed));
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      byte[] before = bytesOf(s, name);
      long checked = format().verifyFile(s, DB_ID, name, i == names.size() - 1);
      long id = values.keySet().stream().toList().get(i);
      // Sync marks are records too, so at least the values.
      assertTrue(checked >= values.get(id), "seed " + TestSeeds.format(seed) + ", " + name
          + ": " + checked + " records checked, " + values.get(id) + " values");
      assertArrayEquals(before, bytesOf(s, name), name + " unchanged");
    }
  }

  @Test
  void verifyFile_reportsDamage_aTornTail_andAnotherDatabase_changingNothing(TestInfo info)
      throws IOException {
    long seed = TestSeeds.seed(info);
    Random r = new Random(seed);
    MemoryStorage s = new MemoryStorage();
    List<Written> written;
    try (ValueLog log = open(s, 600, 1000)) {
      written = appendGroups(log, r, 12, 3, 100, true, 0);
    }
    List<String> names = format().fileNames(s);
    String newest = names.get(names.size() - 1);
    Written sealed = written.get(0);
    Written last = written.get(written.size() - 1);
    String sealedName;
    String lastName;
    try (ValueLog log = open(s, 600, 1000)) {
      sealedName = log.fileName(sealed.pointer().fileId());
      lastName = log.fileName(last.pointer().fileId());
    }
    assertEquals(newest, lastName);
    String why = "seed " + TestSeeds.format(seed);

    // A flipped byte in a sealed file's first record: damage at that record.
    long at = sealed.pointer().offset() + 2;
    MemoryStorage damaged = copyOf(s, sealedName, b -> {
      b[(int) at] ^= 0x5A;
      return b;
    });
    byte[] before = bytesOf(damaged, sealedName);
    CorruptionException e = assertThrows(CorruptionException.class,
        () -> format().verifyFile(damaged, DB_ID, sealedName, false), why);
    assertCorruption(e, sealedName, sealed.pointer().offset(), why);
    assertArrayEquals(before, bytesOf(damaged, sealedName), "verify changes nothing");

    // The newest file cut inside its last record: reported, not cut.
    long cutAt = last.pointer().offset() + last.pointer().recordLength() / 2;
    MemoryStorage torn = copyOf(s, lastName, b -> Arrays.copyOf(b, (int) cutAt));
    e = assertThrows(CorruptionException.class,
        () -> format().verifyFile(torn, DB_ID, lastName, true), why);
    assertCorruption(e, lastName, last.pointer().offset(), why);
    assertTrue(e.getMessage().contains("torn tail"), e.getMessage());
    assertEquals(cutAt, bytesOf(torn, lastName).length, "the torn tail is left as it is");

    // A file of another database.
    byte[] otherDb = DB_ID.clone();
    otherDb[0] ^= 1;
    e = assertThrows(CorruptionException.class,
        () -> format().verifyFile(s, otherDb, sealedName, false), why);
    assertCorruption(e, sealedName, 0, why);

    // Misuse: a name that is not the format's.
    assertThrows(IllegalArgumentException.class,
        () -> format().verifyFile(s, DB_ID, "MANIFEST", false));
  }

  @Test
  void badPointers_areCorruptionNamingFileAndOffset() throws IOException {
    MemoryStorage s = new MemoryStorage();
    try (ValueLog log = open(s, LARGE, 100)) {
      ValuePointer p = log.add(new byte[] {1}, 1, (byte) 0, (byte) 0, 0, new byte[] {2, 3});
      log.flush(false);
      long size = log.fileSize(p.fileId());
      String name = log.fileName(p.fileId());
      ValuePointer pastEnd = new ValuePointer(p.fileId(), size, p.recordLength(), 2);
      assertCorruption(assertThrows(CorruptionException.class, () -> log.read(pastEnd)), name,
          size, "past the end");
      ValuePointer longer = new ValuePointer(p.fileId(), p.offset(), p.recordLength() + 1, 2);
      assertCorruption(assertThrows(CorruptionException.class, () -> log.read(longer)), name,
          p.offset(), "longer than the file");
      ValuePointer atZero = new ValuePointer(p.fileId(), 0, p.recordLength(), 2);
      assertCorruption(assertThrows(CorruptionException.class, () -> log.read(atZero)), name,
          0, "in the header");
      ValuePointer wrongSize = new ValuePointer(p.fileId(), p.offset(), p.recordLength(), 1);
      assertCorruption(assertThrows(CorruptionException.class, () -> log.read(wrongSize)), name,
          p.offset(), "value size differs");
      ValuePointer missing = new ValuePointer(p.fileId() + 5, p.offset(), p.recordLength(), 2);
      assertCorruption(assertThrows(CorruptionException.class, () -> log.read(missing)),
          log.fileName(p.fileId() + 5), p.offset(), "missing file");
      // unflushed: not readable yet
      ValuePointer pending = log.add(new byte[] {1}, 2, (byte) 0, (byte) 0, 0, new byte[] {4});
      assertThrows(CorruptionException.class, () -> log.read(pending));
      log.flush(false);
      assertArrayEquals(new byte[] {4}, log.read(pending));
    }
  }

  @Test
  void deleteFile_refusesTheActiveFile_andLaterReadsAreCorruption() throws IOException {
    MemoryStorage s = new MemoryStorage();
    try (ValueLog log = open(s, LARGE, 2)) {
      List<ValuePointer> ps = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ps.add(log.add(new byte[] {(byte) i}, i, (byte) 0, (byte) 0, 0, new byte[] {(byte) i}));
        log.flush(false);
      }
      List<Long> ids = log.fileIds();
      assertEquals(3, ids.size(), ids.toString());
      assertThrows(IllegalArgumentException.class, () -> log.deleteFile(log.activeFileId()));
      long first = ids.get(0);
      log.deleteFile(first);
      assertFalse(s.exists(log.fileName(first)));
      assertFalse(log.fileIds().contains(first));
      assertThrows(NoSuchFileException.class, () -> log.deleteFile(first));
      assertThrows(NoSuchFileException.class, () -> log.fileSize(first));
      assertThrows(NoSuchFileException.class, () -> log.scan(first, rec -> true));
      assertThrows(CorruptionException.class, () -> log.read(ps.get(0)));
      assertArrayEquals(new byte[] {5}, log.read(ps.get(5)));
    }
    try (ValueLog log = open(s, LARGE, 2)) {
      assertEquals(2, log.fileIds().size());
      assertArrayEquals(new byte[] {3}, log.read(findPointer(log, 3)));
    }
  }

  private static ValuePointer findPointer(ValueLog log, long version) throws IOException {
    ValuePointer[] found = new ValuePointer[1];
    for (long id : log.fileIds()) {
      log.scan(id, rec -> {
        if (rec.version() == version) {
          found[0] = rec.pointer();
        }
        return true;
      });
    }
    return found[0];
  }

  @Test
  void open_refusesAFileOfAnotherDatabase_orRenamedIntoPlace() throws IOException {
    MemoryStorage s = new MemoryStorage();
    String name;
    long id;
    try (ValueLog log = open(s, LARGE, 2)) {
      for (int i = 0; i < 5; i++) {
        log.add(new byte[] {1}, i, (byte) 0, (byte) 0, 0, new byte[] {1});
        log.flush(true);
      }
      id = log.fileIds().get(0);
      name = log.fileName(id);
    }
    byte[] otherDb = DB_ID.clone();
    otherDb[0] ^= 1;
    assertThrows(CorruptionException.class,
        () -> format().open(s, otherDb, LARGE, 2).close());
    String other;
    try (ValueLog scratch = format().open(new MemoryStorage(), DB_ID, LARGE, 2)) {
      other = scratch.fileName(id + 100);
    }
    s.rename(name, other);
    CorruptionException e = assertThrows(CorruptionException.class,
        () -> open(s, LARGE, 2).close());
    assertEquals(other, e.file().orElse(null));
  }

  @Test
  void newestFileTooShortForItsHeader_isDeleted() throws IOException {
    MemoryStorage s = new MemoryStorage();
    ValuePointer p;
    String next;
    try (ValueLog log = open(s, LARGE, 100)) {
      p = log.add(new byte[] {1}, 1, (byte) 0, (byte) 0, 0, new byte[] {9});
      log.flush(true);
      next = log.fileName(log.activeFileId() + 1);
    }
    for (int n = 0; n < 8; n++) {
      try (WritableFile f = s.create(next)) {
        f.write(new byte[n], 0, n);
      }
      try (ValueLog log = open(s, LARGE, 100)) {
        assertArrayEquals(new byte[] {9}, log.read(p));
        assertFalse(s.exists(next), "torn new file kept at " + n + " bytes");
      }
      if (s.exists(next)) {
        s.delete(next);
      }
    }
  }

  @Test
  void concurrentReaders_whileTheWriterAppendsAndRotates(TestInfo info) throws Exception {
    long seed = TestSeeds.seed(info);
    MemoryStorage s = new MemoryStorage();
    try (ValueLog log = open(s, 2048, 50)) {
      List<Written> published = new CopyOnWriteArrayList<>();
      AtomicBoolean done = new AtomicBoolean();
      ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
      List<Thread> readers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Random rr = new Random(seed + t + 1);
        Thread th = new Thread(() -> {
          try {
            while (!done.get()) {
              int n = published.size();
              if (n == 0) {
                Thread.onSpinWait();
                continue;
              }
              Written w = published.get(rr.nextInt(n));
              assertArrayEquals(w.value(), log.read(w.pointer()), w.pointer().toString());
              log.fileIds();
              log.fileSize(w.pointer().fileId());
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        });
        th.start();
        readers.add(th);
      }
      Random r = new Random(seed);
      for (int g = 0; g < 300 && errors.isEmpty(); g++) {
        List<Written> group = new ArrayList<>();
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
          group.add(add(log, r, g, 200));
        }
        log.flush(r.nextInt(10) == 0);
        published.addAll(group);
      }
      done.set(true);
      for (Thread th : readers) {
        th.join(30_000);
      }
      if (!errors.isEmpty()) {
        AssertionError e = new AssertionError("seed " + TestSeeds.format(seed));
        errors.forEach(e::addSuppressed);
        throw e;
      }
      assertTrue(log.fileIds().size() > 5, log.fileIds().toString());
      checkScans(log, published, "seed " + TestSeeds.format(seed));
    }
  }

  @Test
  void powerLoss_afterFlushSync_keepsEverySyncedRecord(TestInfo info) throws IOException {
    long seed = TestSeeds.seed(info);
    for (int round = 0; round < 20; round++) {
      Random r = new Random(seed + round);
      String why = "seed " + TestSeeds.format(seed) + ", round " + round;
      FaultyStorage s = new FaultyStorage(new MemoryStorage(), seed + round);
      List<Written> synced = new ArrayList<>();
      List<Written> all = new ArrayList<>();
      try (ValueLog log = open(s, 1500, 20)) {
        int groups = 5 + r.nextInt(20);
        for (int g = 0; g < groups; g++) {
          List<Written> group = new ArrayList<>();
          int n = 1 + r.nextInt(4);
          for (int i = 0; i < n; i++) {
            group.add(add(log, r, g, 150));
          }
          boolean sync = r.nextBoolean();
          log.flush(sync);
          all.addAll(group);
          if (sync) { // everything flushed so far is durable
            synced.clear();
            synced.addAll(all);
          }
        }
        FaultyStorage.CrashReport report = s.crash(r.nextLong());
        why += ", " + report;
      } catch (IOException e) {
        // closing after the crash: handles are dead
      }
      try (ValueLog log = open(s, 1500, 20)) {
        checkReads(log, synced, why);
        Written again = add(log, r, 999, 50);
        log.flush(true);
        assertArrayEquals(again.value(), log.read(again.pointer()), why);
      }
    }
  }
}
