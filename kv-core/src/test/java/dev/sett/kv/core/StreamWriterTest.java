package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DbStats;
import dev.sett.kv.Entry;
import dev.sett.kv.Item;
import dev.sett.kv.LevelStats;
import dev.sett.kv.Options;
import dev.sett.kv.StreamWriter;
import dev.sett.kv.Txn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Db#newStreamWriter}: sorted data becomes last-level tables without the WAL, read back
 * alike at every version, durable across reopen; commits wait their turn (refused) while it is
 * open; out-of-order input, a non-empty database and a second writer are refused; cancel and
 * close leave nothing behind.
 */
class StreamWriterTest {
  @TempDir Path dir;

  private Options.Builder tree() {
    return LsmModelTest.separateValues(LsmModelTest.smallTree(dir), 256).managedTxns(true);
  }

  private static String readAt(Db db, String key, long ts) {
    try (Txn t = db.newTransactionAt(ts, false)) {
      Item it = t.get(b(key));
      return it == null ? null : it.version() + ":" + it.value().length + ":" + it.value()[0];
    }
  }

  private long sstFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".sst")).count();
    }
  }

  @Test
  void sortedData_becomesLastLevelTables_readAlikeAtEveryVersion_andSurvivesReopen() {
    long seed = System.nanoTime();
    System.out.println("StreamWriterTest seed " + seed);
    Random rnd = new Random(seed);
    // The model: key -> version -> value (null for a deletion), newest version first.
    TreeMap<String, TreeMap<Long, byte[]>> model = new TreeMap<>();
    for (int k = 0; k < 3000; k++) {
      TreeMap<Long, byte[]> versions = new TreeMap<>(java.util.Comparator.reverseOrder());
      int n = 1 + rnd.nextInt(3);
      for (int i = 0; i < n; i++) {
        long v = 1 + rnd.nextInt(100);
        byte[] value = new byte[rnd.nextInt(5) == 0 ? 300 + rnd.nextInt(500) : 1 + rnd.nextInt(30)];
        value[0] = (byte) v;
        versions.put(v, i > 0 && rnd.nextInt(6) == 0 ? null : value);
      }
      model.put(String.format("key%05d", k), versions);
    }
    try (Db db = Db.open(tree().build())) {
      long walBefore = db.stats().walBytesWritten();
      try (StreamWriter w = db.newStreamWriter()) {
        for (var e : model.entrySet()) {
          for (var v : e.getValue().entrySet()) {
            if (v.getValue() == null) {
              w.delete(b(e.getKey()), v.getKey());
            } else {
              w.write(Entry.of(b(e.getKey()), v.getValue()), v.getKey());
            }
          }
        }
        assertNull(readAt(db, "key00000", 1000), "nothing visible before the flush");
        long written = w.flush();
        assertEquals(model.values().stream().mapToInt(TreeMap::size).sum(), written);
      }
      DbStats s = db.stats();
      assertEquals(walBefore, s.walBytesWritten(), "nothing went through the WAL");
      List<LevelStats> levels = s.levels();
      for (int i = 0; i < levels.size() - 1; i++) {
        assertEquals(0, levels.get(i).tables(), "only the last level: " + levels);
      }
      assertTrue(levels.get(levels.size() - 1).tables() > 1, "several tables: " + levels);
      check(db, model);
    }
    try (Db db = Db.open(tree().build())) {
      check(db, model);
    }
  }

  private static void check(Db db, TreeMap<String, TreeMap<Long, byte[]>> model) {
    for (var e : model.entrySet()) {
      for (long ts = 0; ts <= 101; ts += 5) {
        String want = null;
        for (var v : e.getValue().entrySet()) { // newest first
          if (v.getKey() <= ts) {
            want = v.getValue() == null ? null
                : v.getKey() + ":" + v.getValue().length + ":" + v.getValue()[0];
            break;
          }
        }
        assertEquals(want, readAt(db, e.getKey(), ts), e.getKey() + " at " + ts);
      }
    }
  }

  @Test
  void commitsAreRefusedWhileItIsOpen_andNewerThanEverythingItWroteAfter() {
    try (Db db = Db.open(LsmModelTest.smallTree(dir).build())) {
      StreamWriter w = db.newStreamWriter();
      w.write(Entry.of(b("a"), b("loaded")), 500);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> db.update(t -> t.set(b("b"), b("x"))));
      assertTrue(e.getMessage().contains("stream writer"), e.getMessage());
      assertThrows(IllegalStateException.class, db::newStreamWriter, "one at a time");
      w.flush();
      assertThrows(IllegalStateException.class, () -> w.write(Entry.of(b("z"), b("z")), 1),
          "flushed");
      db.update(t -> t.set(b("b"), b("x")));
      assertTrue(db.view(t -> t.get(b("b")).version()) > 500);
      assertEquals("loaded", db.view(t -> new String(t.get(b("a")).value())));
      IllegalStateException notEmpty = assertThrows(IllegalStateException.class,
          db::newStreamWriter);
      assertTrue(notEmpty.getMessage().contains("dropAll"), notEmpty.getMessage());
      db.dropAll();
      try (StreamWriter again = db.newStreamWriter()) {
        again.write(Entry.of(b("c"), b("v")), 1);
        again.flush();
      }
      assertArrayEquals(b("v"), db.view(t -> t.get(b("c")).value()));
    }
  }

  /**
   * Asking for a stream writer on a database that holds data (as every load does) never refuses
   * a commit made beside it: it was registered for a moment before the emptiness check, and a
   * commit in that moment failed.
   */
  @Test
  void refusedStreamWriters_neverRefuseCommitsBesideThem() throws Exception {
    try (Db db = Db.open(LsmModelTest.smallTree(dir).build())) {
      db.update(t -> t.set(b("x"), b("0")));
      AtomicBoolean done = new AtomicBoolean();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread asker = new Thread(() -> {
        while (!done.get()) {
          try {
            db.newStreamWriter().cancel();
            failed.set(new AssertionError("a stream writer on a database that holds data"));
          } catch (IllegalStateException expected) {
            // not empty
          }
        }
      });
      asker.start();
      try {
        for (int i = 0; i < 20_000; i++) {
          int n = i;
          db.update(t -> t.set(b("x"), b(Integer.toString(n))));
        }
      } finally {
        done.set(true);
        asker.join();
      }
      assertNull(failed.get());
    }
  }

  @Test
  void badInput_isRefused_andTheWriterGoesOn() {
    try (Db db = Db.open(LsmModelTest.smallTree(dir).build());
        StreamWriter w = db.newStreamWriter()) {
      w.write(Entry.of(b("b"), b("1")), 10);
      assertThrows(IllegalArgumentException.class, () -> w.write(Entry.of(b("a"), b("1")), 5));
      assertThrows(IllegalArgumentException.class, () -> w.write(Entry.of(b("b"), b("1")), 10),
          "a version again");
      assertThrows(IllegalArgumentException.class, () -> w.write(Entry.of(b("b"), b("1")), 11),
          "versions newest first");
      assertThrows(IllegalArgumentException.class, () -> w.write(Entry.of(b("c"), b("1")), 0));
      assertThrows(NullPointerException.class, () -> w.write(null, 1));
      w.write(Entry.of(b("b"), b("0")).withTtl(Duration.ofHours(1)), 9);
      w.write(Entry.of(b("c"), b("2")), 3);
      assertEquals(3, w.flush());
      assertEquals("2", db.view(t -> new String(t.get(b("c")).value())));
    }
  }

  @Test
  void cancel_andClose_leaveNothingBehind() throws IOException {
    try (Db db = Db.open(LsmModelTest.smallTree(dir).build())) {
      StreamWriter w = db.newStreamWriter();
      for (int i = 0; i < 5000; i++) {
        w.write(Entry.of(b(String.format("k%05d", i)), new byte[100]), 1);
      }
      assertTrue(sstFiles() > 0, "tables were being written");
      w.cancel();
      w.cancel(); // idempotent
      assertEquals(0, sstFiles(), "deleted");
      assertNull(db.view(t -> t.get(b("k00001"))));
      db.update(t -> t.set(b("x"), b("y"))); // commits run again
    }
    Path other = dir.resolve("other");
    Db db = Db.open(LsmModelTest.smallTree(other).build());
    StreamWriter w = db.newStreamWriter();
    for (int i = 0; i < 5000; i++) {
      w.write(Entry.of(b(String.format("k%05d", i)), new byte[100]), 1);
    }
    db.close(); // cancels it
    assertThrows(IllegalStateException.class, () -> w.write(Entry.of(b("z"), b("1")), 1));
    try (Db again = Db.open(LsmModelTest.smallTree(other).build())) {
      assertNull(again.view(t -> t.get(b("k00001"))));
    }
  }
}
