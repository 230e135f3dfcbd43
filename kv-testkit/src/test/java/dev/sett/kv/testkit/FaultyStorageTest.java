package dev.sett.kv.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.DirectoryLockedException;
import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.io.NioStorage;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.Storage;
import dev.sett.kv.io.StorageLock;
import dev.sett.kv.io.WritableFile;
import dev.sett.kv.testkit.FaultyStorage.CrashReport;
import dev.sett.kv.testkit.FaultyStorage.Fate;
import dev.sett.kv.testkit.FaultyStorage.FileFate;
import dev.sett.kv.testkit.FaultyStorage.Op;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fault kind and crash fate of {@link FaultyStorage}, on heap and on disk. */
class FaultyStorageTest {

  /** The wrapped storages: the model must not depend on which one is underneath. */
  enum Backend {
    MEMORY,
    NIO
  }

  @TempDir Path dir;
  private long seed;

  @BeforeEach
  void pickSeed(TestInfo test) {
    seed = TestSeeds.seed(test);
  }

  private FaultyStorage open(Backend backend) throws IOException {
    Storage s = backend == Backend.MEMORY ? new MemoryStorage() : new NioStorage(dir);
    return new FaultyStorage(s, seed);
  }

  static Stream<Arguments> backendsAndOps() {
    return Arrays.stream(Backend.values())
        .flatMap(b -> Arrays.stream(Op.values()).map(op -> Arguments.of(b, op)));
  }

  static Stream<Arguments> backendsAndFates() {
    return Arrays.stream(Backend.values())
        .flatMap(b -> Arrays.stream(Fate.values()).map(f -> Arguments.of(b, f)));
  }

  // ---- injected faults ----------------------------------------------------------------------

  /** One call of a kind; {@code i} counts calls, so actions can vary their names. */
  private interface Call {
    void run(int i) throws IOException;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void failMatching_failsEveryMatchingCall_untilCleared(Backend backend) throws IOException {
    FaultyStorage fs = open(backend);
    byte[] buf = data(8, 3);
    try (WritableFile bad = fs.create("MANIFEST-x");
        WritableFile good = fs.create("table.sst")) {
      fs.failMatching(Op.WRITE, name -> name.startsWith("MANIFEST"));
      for (int i = 0; i < 3; i++) {
        IOException e = assertThrows(IOException.class, () -> bad.write(buf, 0, 0));
        assertTrue(e.getMessage().contains("MANIFEST-x"), e.getMessage());
        good.write(buf, 0, buf.length);
      }
      assertEquals(3 * buf.length, good.size(), "the other file is written");
      fs.clearFaults();
      bad.write(buf, 0, buf.length);
      assertEquals(buf.length, bad.size(), "cleared");
    }
  }

