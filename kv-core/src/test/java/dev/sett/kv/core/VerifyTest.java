package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.DirectoryLockedException;
import dev.sett.kv.Options;
import dev.sett.kv.StorageException;
import dev.sett.kv.VerifyReport;
import dev.sett.kv.VerifyReport.Kind;
import dev.sett.kv.VerifyReport.Problem;
import dev.sett.kv.io.FileHeader;
import dev.sett.kv.io.NioStorage;
import dev.sett.kv.levels.DiscardStats;
import dev.sett.kv.levels.Manifest;
import dev.sett.kv.levels.TableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Db#verify()} and {@link Db#verify(Options)}: a clean database verifies clean with every
 * kind of file counted; a byte flipped in any kind of file is reported with that file and the
 * offset of the damaged unit, the other files are still checked and nothing is changed; an open
 * database verifies clean while writes, flushes, compactions and value log GC go on; misuse fails
 * clearly and leaves the database usable.
 */
class VerifyTest {
  @TempDir Path dir;
  @TempDir Path work;

  private static final int NAMESPACE = 7;

  /** A small tree, every value of 64 bytes or more in the value log, bans possible. */
  private static Options.Builder options(Path d) {
    return LsmModelTest.separateValues(LsmModelTest.smallTree(d), 64).namespaceOffset(0)
        .valueLogGcInterval(Duration.ZERO);
  }

  private static byte[] key(int i) {
    return String.format("key%05d", i).getBytes();
  }

  private static byte[] value(int i, int size) {
    byte[] v = new byte[size];
    new Random(i).nextBytes(v);
    return v;
  }

  private static void write(Db db, int from, int to) {
    for (int i = from; i < to; i++) {
      int n = i;
      db.update(t -> t.set(key(n), value(n, 200)));
    }
  }

  /**
   * The image of a database that crashed after a sync: every kind of file present (tables listed
   * by several MANIFEST records, value log, WAL, DISCARD, BANNED), all of it synced and intact.
   * Returns the directory holding the image.
   */
  private Path crashImage() throws IOException {
    Options o = options(dir).build();
    try (SettDb db = SettDb.open(o)) {
      write(db, 0, 800);
      db.banNamespace(NAMESPACE);
      db.levels().discardStats().add(Map.of(db.values().log().activeFileId(), 7L));
    }
    try (SettDb db = SettDb.open(o)) {
      write(db, 800, 1600); // more flushes: more MANIFEST records
    }
    // No flusher and no compactors: once synced, nothing changes the files while they are copied.
    Options quiet = options(dir).numCompactors(0).build();
    Path image = work.resolve("image");
    try (SettDb db = SettDb.open(quiet, false)) {
      write(db, 1600, 1700);
      db.sync();
      copyDir(dir, image);
    }
    return image;
  }

