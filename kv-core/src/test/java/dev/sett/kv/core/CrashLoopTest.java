package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static dev.sett.kv.core.Bytes.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.kv.Db;
import dev.sett.kv.Item;
import dev.sett.kv.testkit.TestSeeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that commits transactions with SIGKILL at a random moment, many times, and
 * checks after each kill that the database opens, every acknowledged transaction is present, no
 * transaction is half present and no acknowledged deletion is undone (the child's tiny memtables
 * and levels keep flushes and compactions running, so kills land in the middle of them). The kill point is chosen by a count of acknowledgements (an
 * event), not by time. Cycles: {@code -Dsett.crash.cycles} (40 by default, 500 with -Pstress),
 * per sync setting, split evenly between a child that keeps every value in the tree and one that
 * separates values of 64 bytes and more into a rotating value log ({@link CrashChild}), so kills
 * also land in value log appends and rotations; and a quarter as many again in managed mode with
 * a value log, its garbage collection and a moving discard timestamp.
 */
class CrashLoopTest {
  @TempDir Path root;

  @Test
  void killedChild_losesNoAcknowledgedTransaction(TestInfo info) throws Exception {
    run(info, false, false, false);
  }

  @Test
  void killedChild_withSyncWrites_losesNoAcknowledgedTransaction(TestInfo info)
      throws Exception {
    run(info, true, false, false);
  }

  @Test
  void killedChild_withValueLog_losesNoAcknowledgedTransaction(TestInfo info) throws Exception {
    run(info, false, true, false);
  }

  @Test
  void killedChild_withValueLogAndSyncWrites_losesNoAcknowledgedTransaction(TestInfo info)
      throws Exception {
    run(info, true, true, false);
  }

  /**
   * Managed mode, with a value log and its garbage collection: timestamps from the child, commits
   * out of timestamp order, and a discard timestamp that moves (a quarter of the cycles).
   */
  @Test
  void killedChild_inManagedModeWithValueLog_losesNoAcknowledgedTransaction(TestInfo info)
      throws Exception {
    run(info, false, true, true);
  }

  private void run(TestInfo info, boolean sync, boolean separate, boolean managed)
      throws Exception {
    long seed = TestSeeds.seed(info);
    Random r = new Random(seed);
    // The cycles are split between the variants with and without a value log.
    int all = Integer.getInteger("sett.crash.cycles", 40);
    int cycles = managed ? all / 4 : separate ? all / 2 : all - all / 2;
    Path dir = null;
    long[] lastAcked = new long[CrashChild.SLOTS];
    long nextId = 0;
    long acksInDir = 0;
    for (int cycle = 0; cycle < cycles; cycle++) {
      if (cycle % 50 == 0) { // start afresh now and then: fresh ids, fresh shapes
        dir = Files.createDirectories(root.resolve("db" + cycle));
        acksInDir = 0;
        java.util.Arrays.fill(lastAcked, -1);
      }
      int killAfter = 1 + r.nextInt(1500);
      long startId = nextId;
      ChildJvm child = ChildJvm.start(root.resolve("child" + cycle + ".err"), "256m",
          CrashChild.class, dir.toString(), Boolean.toString(sync), Long.toString(startId),
          Boolean.toString(separate), Boolean.toString(managed));
      long maxAck = startId - 1;
      int acks = 0;
      List<String> rest;
      try {
        while (acks < killAfter) {
          String line = child.poll(60);
          if (line == null || line.equals(ChildJvm.EOF)) {
            fail("child stopped acknowledging (cycle " + cycle + ", seed "
                + TestSeeds.format(seed) + (separate ? ", valueThreshold=64" : "") + "); its"
                + " stderr ends:\n" + child.stderrTail());
          }
          if (line.startsWith("ACK ")) {
            long id = Long.parseLong(line.substring(4));
            int slot = (int) (id % CrashChild.SLOTS);
            lastAcked[slot] = Math.max(lastAcked[slot], id);
            maxAck = Math.max(maxAck, id);
            acks++;
          }
        }
      } finally {
        rest = child.kill();
      }
      // Acks that arrived between our last read and the kill count too.
      for (String line : rest) {
        if (line.startsWith("ACK ")) {
          long id = Long.parseLong(line.substring(4));
          int slot = (int) (id % CrashChild.SLOTS);
          lastAcked[slot] = Math.max(lastAcked[slot], id);
          maxAck = Math.max(maxAck, id);
        }
      }

      long maxSeen = verify(dir, sync, separate, managed, lastAcked, "cycle " + cycle + " seed "
          + TestSeeds.format(seed) + (separate ? " valueThreshold=64" : "")
          + (managed ? " managed" : ""));
      nextId = Math.max(maxAck, maxSeen) + 1; // maxSeen covers ids that committed unacknowledged
      acksInDir += acks;
    }
    if (separate && dir != null) {
      long files = LsmModelTest.newestValueLogFile(dir); // GC deletes old files
      System.out.println("CrashLoopTest sync=" + sync + ": " + acksInDir + " acknowledgements, "
          + "newest value log file " + files + " in the last directory");
      if (acksInDir > 3 * CrashChild.VALUE_LOG_MAX_ENTRIES) {
        // A transaction writes two separated values on average: the kills met rotations.
        assertTrue(files >= 2, "the value log rotated: newest file " + files + " after " + acksInDir
            + " acknowledged transactions");
      }
    }
  }