  @ParameterizedTest
  @MethodSource("backendsAndOps")
  void failOn_failsOnlyTheNthCallOfThatKind(Backend backend, Op op) throws IOException {
    FaultyStorage fs = open(backend);
    durable(fs, "base", data(64, 1));
    durable(fs, "ra", data(8, 2));
    byte[] buf = new byte[8];
    try (WritableFile w = fs.create("w");
        ReadableFile r = fs.openRead("base")) {
      Call call = switch (op) {
        case CREATE -> i -> fs.create("c" + i).close();
        case OPEN -> i -> fs.openRead("base").close();
        case WRITE -> i -> w.write(buf, 0, buf.length);
        case TRUNCATE -> i -> w.truncate(w.size());
        case SYNC -> i -> w.sync();
        case READ -> i -> r.readFully(8, buf, 0, buf.length);
        case RENAME -> i -> {
          boolean a = fs.exists("ra");
          fs.rename(a ? "ra" : "rb", a ? "rb" : "ra");
        };
        case DELETE -> i -> fs.delete("base");
        case SYNC_DIRECTORY -> i -> fs.syncDirectory();
      };
      long before = fs.count(op);
      fs.failOn(op, 3);
      for (int i = 1; i <= 5; i++) {
        if (i == 3) {
          int n = i;
          IOException e = assertThrows(IOException.class, () -> call.run(n));
          assertTrue(e.getMessage().startsWith("injected fault: " + op), e.getMessage());
        } else {
          call.run(i);
        }
      }
      assertEquals(before + 5, fs.count(op));
      assertEquals(fs.count(op), fs.counts().get(op));
      assertEquals(1, fs.faultsInjected());
    }
    fs.assertNoOpenHandles();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void failRandomly_followsTheSeedAndTheProbability(Backend backend) throws IOException {
    List<Boolean> first = syncFailures(open(backend), 0.3);
    List<Boolean> second = syncFailures(new FaultyStorage(new MemoryStorage(), seed), 0.3);
    assertEquals(first, second, "same seed, same faults");
    long failed = first.stream().filter(b -> b).count();
    assertTrue(failed > 20 && failed < 110, "failed " + failed + " of 200 at p=0.3");
    assertFalse(syncFailures(new FaultyStorage(new MemoryStorage(), seed), 0).contains(true));
    assertFalse(syncFailures(new FaultyStorage(new MemoryStorage(), seed), 1).contains(false));
  }

  private static List<Boolean> syncFailures(FaultyStorage fs, double p) throws IOException {
    List<Boolean> failed = new ArrayList<>();
    try (WritableFile w = fs.create("f")) {
      fs.failRandomly(Op.SYNC, p);
      for (int i = 0; i < 200; i++) {
        try {
          w.sync();
          failed.add(false);
        } catch (IOException e) {
          failed.add(true);
        }
      }
    }
    assertEquals(failed.stream().filter(b -> b).count(), fs.faultsInjected());
    return failed;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void failedWrite_leavesASeededPrefix(Backend backend) throws IOException {
    FaultyStorage fs = open(backend);
    FaultyStorage twin = new FaultyStorage(new MemoryStorage(), seed);
    byte[] data = data(100, 3);
    long total = 0;
    for (int i = 0; i < 20; i++) {
      byte[] got = failOneWrite(fs, "p" + i, data);
      assertArrayEquals(Arrays.copyOf(data, got.length), got, "a prefix of the bytes");
      assertTrue(got.length < data.length, "a failed write never completes");
      assertEquals(got.length, failOneWrite(twin, "p" + i, data).length, "seeded");
      total += got.length;
    }
    assertTrue(total > 0, "20 failed writes all wrote nothing");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void failedWrite_withoutPartialWrites_writesNothing(Backend backend) throws IOException {
    FaultyStorage fs = open(backend).partialWrites(false);
    for (int i = 0; i < 5; i++) {
      assertEquals(0, failOneWrite(fs, "p" + i, data(100, 4)).length);
    }
  }

  private static byte[] failOneWrite(FaultyStorage fs, String name, byte[] data)
      throws IOException {
    fs.failOn(Op.WRITE, 1);
    try (WritableFile w = fs.create(name)) {
      assertThrows(IOException.class, () -> w.write(data, 0, data.length));
    }
    return content(fs, name);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void quota_writesWhatFitsThenReportsADiskFull(Backend backend) throws IOException {
    FaultyStorage fs = open(backend).quota(100);
    byte[] data = data(60, 5);
    try (WritableFile a = fs.create("a");
        WritableFile b = fs.create("b")) {
      a.write(data, 0, 60);
      IOException full = assertThrows(IOException.class, () -> a.write(data, 0, 60));
      assertTrue(full.getMessage().startsWith("No space left on device"), full.getMessage());
      assertEquals(100, a.size());
      assertEquals(100, fs.usedBytes());
      assertThrows(IOException.class, () -> b.write(data, 0, 1));
      assertEquals(0, b.size());
      assertEquals(2, fs.faultsInjected());

      a.truncate(50); // truncating frees space
      b.write(data, 0, 50);
      assertThrows(IOException.class, () -> b.write(data, 0, 1));
      fs.clearFaults();
      b.write(data, 0, 60);
    }
    fs.delete("b"); // deleting frees space
    assertEquals(50, fs.usedBytes());
    fs.quota(100);
    try (WritableFile c = fs.create("c")) {
      c.write(data, 0, 50);
    }
    assertArrayEquals(Arrays.copyOf(data, 50), content(fs, "a"));
  }

  // ---- crash: data ------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("backendsAndFates")
  void crash_givesTheUnsyncedTailTheChosenFate(Backend backend, Fate fate) throws IOException {
    FaultyStorage fs = open(backend);
    byte[] data = data(150, 6);
    try (WritableFile w = fs.create("f")) {
      w.write(data, 0, 100);
      w.sync();
      w.write(data, 100, 50);
    }
    fs.syncDirectory();
    assertEquals(OptionalLong.of(100), fs.syncedLength("f"));

    CrashReport report = fs.crash(seed, EnumSet.of(fate));
    assertEquals(1, report.files().size(), report.toString());
    FileFate f = report.files().get(0);
    assertEquals(new FileFate("f", fate, 100, 150, f.lengthAfter(), f.detail()), f);
    assertFate(f, data, content(fs, "f"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void crash_keepsSyncedFilesAndMatchesEveryReportedFate(Backend backend) throws IOException {
    FaultyStorage fs = open(backend);
    Random rnd = new Random(seed);
    Map<String, byte[]> written = new TreeMap<>();
    for (int i = 0; i < 100; i++) {
      String name = String.format("%06d.sst", i);
      byte[] data = data(1 + rnd.nextInt(300), i);
      int synced = rnd.nextInt(4) == 0 ? data.length : rnd.nextInt(data.length);
      try (WritableFile w = fs.create(name)) {
        w.write(data, 0, synced);
        w.sync();
        w.write(data, synced, data.length - synced);
      }
      written.put(name, data);
    }
    fs.syncDirectory();

    CrashReport report = fs.crash(seed);
    for (Map.Entry<String, byte[]> e : written.entrySet()) {
      byte[] after = content(fs, e.getKey());
      FileFate f = report.files().stream()
          .filter(x -> x.name().equals(e.getKey())).findFirst().orElse(null);
      if (f == null) {
        assertArrayEquals(e.getValue(), after, e.getKey() + " was fully synced; " + report);
      } else {
        assertFate(f, e.getValue(), after);
      }
    }
    assertEquals(EnumSet.allOf(Fate.class),
        EnumSet.copyOf(report.files().stream().map(FileFate::fate).toList()),
        "with ~75 unsynced tails every fate should show up: " + report);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void crash_isReproducibleFromItsSeed(Backend backend) throws IOException {
    List<CrashReport> reports = new ArrayList<>();
    for (FaultyStorage fs : List.of(open(backend), new FaultyStorage(new MemoryStorage(), 0))) {
      for (int i = 0; i < 10; i++) {
        try (WritableFile w = fs.create("f" + i)) {
          w.write(data(40, i), 0, 40);
        }
      }
      fs.syncDirectory();
      reports.add(fs.crash(seed));
    }
    assertEquals(reports.get(0), reports.get(1));
  }

  /** Checks that {@code after} is what {@code f.fate()} may make of {@code before}. */
  private static void assertFate(FileFate f, byte[] before, byte[] after) {
    String msg = f.toString();
    int synced = (int) f.syncedLength();
    assertEquals(before.length, f.lengthBefore(), msg);
    assertEquals(after.length, f.lengthAfter(), msg);
    assertArrayEquals(Arrays.copyOf(before, synced), Arrays.copyOf(after, synced),
        "synced bytes survive: " + msg);
    switch (f.fate()) {
      case DROP -> assertEquals(synced, after.length, msg);
      case TRUNCATE -> {
        assertTrue(after.length >= synced && after.length < before.length, msg);
        assertArrayEquals(Arrays.copyOf(before, after.length), after, msg);
      }
      case ZERO_TAIL -> {
        assertEquals(before.length, after.length, msg);
        int k = after.length;
        while (k > synced && after[k - 1] == 0) {
          k--;
        }
        assertTrue(k < after.length, "some bytes zeroed: " + msg);
        assertArrayEquals(Arrays.copyOf(before, k), Arrays.copyOf(after, k), msg);
      }
      case FLIP_BIT -> {
        assertEquals(before.length, after.length, msg);
        int bits = 0;
        for (int i = 0; i < before.length; i++) {
          int diff = Integer.bitCount((before[i] ^ after[i]) & 0xff);
          assertTrue(diff == 0 || i >= synced, msg);
          bits += diff;
        }
        assertEquals(1, bits, msg);
      }
      case KEEP -> assertArrayEquals(before, after, msg);
    }
  }

  // ---- crash: namespace -------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Backend.class)
  void crash_dropsCreationsNotMadeDurable(Backend backend) throws IOException {
    FaultyStorage fs = open(backend);
    durable(fs, "kept", data(10, 7));
    fs.create("empty").close();
    fs.syncDirectory();
    try (WritableFile w = fs.create("new")) {
      w.write(data(10, 8), 0, 10);
      w.sync(); // the data is synced, the name is not
    }
    fs.create("late").close();

    CrashReport report = fs.crash(seed);
    assertFalse(fs.exists("new"), report.toString());
    assertFalse(fs.exists("late"), report.toString());
    assertTrue(fs.exists("empty"));
    assertEquals(0, content(fs, "empty").length);
    assertArrayEquals(data(10, 7), content(fs, "kept"));
    assertTrue(report.namespace().contains("new: vanished (its creation was never made durable)"),
        report.toString());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void crash_undoesRenamesNotMadeDurable(Backend backend) throws IOException {
    FaultyStorage fs = open(backend);
    durable(fs, "a", data(10, 1));
    durable(fs, "b", data(20, 2));
    durable(fs, "c", data(30, 3));
    fs.rename("a", "x"); // plain move
    fs.rename("c", "b"); // replaces a durable file
    fs.crash(seed);
    assertEquals(List.of("a", "b", "c"), files(fs));
    assertArrayEquals(data(10, 1), content(fs, "a"));
    assertArrayEquals(data(20, 2), content(fs, "b"));
    assertArrayEquals(data(30, 3), content(fs, "c"));

    fs.rename("a", "t"); // a swap through a temporary name
    fs.rename("b", "a");
    fs.rename("t", "b");
    fs.crash(seed);
    assertArrayEquals(data(10, 1), content(fs, "a"));
    assertArrayEquals(data(20, 2), content(fs, "b"));

    fs.rename("a", "x");
    fs.syncDirectory();
    fs.crash(seed);
    assertEquals(List.of("b", "c", "x"), files(fs));
    assertArrayEquals(data(10, 1), content(fs, "x"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void crash_undoesDeletionsNotMadeDurable(Backend backend) throws IOException {
    FaultyStorage fs = open(backend);
    durable(fs, "a", data(10, 1));
    durable(fs, "b", data(20, 2));
    fs.delete("a");
    fs.delete("b");
    try (WritableFile w = fs.create("b")) { // same name, new file, never made durable
      w.write(data(5, 9), 0, 5);
      w.sync();
    }
    assertFalse(fs.exists("a"));
    CrashReport report = fs.crash(seed);
    assertArrayEquals(data(10, 1), content(fs, "a"), report.toString());
    assertArrayEquals(data(20, 2), content(fs, "b"), report.toString());

    fs.delete("a");
    fs.syncDirectory();
    fs.crash(seed);
    assertEquals(List.of("b"), files(fs));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void crash_restoredFileKeepsItsSyncedLengthOnly(Backend backend) throws IOException {
    FaultyStorage fs = open(backend);
    byte[] data = data(150, 4);
    try (WritableFile w = fs.create("wal")) {
      w.write(data, 0, 100);
      w.sync();
      fs.syncDirectory();
      w.write(data, 100, 50);
    }
    fs.delete("wal");
    CrashReport report = fs.crash(seed, EnumSet.of(Fate.DROP));
    assertArrayEquals(Arrays.copyOf(data, 100), content(fs, "wal"), report.toString());
  }

  @Test
  void filesAlreadyOnDiskCountAsDurable() throws IOException {
    NioStorage nio = new NioStorage(dir);
    try (WritableFile w = nio.create("old")) {
      w.write(data(10, 1), 0, 10);
    }
    FaultyStorage fs = new FaultyStorage(nio, seed);
    try (WritableFile w = nio.create("behind-its-back")) {
      w.write(data(10, 2), 0, 10);
    }
    fs.delete("old");
    fs.rename("behind-its-back", "moved");
    fs.crash(seed);
    assertEquals(List.of("behind-its-back", "old"), files(fs));
    assertArrayEquals(data(10, 1), content(fs, "old"));
  }

  // ---- interrupts ------------------------------------------------------------------------------

  /**
   * Interrupts pass through to the wrapped storage and touch only the interrupted call (issue 12):
   * over NIO the interrupted read throws {@link InterruptedIOException}, on the heap it succeeds;
   * either way the handle stays usable, the flag stays set, and a delete and a directory sync made
   * with the flag set succeed and count as durable.
   */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void interrupt_failsAtMostTheInterruptedRead_andTheHandleStaysUsable(Backend backend)
      throws IOException {
    FaultyStorage fs = open(backend);
    durable(fs, "f", data(100, 3));
    durable(fs, "old", data(50, 4));
    byte[] buf = new byte[10];
    try (ReadableFile r = fs.openRead("f")) {
      try (WritableFile w = fs.create("g")) {
        w.sync();
      }
      Thread.currentThread().interrupt();
      try {
        try {
          r.readFully(10, buf, 0, 10);
          assertEquals(Backend.MEMORY, backend, "heap reads ignore interrupts");
        } catch (InterruptedIOException e) {
          assertEquals(Backend.NIO, backend, "only NIO reads see interrupts: " + e);
        }
        assertTrue(Thread.currentThread().isInterrupted(), "the flag stays set");
        fs.delete("old"); // the model copies a durable file first: its read must not fail
        fs.syncDirectory(); // must not fail for the interrupt
        assertTrue(Thread.currentThread().isInterrupted(), "the flag stays set");
      } finally {
        Thread.interrupted();
      }
      r.readFully(10, buf, 0, 10);
      assertArrayEquals(Arrays.copyOfRange(data(100, 3), 10, 20), buf);
    }
    fs.assertNoOpenHandles();
    fs.crash(seed);
    assertEquals(List.of("f", "g"), files(fs), "the interrupted thread's directory sync counts");
  }

  // ---- crash: handles, locks, reuse -------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Backend.class)
  void crash_killsOpenHandlesAndReleasesTheLock(Backend backend) throws IOException {
    FaultyStorage fs = open(backend);
    durable(fs, "f", data(20, 1));
    StorageLock lock = fs.lock("LOCK");
    assertThrows(DirectoryLockedException.class, () -> fs.lock("LOCK"));
    WritableFile w = fs.openForAppend("f");
    ReadableFile r = fs.openRead("f");
    byte[] buf = new byte[4];

    fs.crash(seed);
    assertEquals(List.of(), fs.openHandles());
    for (Executable use : List.<Executable>of(
        () -> w.write(buf, 0, 4), w::sync, () -> w.truncate(0), () -> r.readFully(0, buf, 0, 4),
        r::size)) {
      IOException e = assertThrows(IOException.class, use);
      assertTrue(e.getMessage().contains("before a simulated crash"), e.getMessage());
    }
    w.close(); // closing what a dead process held is harmless
    r.close();
    lock.close();
    fs.lock("LOCK").close();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void storageIsReusableAfterACrash(Backend backend) throws IOException {
    FaultyStorage fs = open(backend);
    byte[] data = data(80, 2);
    try (WritableFile w = fs.create("f")) {
      w.write(data, 0, 40);
      w.sync();
      w.write(data, 40, 40);
    }
    fs.syncDirectory();
    fs.crash(seed, EnumSet.of(Fate.KEEP));
    assertEquals(OptionalLong.of(80), fs.syncedLength("f"), "what survived counts as durable");

    try (WritableFile w = fs.openForAppend("f")) {
      w.write(data, 0, 20);
      w.sync();
    }
    durable(fs, "g", data);
    CrashReport report = fs.crash(seed);
    assertEquals(List.of(), report.files(), report.toString());
    assertEquals(List.of(), report.namespace(), report.toString());
    byte[] f = content(fs, "f");
    assertArrayEquals(data, Arrays.copyOf(f, 80));
    assertArrayEquals(Arrays.copyOf(data, 20), Arrays.copyOfRange(f, 80, 100));
    assertArrayEquals(data, content(fs, "g"));
  }

  // ---- bookkeeping --------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Backend.class)
  void syncedLength_followsSyncAndTruncate(Backend backend) throws IOException {
    FaultyStorage fs = open(backend);
    byte[] data = data(50, 1);
    try (WritableFile w = fs.create("f")) {
      w.write(data, 0, 50);
      assertEquals(OptionalLong.of(0), fs.syncedLength("f"));
      w.sync();
      assertEquals(OptionalLong.of(50), fs.syncedLength("f"));
      w.truncate(30);
      assertEquals(OptionalLong.of(30), fs.syncedLength("f"));
      w.write(data, 0, 10);
      assertEquals(OptionalLong.of(30), fs.syncedLength("f"));
    }
    assertEquals(OptionalLong.empty(), fs.syncedLength("missing"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void openHandles_findsLeaksAndClosedHandlesRefuseUse(Backend backend) throws IOException {
    FaultyStorage fs = open(backend);
    WritableFile w = fs.create("f");
    ReadableFile r = fs.openRead("f");
    assertEquals(List.of("write f", "read f"), fs.openHandles());
    AssertionError leak = assertThrows(AssertionError.class, fs::assertNoOpenHandles);
    assertEquals(2, leak.getSuppressed().length);

    w.close();
    r.close();
    r.close(); // idempotent
    fs.assertNoOpenHandles();
    assertThrows(IOException.class, () -> w.write(new byte[1], 0, 1));
    assertThrows(IOException.class, () -> r.readFully(0, new byte[0], 0, 0));
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Bytes that are never zero, so a zeroed tail is visible. */
  private static byte[] data(int n, int salt) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (1 + Math.floorMod(i * 31 + salt * 7, 255));
    }
    return b;
  }

  /** Writes a file and makes both its bytes and its name durable. */
  private static void durable(FaultyStorage fs, String name, byte[] data) throws IOException {
    try (WritableFile w = fs.create(name)) {
      w.write(data, 0, data.length);
      w.sync();
    }
    fs.syncDirectory();
  }

  private static byte[] content(Storage s, String name) throws IOException {
    try (ReadableFile r = s.openRead(name)) {
      byte[] b = new byte[(int) r.size()];
      r.readFully(0, b, 0, b.length);
      return b;
    }
  }

  /** The files, without the NIO lock file. */
  private static List<String> files(Storage s) throws IOException {
    return s.list().stream().filter(n -> !n.equals("LOCK")).toList();
  }
}