  private static void copyDir(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!p.getFileName().toString().equals(FileNames.LOCK)) {
          Files.copy(p, to.resolve(p.getFileName()));
        }
      }
    }
  }

  private static Map<String, byte[]> contents(Path d) {
    Map<String, byte[]> all = new TreeMap<>();
    try (Stream<Path> s = Files.list(d)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!p.getFileName().toString().equals(FileNames.LOCK)) {
          all.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }

  private static void flip(Path file, long offset) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[(int) offset] ^= 0x5A;
    Files.write(file, b);
  }

  private static int headerLength(String format) {
    return new FileHeader(0, format, 1, new byte[FileHeader.DB_ID_LENGTH], 0).length();
  }

  private static List<String> names(Path d, String suffix) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(d)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).forEach(out::add);
    }
    Collections.sort(out);
    return out;
  }

  @Test
  void aCleanDatabase_verifiesClean_closedAndOpen_withEveryKindOfFileCounted()
      throws IOException {
    Path image = crashImage();
    VerifyReport r = Db.verify(options(image).build());
    assertTrue(r.ok(), r.problems().toString());
    for (Kind k : Kind.values()) {
      assertTrue(r.fileCounts().getOrDefault(k, 0L) >= 1, k + " checked: " + r.fileCounts());
      assertTrue(r.recordCounts().getOrDefault(k, 0L) >= 1, k + " records: " + r.recordCounts());
      assertTrue(r.byteCounts().getOrDefault(k, 0L) > 0, k + " bytes: " + r.byteCounts());
    }
    assertEquals(32, r.dbId().length());
    assertTrue(r.files().stream().filter(f -> f.kind() == Kind.TABLE)
        .allMatch(f -> f.level() >= 0 && f.maxVersion() > 0 && f.format().equals("sst-v1")),
        r.files().toString());
    // The cleanly closed original too, and the same database while open.
    assertTrue(Db.verify(options(dir).build()).ok());
    try (Db db = Db.open(options(dir).build())) {
      VerifyReport open = db.verify();
      assertTrue(open.ok(), open.problems().toString());
      assertEquals(r.dbId(), open.dbId());
      assertTrue(open.fileCounts().get(Kind.TABLE) >= 1);
      assertTrue(open.fileCounts().get(Kind.VALUE_LOG) >= 1);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aByteFlippedInAnyKindOfFile_isReportedWithFileAndOffset_theRestIsChecked_nothingChanges(
      Kind kind) throws IOException {
    Path image = crashImage();
    String file;
    long at;
    long expected;
    switch (kind) {
      case MANIFEST -> {
        // Inside the first record, with valid records after it: damage, not a torn append.
        file = Manifest.FILE_NAME;
        int h = headerLength(Manifest.FORMAT);
        at = h + 8;
        expected = h;
      }
      case TABLE -> {
        long id = Manifest.read(new NioStorage(image)).state().tables().keySet().stream()
            .min(Long::compare).orElseThrow();
        file = TableFiles.name(id);
        int h = headerLength("sst-v1");
        at = h + 3; // inside data block 0, which starts right after the header
        expected = h;
      }
      case WAL -> {
        List<String> wals = names(image, FileNames.WAL_SUFFIX);
        file = wals.get(wals.size() - 1);
        int h = headerLength(WalFormat.FORMAT);
        at = h + 3; // the first record
        expected = h;
      }
      case VALUE_LOG -> {
        file = names(image, ".vlog").get(0);
        int h = headerLength("vlog-v1");
        at = h + 5;
        expected = h;
      }
      case DISCARD -> {
        file = DiscardStats.FILE_NAME;
        at = headerLength(DiscardStats.FORMAT) + 4 + 3; // inside the first entry
        expected = Files.size(image.resolve(file)) - 4; // where the body's checksum is
      }
      case BANNED -> {
        file = BannedNamespaces.FILE_NAME;
        at = headerLength(BannedNamespaces.FORMAT) + 4 + 3;
        expected = Files.size(image.resolve(file)) - 4;
      }
      default -> throw new AssertionError(kind);
    }
    flip(image.resolve(file), at);
    Map<String, byte[]> before = contents(image);

    VerifyReport r = Db.verify(options(image).build());

    assertFalse(r.ok());
    assertEquals(1, r.problems().size(), r.problems().toString());
    Problem p = r.problems().get(0);
    assertEquals(kind, p.kind(), p.toString());
    assertEquals(file, p.file(), p.toString());
    assertEquals(expected, p.offset(), p.toString());
    // Every other kind was still checked.
    for (Kind k : Kind.values()) {
      if (k != kind) {
        assertTrue(r.fileCounts().getOrDefault(k, 0L) >= 1, k + " checked: " + r.fileCounts());
      }
    }
    Map<String, byte[]> after = contents(image);
    assertEquals(before.keySet(), after.keySet(), "no file created or deleted");
    before.forEach((n, b) -> assertArrayEquals(b, after.get(n), n + " unchanged"));
  }

  @Test
  void aTableListedButMissing_isReported_andTheOthersAreChecked() throws IOException {
    Path image = crashImage();
    long id = Manifest.read(new NioStorage(image)).state().tables().keySet().iterator().next();
    Files.delete(image.resolve(TableFiles.name(id)));
    VerifyReport r = Db.verify(options(image).build());
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertEquals(TableFiles.name(id), r.problems().get(0).file());
    assertEquals(-1, r.problems().get(0).offset());
    assertTrue(r.fileCounts().get(Kind.VALUE_LOG) >= 1);
  }

  @Test
  void anOpenDatabase_readsTablesPastItsCaches() throws IOException {
    Options o = options(dir).numCompactors(0).build();
    try (Db db = Db.open(o)) {
      write(db, 0, 300);
    }
    long id = Manifest.read(new NioStorage(dir)).state().tables().keySet().stream()
        .min(Long::compare).orElseThrow();
    try (Db db = Db.open(o)) {
      db.view(t -> t.get(key(0))); // data block 0 of some table now cached
      int h = headerLength("sst-v1");
      flip(dir.resolve(TableFiles.name(id)), h + 3);
      VerifyReport r = db.verify();
      assertEquals(1, r.problems().size(), r.problems().toString());
      assertEquals(TableFiles.name(id), r.problems().get(0).file());
      assertEquals(h, r.problems().get(0).offset());
      // Put it back and damage the footer instead, which open read and checked long ago.
      flip(dir.resolve(TableFiles.name(id)), h + 3);
      assertTrue(db.verify().ok());
      Path table = dir.resolve(TableFiles.name(id));
      flip(table, Files.size(table) - 20);
      r = db.verify();
      assertEquals(1, r.problems().size(), r.problems().toString());
      assertEquals(TableFiles.name(id), r.problems().get(0).file());
      assertTrue(r.problems().get(0).offset() > h, r.problems().toString());
      write(db, 300, 310); // still usable
    }
  }

  @Test
  void anOpenDatabase_verifiesCleanWhileWritesFlushesCompactionsAndGcGoOn() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("VerifyTest seed " + seed);
    Options o = LsmModelTest.frequentGc(options(dir)).build();
    try (Db db = Db.open(o)) {
      write(db, 0, 500); // tables from the start: close flushes
    }
    try (Db db = Db.open(o)) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CountDownLatch warmedUp = new CountDownLatch(1);
      Thread writer = new Thread(() -> {
        Random rnd = new Random(seed);
        try {
          for (int n = 0; !stop.get(); n++) {
            int k = rnd.nextInt(2000);
            int size = rnd.nextBoolean() ? 16 : 300; // inline and separated values
            db.update(t -> t.set(key(k), value(k, size)));
            if (n == 2000) {
              warmedUp.countDown();
            }
          }
        } catch (Throwable t) {
          failure.set(t);
        } finally {
          warmedUp.countDown();
        }
      }, "verify-test-writer");
      writer.start();
      warmedUp.await();
      long skipped = 0;
      for (int round = 0; round < 5; round++) {
        VerifyReport r = db.verify();
        assertTrue(r.ok(), "seed " + seed + ": " + r.problems());
        assertTrue(r.fileCounts().getOrDefault(Kind.TABLE, 0L) >= 1, "seed " + seed);
        skipped += r.skipped().size();
      }
      stop.set(true);
      writer.join();
      assertNull(failure.get(), () -> "seed " + seed + ": " + failure.get());
      System.out.println("VerifyTest: files skipped as deleted meanwhile: " + skipped);
      assertTrue(db.verify().ok());
    }
    VerifyReport closed = Db.verify(o);
    assertTrue(closed.ok(), "seed " + seed + ": " + closed.problems());
  }

  // ------------------------------------------------------------------------------- misuse

  @Test
  void verifyingTheDirectoryOfAnOpenDatabase_failsClearly_andTheDatabaseGoesOn() {
    Options o = options(dir).build();
    try (Db db = Db.open(o)) {
      write(db, 0, 10);
      DirectoryLockedException e = assertThrows(DirectoryLockedException.class,
          () -> Db.verify(o));
      assertTrue(e.getMessage().contains("call verify() on that Db"), e.getMessage());
      write(db, 10, 20);
      assertTrue(db.verify().ok());
      assertEquals(Integer.valueOf(20), db.view(t -> {
        int n = 0;
        for (int i = 0; i < 20; i++) {
          n += t.get(key(i)) != null ? 1 : 0;
        }
        return n;
      }));
    }
    assertTrue(Db.verify(o).ok(), "the lock was released");
  }

  @Test
  void verifyingBesideAReadOnlyDatabase_works_andBothGoOn() {
    Options o = options(dir).build();
    try (Db db = Db.open(o)) {
      write(db, 0, 100);
    }
    try (Db ro = Db.open(options(dir).readOnly(true).build())) {
      VerifyReport r = Db.verify(o);
      assertTrue(r.ok(), r.problems().toString());
      assertTrue(ro.verify().ok());
      assertTrue(ro.view(t -> t.get(key(42))) != null);
    }
    try (Db db = Db.open(o)) {
      write(db, 100, 110); // the shared lock was released
    }
  }

  @Test
  void verifyingWhereThereIsNoDatabase_failsClearly_andCreatesNothing() throws IOException {
    Path missing = work.resolve("no-such-dir");
    StorageException e = assertThrows(StorageException.class,
        () -> Db.verify(options(missing).build()));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertFalse(Files.exists(missing));

    Path empty = Files.createDirectories(work.resolve("empty"));
    e = assertThrows(StorageException.class, () -> Db.verify(options(empty).build()));
    assertTrue(e.getMessage().contains("no MANIFEST"), e.getMessage());
    try (Stream<Path> s = Files.list(empty)) {
      assertEquals(0, s.count(), "nothing created, not even a LOCK");
    }
  }

  @Test
  void verifyingAnInMemoryDatabaseByItsOptions_isRefused_butTheOpenOneVerifies() {
    Options o = Options.inMemory().build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Db.verify(o));
    assertTrue(e.getMessage().contains("in-memory"), e.getMessage());
    try (Db db = Db.open(o)) {
      write(db, 0, 50);
      assertTrue(db.verify().ok());
    }
  }

  @Test
  void verifyAfterClose_throwsDbClosed() {
    Db db = Db.open(options(dir).build());
    db.close();
    assertThrows(DbClosedException.class, db::verify);
  }
}