  /** Every version of a key the tree still holds, newest first (for failure messages). */
  private static String history(Db db, byte[] key) {
    return db.view(txn -> {
      StringBuilder sb = new StringBuilder();
      try (dev.sett.kv.KvIterator it = txn.newKeyIterator(key,
          dev.sett.kv.IteratorOptions.builder().allVersions(true).build())) {
        for (it.rewind(); it.valid(); it.next()) {
          Item i = it.item();
          String v;
          try {
            v = i.isDeletedOrExpired() ? "deleted" : s(i.value());
          } catch (RuntimeException e) {
            v = e.toString();
          }
          sb.append(i.version()).append('=').append(v.length() > 12 ? v.substring(0, 12) : v)
              .append(' ');
        }
      }
      return sb.toString();
    });
  }

  /** Opens the database and checks every slot; returns the highest transaction id found. */
  private static long verify(Path dir, boolean sync, boolean separate, boolean managed,
      long[] lastAcked, String where) {
    long maxSeen = -1;
    try (Db db = Db.open(CrashChild.options(dir, sync, separate, managed))) {
      for (int slot = 0; slot < CrashChild.SLOTS; slot++) {
        int sl = slot;
        String[] vals = db.view(txn -> {
          String[] v = new String[5];
          for (int j = 0; j < 4; j++) {
            Item it = txn.get(b("s" + sl + "/" + j));
            v[j] = it == null ? null : s(it.value());
          }
          Item last = txn.get(b("l" + sl));
          v[4] = last == null ? null : s(last.value());
          return v;
        });
        String what = where + ": slot " + slot + " " + java.util.Arrays.toString(vals);
        long last = vals[4] == null ? -1 : CrashChild.idOf(vals[4]);
        if (vals[4] != null) {
          assertEquals(CrashChild.value(last, 4, separate), vals[4], what + " l" + slot);
        }
        if (lastAcked[slot] >= 0) {
          assertTrue(vals[4] != null && last >= lastAcked[slot],
              () -> what + " lost acknowledged transaction " + lastAcked[sl] + "; versions of l"
                  + sl + ": " + history(db, b("l" + sl)));
        }
        // The slot reflects exactly the last transaction that touched it: its four keys are
        // deleted (a deleted key that is back was resurrected) or all hold its values (else the
        // transaction is half present).
        for (int j = 0; j < 4; j++) {
          String want = vals[4] == null || CrashChild.isDelete(last)
              ? null : CrashChild.value(last, j, separate);
          assertEquals(want, vals[j], what + " does not match its last transaction");
        }
        if (vals[4] != null) {
          maxSeen = Math.max(maxSeen, last);
        }
      }
    }
    return maxSeen;
  }
}
