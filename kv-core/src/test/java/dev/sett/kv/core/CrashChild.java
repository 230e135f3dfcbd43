package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;

import dev.sett.kv.Db;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of {@link CrashLoopTest}: commits transactions from two threads until it is killed
 * and prints {@code ACK <id>} after each commit returns. Transaction {@code id} works on the four
 * keys {@code s<slot>/0..3}, slot = id % {@value #SLOTS}: it deletes them when {@link
 * #isDelete(long)}, else sets them to the value {@code id}; either way it sets {@code l<slot>} to
 * {@code id}, so the parent knows which transaction a slot must reflect even when it was a
 * deletion whose ack the kill swallowed. The database runs with 64 KiB
 * memtables and tiny levels, so flushes and compactions are under way at every kill.
 *
 * <p>With {@code separate}, values of 64 bytes and more go to a value log of 1 MiB files that
 * also rotates every {@value #VALUE_LOG_MAX_ENTRIES} records, and each value is its transaction id
 * padded with 40 to 104 bytes that depend on the id and the key ({@link #value}), so most
 * transactions write values on both sides of the threshold and kills land in value log appends
 * and rotations. Value log garbage collection runs in the background every few milliseconds at
 * a low ratio (every other round deletes the slots, so files turn to garbage fast): kills land
 * inside its rewrites and deletions too.
 *
 * <p>With {@code managed}, the database runs in managed mode: transaction {@code id} reads at
 * {@code id} and commits at {@code id + 1} (the two threads commit out of timestamp order), and
 * every hundredth transaction raises the discard timestamp to 1,000 below its own, so
 * compactions and value log garbage collection drop old versions while kills land.
 */
public final class CrashChild {
  static final int SLOTS = 500;
  /** The value log's rotation by record count when values are separated. */
  static final int VALUE_LOG_MAX_ENTRIES = 1000;

  private CrashChild() {}

  /** Every other round over the slots deletes them. */
  static boolean isDelete(long id) {
    return (id / SLOTS) % 2 == 1;
  }

  /** The options of the child and of the parent's check. */
  static Options options(Path dir, boolean sync, boolean separate, boolean managed) {
    Options.Builder b = LsmModelTest.smallTree(dir).syncWrites(sync).managedTxns(managed);
    if (separate) {
      LsmModelTest.separateValues(b, 64).valueLogMaxEntries(VALUE_LOG_MAX_ENTRIES)
          .valueLogGcInterval(java.time.Duration.ofMillis(5)).valueLogGcDiscardRatio(0.2);
    }
    return b.build();
  }

  /**
   * The value transaction {@code id} sets key {@code j} to (j = 4 is {@code l<slot>}): the id,
   * and with {@code separate} a '/' and 40 to 104 bytes of padding that depend on the id and j.
   */
  static String value(long id, int j, boolean separate) {
    return separate ? id + "/" + ".".repeat(40 + (int) ((id * 7 + j * 13) % 65))
        : Long.toString(id);
  }

  /** The transaction id a value holds. */
  static long idOf(String value) {
    int slash = value.indexOf('/');
    return Long.parseLong(slash < 0 ? value : value.substring(0, slash));
  }

  /**
   * Runs the workload.
   *
   * @param args directory, syncWrites, first transaction id, separate values (default false),
   *     managed mode (default false)
   * @throws Exception on failure (the parent then sees no more acks)
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    boolean sync = Boolean.parseBoolean(args[1]);
    AtomicLong next = new AtomicLong(Long.parseLong(args[2]));
    boolean separate = args.length > 3 && Boolean.parseBoolean(args[3]);
    boolean managed = args.length > 4 && Boolean.parseBoolean(args[4]);
    PrintStream out = System.out;
    Db db = Db.open(options(dir, sync, separate, managed));
    out.println("OPEN");
    out.flush();
    Runnable work = () -> {
      while (true) {
        long id = next.getAndIncrement();
        long slot = id % SLOTS;
        boolean delete = isDelete(id);
        try (Txn txn = managed ? db.newTransactionAt(id, true) : db.newTransaction(true)) {
          for (int j = 0; j < 4; j++) {
            if (delete) {
              txn.delete(b("s" + slot + "/" + j));
            } else {
              txn.set(b("s" + slot + "/" + j), b(value(id, j, separate)));
            }
          }
          // Which transaction touched the slot last.
          txn.set(b("l" + slot), b(value(id, 4, separate)));
          if (managed) {
            txn.commitAt(id + 1);
            if (id % 100 == 0) {
              db.setDiscardTs(Math.max(0, id - 1000));
            }
          } else {
            txn.commit();
          }
        }
        synchronized (out) {
          out.println("ACK " + id);
          out.flush();
        }
      }
    };
    Thread t = new Thread(work, "crash-child-writer");
    t.start();
    work.run();
  }
}
