package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.kv.Db;
import dev.sett.kv.Sequence;
import dev.sett.kv.testkit.TestSeeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sequence across crashes: a child JVM ({@link SequenceChild}) hands out numbers on two
 * threads and is killed (SIGKILL) after a random count; the next child, and finally this JVM,
 * reopen the directory and go on. The model is the set of every number any child printed: no
 * number may appear twice, and each thread's numbers rise. Cycles: {@code
 * -Dsett.sequence.cycles} (8 by default, 100 with -Pstress); the seed is printed.
 */
class SequenceCrashTest {
  @TempDir Path root;

  @Test
  void killedChildren_neverHandOutANumberTwice(TestInfo info) throws Exception {
    long seed = TestSeeds.seed(info);
    Random r = new Random(seed);
    int cycles = Integer.getInteger("sett.sequence.cycles", 8);
    Path dir = Files.createDirectories(root.resolve("db"));
    Map<Long, String> seen = new HashMap<>(); // number -> where it was handed out
    for (int cycle = 0; cycle < cycles; cycle++) {
      long bandwidth = 1 + r.nextInt(50);
      int killAfter = 1 + r.nextInt(3000);
      String where = "cycle " + cycle + " (seed " + TestSeeds.format(seed) + ", bandwidth "
          + bandwidth + ")";
      ChildJvm child = ChildJvm.start(root.resolve("child" + cycle + ".err"), "128m",
          SequenceChild.class, dir.toString(), Long.toString(bandwidth));
      long[] last = {-1, -1};
      int got = 0;
      List<String> rest;
      try {
        while (got < killAfter) {
          String line = child.poll(60);
          if (line == null || line.equals(ChildJvm.EOF)) {
            fail(where + ": the child stopped handing out numbers; its stderr:\n"
                + child.stderrTail());
          }
          if (line.startsWith("N ")) {
            got++;
            check(line, last, seen, where);
          }
        }
      } finally {
        rest = child.kill();
      }
      for (String line : rest) { // printed between our last read and the kill
        if (line.startsWith("N ")) {
          check(line, last, seen, where);
        }
      }
    }
    try (Db db = Db.open(dir)) {
      Sequence s = db.getSequence("sequence".getBytes(), 10);
      for (int i = 0; i < 10; i++) {
        long n = s.next();
        assertTrue(!seen.containsKey(n), "after the last crash, " + n + " again (first "
            + seen.get(n) + ")");
      }
    }
    System.out.println("SequenceCrashTest: " + seen.size() + " numbers in " + cycles
        + " killed children, none twice (seed " + TestSeeds.format(seed) + ")");
  }

  private static void check(String line, long[] last, Map<Long, String> seen, String where) {
    String[] f = line.split(" ");
    int thread = Integer.parseInt(f[1]);
    long n = Long.parseLong(f[2]);
    assertTrue(n > last[thread], where + ": thread " + thread + " got " + n + " after "
        + last[thread]);
    last[thread] = n;
    String before = seen.putIfAbsent(n, where);
    if (before != null) {
      fail(n + " handed out twice: in " + before + " and in " + where);
    }
  }
}
