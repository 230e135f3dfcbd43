package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.Db;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import dev.sett.kv.WriteBatch;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key-value separation end to end: values at or above {@code valueThreshold} live in the value
 * log and the tree holds pointers; reads, iterators, flushes, compactions and reopens resolve
 * them; transaction limits count what enters the memtable; a pointer whose bytes are gone is a
 * {@link CorruptionException} naming the value log file, never a wrong or empty value.
 */
class ValueLogTest {
  @TempDir Path dir;

  private static byte[] value(int i, int size) {
    byte[] v = new byte[size];
    for (int j = 0; j < size; j++) {
      v[j] = (byte) (i * 131 + j * 7);
    }
    return v;
  }

  private static final int[] SIZES = {0, 10, 63, 64, 65, 1000, 20_000, 300_000};

  private List<Path> files(String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void separatedAndInlineValues_readBack_throughMemtablesTablesAndReopen() throws IOException {
    Options o = LsmModelTest.smallTree(dir).valueThreshold(64).valueLogFileSize(1 << 20)
        .memTableSize(256 << 10).build();
    try (Db db = Db.open(o)) {
      for (int round = 0; round < 20; round++) {
        for (int i = 0; i < SIZES.length; i++) {
          int id = round * 100 + i;
          db.update(txn -> txn.set(b("k" + id), value(id, SIZES[id % 100])));
        }
      }
      checkAll(db);
    }
    assertTrue(files(".vlog").size() > 1, "the value log rotated: " + files(".vlog"));
    try (Db db = Db.open(o)) {
      checkAll(db);
      db.flatten(1);
      checkAll(db);
    }
  }

  private static void checkAll(Db db) {
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < SIZES.length; i++) {
        int id = round * 100 + i;
        Item item = db.view(txn -> txn.get(b("k" + id)));
        assertEquals(SIZES[i], item.valueSize(), "k" + id);
        assertArrayEquals(value(id, SIZES[i]), item.value(), "k" + id);
      }
    }
    int seen = db.view(txn -> {
      int n = 0;
      try (KvIterator it = txn.newIterator(IteratorOptions.builder().build())) {
        for (it.rewind(); it.valid(); it.next()) {
          String k = new String(it.item().key());
          int id = Integer.parseInt(k.substring(1));
          assertArrayEquals(value(id, SIZES[id % 100]), it.item().value(), k);
          n++;
        }
      }
      return n;
    });
    assertEquals(20 * SIZES.length, seen);
  }

  /** Issue 13, item 5: the transaction limit counts what enters the memtable. */
  @Test
  void aTransactionAndABatchOfAThousand16KiBValues_work() {
    Options o = Options.builder(dir).valueThreshold(1024).build();
    try (Db db = Db.open(o)) {
      try (Txn txn = db.newTransaction(true)) {
        for (int i = 0; i < 1000; i++) {
          txn.set(b("t" + i), value(i, 16 << 10));
        }
        txn.commit();
      }
      try (WriteBatch batch = db.newWriteBatch()) {
        for (int i = 0; i < 1000; i++) {
          batch.set(b("w" + i), value(i + 7, 16 << 10));
        }
        batch.flush();
      }
      for (int i = 0; i < 1000; i += 37) {
        int id = i;
        assertArrayEquals(value(id, 16 << 10), db.view(txn -> txn.get(b("t" + id)).value()));
        assertArrayEquals(value(id + 7, 16 << 10),
            db.view(txn -> txn.get(b("w" + id)).value()));
      }
    }
  }

  @Test
  void deletesAndOverwritesOfSeparatedValues_behave() {
    Options o = Options.builder(dir).valueThreshold(16).build();
    try (Db db = Db.open(o)) {
      db.update(txn -> txn.set(b("a"), value(1, 100)));
      db.update(txn -> txn.set(b("a"), value(2, 5)));
      assertArrayEquals(value(2, 5), db.view(txn -> txn.get(b("a")).value()));
      db.update(txn -> txn.set(b("a"), value(3, 200)));
      db.update(txn -> txn.delete(b("a")));
      assertNull(db.view(txn -> txn.get(b("a"))));
    }
  }

  @Test
  void aPointerWhoseBytesAreGone_isCorruptionNamingTheValueLog() throws IOException {
    Options o = Options.builder(dir).valueThreshold(16).build();
    try (Db db = Db.open(o)) {
      db.update(txn -> txn.set(b("a"), value(1, 1000)));
    } // flushed to a table at close
    Path vlog = files(".vlog").get(0);
    try (RandomAccessFile f = new RandomAccessFile(vlog.toFile(), "rw")) {
      f.seek(f.length() - 10);
      f.write(0x5A ^ f.read()); // damage the value's last bytes
    }
    try (Db db = Db.open(o)) {
      Item item = db.view(txn -> txn.get(b("a")));
      assertEquals(1000, item.valueSize(), "the size comes from the pointer");
      CorruptionException e = assertThrows(CorruptionException.class, item::value);
      assertTrue(e.getMessage().contains(vlog.getFileName().toString()), e.getMessage());
    }
  }

  /**
   * A power loss can take the value log's unsynced tail while the WAL's unsynced tail survives:
   * the WAL's records that point past the value log's end are then a torn tail too (cut, not
   * reported as damage and never returned), and everything before them stays.
   */
  @Test
  void walRecordsPointingPastTheValueLogsEnd_areATornTail() throws IOException {
    Options o = Options.builder(dir).valueThreshold(16).build();
    SettDb db = SettDb.open(o, false);
    db.update(txn -> txn.set(b("inline"), b("small")));
    db.update(txn -> txn.set(b("first"), value(1, 100)));
    long vlogSizeAfterFirst = Files.size(files(".vlog").get(0));
    db.update(txn -> txn.set(b("second"), value(2, 100)));
    db.update(txn -> txn.set(b("after"), b("tiny")));
    db.close(false); // the WAL stays, as after a crash
    Path vlog = files(".vlog").get(0);
    try (RandomAccessFile f = new RandomAccessFile(vlog.toFile(), "rw")) {
      f.setLength(vlogSizeAfterFirst); // the second value never reached the disk
    }
    try (Db again = Db.open(o)) {
      assertEquals("small", Bytes.s(again.view(txn -> txn.get(b("inline")).value())));
      assertArrayEquals(value(1, 100), again.view(txn -> txn.get(b("first")).value()));
      assertNull(again.view(txn -> txn.get(b("second"))), "its value is gone: the commit is");
      assertNull(again.view(txn -> txn.get(b("after"))), "commits after a torn record are too");
      again.update(txn -> txn.set(b("new"), value(3, 100)));
      assertArrayEquals(value(3, 100), again.view(txn -> txn.get(b("new")).value()));
    }
  }

  /**
   * Iterators read separated values ahead (prefetchValues, bounded by prefetchSize): the same
   * items in the same order as without read-ahead, forward and backward, across seeks, with
   * values read by the iterator's own thread or the read-ahead threads alike.
   */
  @Test
  void readAhead_givesTheSameItemsAsWithout() {
    Options o = LsmModelTest.smallTree(dir).valueThreshold(32).build();
    try (Db db = Db.open(o)) {
      java.util.Random r = new java.util.Random(42);
      for (int i = 0; i < 600; i++) {
        int id = r.nextInt(400);
        int size = r.nextInt(100);
        if (r.nextInt(10) == 0) {
          db.update(txn -> txn.delete(b(String.format("k%04d", id))));
        } else {
          db.update(txn -> txn.set(b(String.format("k%04d", id)), value(id, size)));
        }
      }
      for (boolean reverse : new boolean[] {false, true}) {
        for (int prefetch : new int[] {1, 3, 100}) {
          List<String> plain = scan(db, IteratorOptions.builder().reverse(reverse)
              .prefetchValues(false).build(), r, 0);
          List<String> ahead = scan(db, IteratorOptions.builder().reverse(reverse)
              .prefetchValues(true).prefetchSize(prefetch).build(), r, 0);
          assertEquals(plain, ahead, "reverse=" + reverse + " prefetchSize=" + prefetch);
          long seed = r.nextLong();
          assertEquals(scan(db, IteratorOptions.builder().reverse(reverse).prefetchValues(false)
                  .build(), new java.util.Random(seed), 5),
              scan(db, IteratorOptions.builder().reverse(reverse).prefetchValues(true)
                  .prefetchSize(prefetch).build(), new java.util.Random(seed), 5),
              "with seeks: reverse=" + reverse + " prefetchSize=" + prefetch);
        }
      }
    }
  }

  /** Scans, seeking to a random key {@code seeks} times along the way; lists key=value hashes. */
  private static List<String> scan(Db db, IteratorOptions options, java.util.Random r,
      int seeks) {
    return db.view(txn -> {
      List<String> out = new java.util.ArrayList<>();
      try (KvIterator it = txn.newIterator(options)) {
        int seeksLeft = seeks;
        for (it.rewind(); it.valid(); it.next()) {
          Item item = it.item();
          out.add(Bytes.s(item.key()) + "=" + java.util.Arrays.hashCode(item.value()) + "/"
              + item.valueSize());
          if (seeksLeft > 0 && r.nextInt(20) == 0) {
            seeksLeft--;
            String to = String.format("k%04d", r.nextInt(400));
            out.add("seek " + to);
            it.seek(b(to));
            if (!it.valid()) {
              break;
            }
            Item at = it.item();
            out.add(Bytes.s(at.key()) + "=" + java.util.Arrays.hashCode(at.value()));
          }
        }
      }
      return out;
    });
  }

  /** db.stats() reports each value log file's size and the garbage compactions found in it. */
  @Test
  void stats_reportValueLogFilesAndTheirGarbage() throws IOException {
    Options o = LsmModelTest.smallTree(dir).valueThreshold(32).valueLogFileSize(1 << 20).build();
    try (Db db = Db.open(o)) {
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 300; i++) {
          int id = i;
          db.update(txn -> txn.set(b("k" + id), value(id, 1000)));
        }
      }
    } // every memtable flushed: the old versions are in tables now
    try (Db db = Db.open(o)) {
      db.flatten(1); // drops them: their value log records become garbage
      dev.sett.kv.DbStats s = db.stats();
      long onDisk = 0;
      for (Path p : files(".vlog")) {
        onDisk += Files.size(p);
      }
      assertEquals(files(".vlog").size(), s.valueLogFiles().size());
      assertEquals(onDisk, s.valueLogBytes(), "sizes of the .vlog files");
      // Four of the five rounds were overwritten: after the flatten most of it is known garbage.
      assertTrue(s.valueLogGarbageBytes() > onDisk / 2, s.valueLogGarbageBytes() + " of " + onDisk);
      assertTrue(s.valueLogGarbageBytes() <= onDisk);
    }
  }
}
