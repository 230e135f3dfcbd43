package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvIterator;
import dev.sett.kv.MergeOperator;
import dev.sett.kv.Options;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Db#getMergeOperator}: folds in order, operands kept by compactions and value log garbage
 * collection whatever {@code numVersionsToKeep} says, background merges that replace the operands,
 * concurrent adds beside merges losing nothing, stop and close, and misuse.
 */
@Timeout(120)
class MergeOperatorTest {
  @TempDir Path dir;
  private static final byte[] K = b("merged");
  private static final Duration NEVER = Duration.ofHours(1);

  private static final BinaryOperator<byte[]> CONCAT = (older, merged) -> {
    byte[] out = new byte[older.length + merged.length];
    System.arraycopy(older, 0, out, 0, older.length);
    System.arraycopy(merged, 0, out, older.length, merged.length);
    return out;
  };

  /** Sums 8-byte big-endian numbers; a value of another size (padding) counts its first 8. */
  private static final BinaryOperator<byte[]> SUM = (older, merged) ->
      num(ByteBuffer.wrap(older).getLong() + ByteBuffer.wrap(merged).getLong(), merged.length);

  private static byte[] num(long n, int size) {
    return ByteBuffer.allocate(Math.max(8, size)).putLong(0, n).array();
  }

  private static long sum(MergeOperator op) {
    return ByteBuffer.wrap(op.get()).getLong();
  }

  private Options.Builder tree() {
    return LsmModelTest.smallTree(dir);
  }

  /** The versions of K an allVersions iterator shows. */
  private static int versions(Db db) {
    return db.view(t -> {
      int n = 0;
      try (KvIterator it = t.newKeyIterator(K, IteratorOptions.builder().allVersions(true)
          .build())) {
        for (it.rewind(); it.valid(); it.next()) {
          n++;
        }
      }
      return n;
    });
  }

  @Test
  void get_foldsEveryOperand_oldestFirst_whileAPlainGetSeesTheNewest() {
    try (Db db = Db.open(tree().build());
        MergeOperator op = db.getMergeOperator(K, CONCAT, NEVER)) {
      assertNull(op.get());
      op.add(b("a"));
      op.add(b("b"));
      op.add(b("c"));
      assertArrayEquals(b("abc"), op.get());
      assertArrayEquals(b("c"), db.view(t -> t.get(K).value()));
      db.update(t -> t.delete(K));
      assertNull(op.get(), "a deletion ends the fold");
      op.add(b("d"));
      assertArrayEquals(b("d"), op.get());
    }
  }

  @Test
  void operands_surviveCompactions_withOneVersionToKeep() {
    try (Db db = Db.open(tree().numVersionsToKeep(1).build());
        MergeOperator op = db.getMergeOperator(K, SUM, NEVER)) {
      for (int i = 1; i <= 300; i++) {
        op.add(num(i, 400)); // 120 KB in all: flushed to tables
        if (i % 100 == 0) {
          db.flatten(1); // compactions at a discard timestamp above every operand
        }
      }
      assertEquals(300 * 301 / 2, sum(op));
      assertEquals(300, versions(db), "every operand is kept, and shown");
    }
  }

  @Test
  void operandsInTheValueLog_surviveItsGarbageCollection() {
    Options o = LsmModelTest.separateValues(tree(), 256).valueLogGcInterval(Duration.ZERO)
        .build();
    try (Db db = Db.open(o); MergeOperator op = db.getMergeOperator(K, SUM, NEVER)) {
      for (int i = 1; i <= 400; i++) {
        op.add(num(i, 600)); // separated
        for (int j = 0; j < 3; j++) {
          db.update(t -> t.set(b("filler"), new byte[600])); // garbage beside the operands
        }
      }
      db.flatten(1); // counts the filler's garbage
      int rounds = 0;
      while (db.runValueLogGc(0.5) && rounds < 50) {
        rounds++;
      }
      assertTrue(db.stats().valueLogFilesCollected() > 0, "files were collected");
      assertEquals(400 * 401 / 2, sum(op));
    }
  }

