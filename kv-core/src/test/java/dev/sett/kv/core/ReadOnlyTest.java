package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DirectoryLockedException;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.StorageException;
import dev.sett.kv.Txn;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Options#readOnly()}: no byte of the directory changes (after a crash too, with torn
 * tails left in place), WALs are replayed in memory, several read-only opens share the
 * directory in this process and another while a read-write open is refused, and every write call
 * fails clearly.
 */
class ReadOnlyTest {
  @TempDir Path dir;

  private Options.Builder tree() {
    return LsmModelTest.separateValues(LsmModelTest.smallTree(dir), 256);
  }

  private Options readOnly() {
    return tree().readOnly(true).build();
  }

  /** Every file's bytes, by name. */
  private Map<String, byte[]> files() throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  private static void assertSameFiles(Map<String, byte[]> before, Map<String, byte[]> after) {
    assertEquals(before.keySet(), after.keySet(), "the same files");
    for (String name : before.keySet()) {
      assertArrayEquals(before.get(name), after.get(name), name + " changed");
    }
  }

  private static List<String> scan(Db db) {
    return db.view(t -> {
      List<String> out = new ArrayList<>();
      try (KvIterator it = t.newIterator(IteratorOptions.DEFAULT)) {
        for (it.rewind(); it.valid(); it.next()) {
          out.add(new String(it.item().key()) + "=" + it.item().value().length);
        }
      }
      return out;
    });
  }

  /** A database with tables, value log files and, left by a "crash", WALs not yet flushed. */
  private List<String> crashedDatabase() {
    SettDb db = SettDb.open(tree().build());
    for (int i = 0; i < 2000; i++) {
      int n = i;
      db.update(t -> t.set(b(String.format("k%05d", n)), new byte[n % 3 == 0 ? 400 : 20]));
    }
    List<String> expected = scan(db);
    db.close(false); // like a process that died after its last write: the WALs stay
    return expected;
  }

  @Test
  void afterACrash_readsEverything_replayingTheWalsInMemory_andNoByteChanges()
      throws IOException {
    List<String> expected = crashedDatabase();
    // Torn tails, as a crash mid-write leaves them: read-only must not cut them.
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.endsWith(".mem") || n.endsWith(".vlog")) {
          Files.write(p, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        }
      }
    }
    Map<String, byte[]> before = files();
    assertTrue(before.keySet().stream().anyMatch(n -> n.endsWith(".mem")), "WALs to replay");
    try (Db db = Db.open(readOnly())) {
      assertEquals(expected, scan(db));
      try (Db second = Db.open(readOnly())) {
        assertEquals(expected, scan(second), "a second read-only open in this process");
      }
      ByteArrayOutputStream backup = new ByteArrayOutputStream();
      db.backup(backup, 0); // reading is allowed: a backup of a read-only open
      assertTrue(backup.size() > 0);
      db.sync();
    }
    assertSameFiles(before, files());
    try (Db db = Db.open(tree().build())) {
      assertEquals(expected, scan(db), "a read-write open afterwards recovers as usual");
    }
  }

  @Test
  void everyWriteCall_failsClearly_andReadsGoOn() throws IOException {
    try (Db db = Db.open(tree().build())) {
      db.update(t -> t.set(b("k"), b("v")));
    }
    Map<String, byte[]> before = files();
    try (Db db = Db.open(readOnly())) {
      List<Consumer<Db>> writes = List.of(
          d -> d.update(t -> t.set(b("x"), b("y"))),
          d -> d.newTransaction(true),
          d -> d.newWriteBatch(),
          d -> d.getSequence(b("seq"), 10),
          d -> d.banNamespace(1),
          d -> d.dropAll(),
          d -> d.dropPrefix(b("k")),
          d -> d.load(new ByteArrayInputStream(new byte[0]), 1),
          d -> d.flatten(1),
          d -> d.runValueLogGc(0.5),
          d -> d.newStreamWriter(),
          d -> d.getMergeOperator(b("m"), (x, y) -> y, java.time.Duration.ofSeconds(1)));
      for (Consumer<Db> w : writes) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.accept(db));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
      }
      assertEquals("v", db.view(t -> new String(t.get(b("k")).value())));
      try (Txn t = db.newTransaction(false)) {
        assertEquals("v", new String(t.get(b("k")).value()));
      }
    }
    assertSameFiles(before, files());
  }

  @Test
  void readOnlyOpens_shareTheDirectory_andKeepAReadWriteOpenOut() throws Exception {
    try (Db db = Db.open(tree().build())) {
      db.update(t -> t.set(b("k"), b("shared")));
      assertThrows(DirectoryLockedException.class, () -> Db.open(readOnly()),
          "read-only while this process writes");
    }
    Process child = new ProcessBuilder(ChildJvm.javaBin(), "-cp",
        System.getProperty("java.class.path"), LockChild.class.getName(), dir.toString(),
        "read-only").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("OPEN", out.readLine());
      assertEquals("shared", out.readLine(), "the child reads it");
      try (Db mine = Db.open(readOnly())) { // beside the child's read-only open
        assertEquals("shared", mine.view(t -> new String(t.get(b("k")).value())));
      }
      DirectoryLockedException e = assertThrows(DirectoryLockedException.class,
          () -> Db.open(tree().build()));
      assertTrue(e.getMessage().contains("another process"), e.getMessage());
    } finally {
      child.getOutputStream().close();
      assertEquals(0, child.waitFor());
    }
    try (Db db = Db.open(tree().build())) { // every read-only open is gone
      db.update(t -> t.set(b("k"), b("written")));
    }
  }

  @Test
  void aCleanReadOnlyOpen_holdsNoFullMemtableArena() {
    try (Db db = Db.open(Options.builder(dir).build())) { // 64 MiB memtables
      db.update(t -> t.set(b("k"), b("v")));
    }
    try (Db db = Db.open(Options.builder(dir).readOnly(true).build())) {
      assertTrue(db.stats().memTableBytes() <= WalRecovery.READ_ONLY_MUTABLE_BYTES,
          "memtables hold " + db.stats().memTableBytes() + " bytes");
      assertEquals("v", db.view(t -> new String(t.get(b("k")).value())));
    }
  }

  @Test
  void aDirectoryWithoutADatabase_isRefused_andNothingIsCreated() throws IOException {
    Path missing = dir.resolve("missing");
    StorageException e = assertThrows(StorageException.class,
        () -> Db.open(Options.builder(missing).readOnly(true).build()));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertFalse(Files.exists(missing));
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThrows(StorageException.class,
        () -> Db.open(Options.builder(empty).readOnly(true).build()));
    try (Stream<Path> s = Files.list(empty)) {
      assertEquals(0, s.count(), "nothing created");
    }
    assertThrows(IllegalArgumentException.class,
        () -> Options.inMemory().readOnly(true).build());
  }
}
