package dev.sett.kv.core;

import dev.sett.kv.Db;
import dev.sett.kv.Options;
import dev.sett.kv.Sequence;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child JVM of {@link SequenceCrashTest}: two threads take numbers from one sequence and
 * print each one ({@code N <thread> <number>}) after {@code next()} returned it, until the parent
 * kills the process.
 */
public final class SequenceChild {
  private SequenceChild() {}

  /**
   * Runs the workload.
   *
   * @param args directory, bandwidth
   * @throws Exception on failure (the parent then sees no more numbers)
   */
  public static void main(String[] args) throws Exception {
    Db db = Db.open(Options.builder(Path.of(args[0])).memTableSize(64 << 10).build());
    Sequence seq = db.getSequence("sequence".getBytes(), Long.parseLong(args[1]));
    PrintStream out = System.out;
    out.println("OPEN");
    out.flush();
    Thread[] threads = new Thread[2];
    for (int t = 0; t < threads.length; t++) {
      int id = t;
      threads[t] = new Thread(() -> {
        while (true) {
          long n = seq.next();
          synchronized (out) {
            out.println("N " + id + " " + n);
            out.flush();
          }
        }
      }, "sequence-child-" + t);
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }
}
