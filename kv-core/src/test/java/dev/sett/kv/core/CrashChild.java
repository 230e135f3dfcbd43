package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;

import dev.sett.kv.Db;
import dev.sett.kv.Options;
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
 */
public final class CrashChild {
  static final int SLOTS = 500;

  private CrashChild() {}

  /** Every other round over the slots deletes them. */
  static boolean isDelete(long id) {
    return (id / SLOTS) % 2 == 1;
  }

  /** The options of the child and of the parent's check. */
  static Options options(Path dir, boolean sync) {
    return LsmModelTest.smallTree(dir).syncWrites(sync).build();
  }

  /**
   * Runs the workload.
   *
   * @param args directory, syncWrites, first transaction id
   * @throws Exception on failure (the parent then sees no more acks)
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    boolean sync = Boolean.parseBoolean(args[1]);
    AtomicLong next = new AtomicLong(Long.parseLong(args[2]));
    PrintStream out = System.out;
    Db db = Db.open(options(dir, sync));
    out.println("OPEN");
    out.flush();
    Runnable work = () -> {
      while (true) {
        long id = next.getAndIncrement();
        long slot = id % SLOTS;
        byte[] v = b(Long.toString(id));
        boolean delete = isDelete(id);
        db.update(txn -> {
          for (int j = 0; j < 4; j++) {
            if (delete) {
              txn.delete(b("s" + slot + "/" + j));
            } else {
              txn.set(b("s" + slot + "/" + j), v);
            }
          }
          txn.set(b("l" + slot), v); // which transaction touched the slot last
        });
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
