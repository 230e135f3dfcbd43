package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;

import dev.sett.kv.Db;
import dev.sett.kv.Options;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of {@link CrashLoopTest}: commits transactions from two threads until it is killed
 * and prints {@code ACK <id>} after each commit returns. Transaction {@code id} sets the four keys
 * {@code s<slot>/0..3} to the value {@code id}, slot = id % {@value #SLOTS}.
 */
public final class CrashChild {
  static final int SLOTS = 500;

  private CrashChild() {}

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
    Options o = Options.builder(dir).syncWrites(sync).memTableSize(1 << 20).numMemtables(64)
        .build();
    Db db = Db.open(o);
    out.println("OPEN");
    out.flush();
    Runnable work = () -> {
      while (true) {
        long id = next.getAndIncrement();
        long slot = id % SLOTS;
        byte[] v = b(Long.toString(id));
        db.update(txn -> {
          for (int j = 0; j < 4; j++) {
            txn.set(b("s" + slot + "/" + j), v);
          }
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