  @Test
  void backgroundMerges_replaceTheOperands_andConcurrentAddsLoseNothing() throws Exception {
    try (Db db = Db.open(tree().build())) {
      KeyMergeOperator op = (KeyMergeOperator) db.getMergeOperator(K, SUM, Duration.ofMillis(1));
      int threads = 4;
      int each = 500;
      List<Thread> adders = new ArrayList<>();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      for (int t = 0; t < threads; t++) {
        Thread th = new Thread(() -> {
          try {
            for (int i = 1; i <= each; i++) {
              op.add(num(i, 8));
            }
          } catch (Throwable e) {
            failed.set(e);
          }
        });
        adders.add(th);
        th.start();
      }
      for (Thread th : adders) {
        th.join();
      }
      assertNull(failed.get());
      // The round in flight now may have begun before the last add; the one after it did not.
      op.awaitRounds(op.rounds() + 2);
      assertEquals((long) threads * each * (each + 1) / 2, sum(op));
      assertEquals(1, versions(db), "one merged value in place of the operands");
      op.stop();
      assertEquals((long) threads * each * (each + 1) / 2, sum(op));
    }
  }

  @Test
  void stop_mergesOnceMore_andCloseStopsTheRest() {
    try (Db db = Db.open(tree().build())) {
      MergeOperator op = db.getMergeOperator(K, SUM, NEVER);
      for (int i = 1; i <= 10; i++) {
        op.add(num(i, 8));
      }
      assertEquals(10, versions(db));
      op.stop();
      op.stop(); // idempotent
      assertEquals(1, versions(db));
      assertEquals(55, sum(op), "get still works after stop");
      assertThrows(IllegalStateException.class, () -> op.add(num(1, 8)));
      MergeOperator open = db.getMergeOperator(K, SUM, NEVER);
      open.add(num(45, 8));
      assertEquals(2, versions(db));
    } // close stops the second operator, merging once more
    try (Db db = Db.open(tree().build());
        MergeOperator op = db.getMergeOperator(K, SUM, NEVER)) {
      assertEquals(1, versions(db), "merged at close");
      assertEquals(100, sum(op));
    }
  }

  @Test
  void misuse_isRefused() {
    try (Db db = Db.open(tree().build())) {
      assertThrows(NullPointerException.class, () -> db.getMergeOperator(K, null, NEVER));
      assertThrows(NullPointerException.class, () -> db.getMergeOperator(K, SUM, null));
      assertThrows(IllegalArgumentException.class,
          () -> db.getMergeOperator(K, SUM, Duration.ZERO));
      assertThrows(IllegalArgumentException.class,
          () -> db.getMergeOperator(new byte[0], SUM, NEVER));
      MergeOperator broken = db.getMergeOperator(K, (a, m) -> null, NEVER);
      broken.add(b("x"));
      broken.add(b("y"));
      NullPointerException e = assertThrows(NullPointerException.class, broken::get);
      assertTrue(e.getMessage().contains("merge function"), e.getMessage());
      assertThrows(NullPointerException.class, broken::stop, "its last merge fails");
      assertThrows(IllegalStateException.class, () -> broken.add(b("z")), "stopped anyway");
      db.update(t -> t.delete(K)); // the database goes on
    }
    try (Db db = Db.open(Options.inMemory().memTableSize(256 << 10).managedTxns(true).build())) {
      assertThrows(IllegalStateException.class, () -> db.getMergeOperator(K, SUM, NEVER));
    }
    Db closed = Db.open(Options.inMemory().memTableSize(256 << 10).build());
    MergeOperator op = closed.getMergeOperator(K, SUM, NEVER);
    MergeOperator failing = closed.getMergeOperator(b("other"), (a, m) -> null, NEVER);
    failing.add(b("x"));
    failing.add(b("y"));
    closed.close(); // the failing last merge is logged; the close goes on
    assertThrows(IllegalStateException.class, () -> op.add(num(1, 8)), "stopped at close");
    assertThrows(DbClosedException.class, op::get);
    assertThrows(DbClosedException.class, () -> closed.getMergeOperator(K, SUM, NEVER));
  }
}
