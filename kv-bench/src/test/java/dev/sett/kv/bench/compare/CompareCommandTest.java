package dev.sett.kv.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The smoke form of {@code ./sett bench --compare}: the real runner, with its fresh JVMs, page
 * cache handling, peak-memory reading and reports, at a size that takes seconds. The real runs
 * never run in tests.
 */
class CompareCommandTest {
  @TempDir Path tmp;

  private int run(ByteArrayOutputStream out, String... args) {
    CommandLine cl = new CommandLine(new CompareCommand(
        new PrintStream(out, true, StandardCharsets.UTF_8)));
    cl.setErr(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
    return cl.execute(args);
  }

  @Test
  void compare_runsEveryStoreInFreshJvms_andWritesTheTablesAndCsv() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = run(out, "--compare", "rocksdb,lmdb", "--records", "300",
        "--workloads", "fillrandom-128-b1000,readrandom-128,ycsb-e-1k", "--heap", "256m",
        "--option", "memTableSize=4m", "--dir", tmp.resolve("data").toString(),
        "--out", tmp.resolve("out").toString());
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text);
    List<String> csv = Files.readAllLines(tmp.resolve("out").resolve("results.csv"));
    assertEquals(1 + 3 * 3, csv.size(), "a header and 3 rows x 3 stores:\n" + csv);
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",");
      assertTrue(Double.parseDouble(f[4]) > 0, "ops/s: " + line);
      assertEquals(f[15], f[16], "reads found what they should: " + line);
      if (!f[0].startsWith("ycsb")) {
        assertEquals("300", f[2], "every record was written or read: " + line);
      }
      assertTrue(Long.parseLong(f[12]) > 0, "the store's files have a size: " + line);
      if (Files.exists(Path.of("/proc/self/status"))) {
        assertTrue(Long.parseLong(f[11]) > 0, "peak RSS was read: " + line);
      }
    }
    assertEquals(1 + 3 * 2, Files.readAllLines(tmp.resolve("out").resolve("ratios.csv")).size());
    assertTrue(text.contains("| readrandom-128 |"), text);
    assertTrue(Files.readString(tmp.resolve("out").resolve("results.md"))
        .contains("sett/rocksdb"));
    try (var left = Files.list(tmp.resolve("data"))) {
      assertEquals(0, left.count(), "every run's directory is deleted");
    }
  }

  @Test
  void badArguments_areUsageErrors() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(2, run(out, "--compare", "mongodb"), out.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("mongodb"));
    out.reset();
    assertEquals(2, run(out, "--compare", "rocksdb", "--workloads", "nope"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("selects no row"));
  }

  @Test
  void list_namesTheRows_withScaledCounts() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, run(out, "--compare", "rocksdb", "--list", "--scale", "0.1"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("fillrandom-128  (100000 records)"), text);
    assertTrue(text.contains("fillrandom-16k  (10000 records)"), text);
    assertTrue(text.contains("ycsb-f-1k-uniform"), text);
  }
}
