package dev.sett.kv.cli;

import static dev.sett.kv.cli.CliRun.sett;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --sweep}: one real two-point sweep whose points run in fresh JVMs, and the checks
 * that refuse a bad sweep before any point runs; also the bench options the sweep builds on
 * ({@code --value-size uniform:}, {@code --option}).
 */
class BenchSweepTest {

  @TempDir Path tmp;

  private static double cell(List<String> header, String row, String column) {
    return Double.parseDouble(row.split(",", -1)[header.indexOf(column)]);
  }

  @Test
  void twoPointSweep_runsEachPointInAFreshJvm_andWritesResultsAndPlots() throws IOException {
    Path out = tmp.resolve("sweep");
    CliRun r = sett("bench", "--keys", "2k", "--value-size", "uniform:16..2k",
        "--settle-seconds", "0", "--seed", "0x5eed", "--sweep", "valueThreshold=64,1k",
        "--out", out.toString());
    assertEquals(0, r.exitCode(), r::toString);

    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(3, lines.size(), lines::toString);
    List<String> header = Arrays.asList(lines.get(0).split(","));
    for (String row : lines.subList(1, 3)) {
      for (String column : new String[] {"load_ops_per_s", "read_ops_per_s", "load_mb_per_s",
          "get_p99_us", "write_amp", "space_amp", "disk_bytes", "peak_heap_bytes"}) {
        assertTrue(cell(header, row, column) > 0, column + " in " + row);
      }
    }
    assertTrue(lines.get(1).startsWith("valueThreshold,64,64,"), lines.get(1));
    assertTrue(lines.get(2).startsWith("valueThreshold,1k,1024,"), lines.get(2));
    // Same seed, same data: a lower threshold sends more of it to the value log.
    assertTrue(cell(header, lines.get(1), "value_log_bytes")
        > cell(header, lines.get(2), "value_log_bytes"), lines::toString);
    assertEquals(cell(header, lines.get(1), "user_bytes"),
        cell(header, lines.get(2), "user_bytes"));

    for (String file : new String[] {"throughput.svg", "write-amplification.svg",
        "space-amplification.svg", "read-latency.svg", "index.html"}) {
      assertTrue(Files.size(out.resolve(file)) > 1000, file);
    }
    Path point = out.resolve("points").resolve("1-valueThreshold-64");
    String bench = Files.readString(point.resolve("bench.txt"));
    assertTrue(bench.contains("all 2,000 keys read back with the right value"), bench);
    assertTrue(bench.contains("seed 0x0000000000005eed"), bench);
    assertTrue(bench.contains("options    valueThreshold=64"), bench);
    assertFalse(Files.exists(point.resolve("db")), "a point's database is deleted once measured");

    assertTrue(r.err().contains("sweep 1/2 valueThreshold=64: starting"), r::toString);
    assertTrue(r.err().contains("sweep 2/2 valueThreshold=1k: starting, about"), r::toString);
    assertTrue(r.out().contains("rerun      sett bench --keys 2k --value-size uniform:16..2k"
        + " --settle-seconds 0 --sweep valueThreshold=64,1k --out " + out
        + " --seed 0x0000000000005eed"), r::toString);
    assertTrue(r.out().contains("results    " + out.resolve("results.csv")), r::toString);
  }

  private void assertRefusedBeforeAnyRun(String message, String... args) {
    CliRun r = sett(args);
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains(message), "'" + message + "' in\n" + r);
    assertFalse(Files.exists(tmp.resolve("sweep")), "nothing created: " + r);
  }

  @Test
  void badSweeps_areUsageErrorsBeforeAnyPointRuns() {
    String out = tmp.resolve("sweep").toString();
    assertRefusedBeforeAnyRun("--sweep needs --out DIR",
        "bench", "--sweep", "valueThreshold=64,1k");
    assertRefusedBeforeAnyRun("--out is only used with --sweep", "bench", "--out", out,
        "--dir", tmp.resolve("db").toString(), "--keys", "10");
    assertRefusedBeforeAnyRun("--dir is not used with --sweep", "bench", "--dir", "x",
        "--sweep", "valueThreshold=64", "--out", out);
    assertRefusedBeforeAnyRun(
        "Invalid value for option '--sweep': valueThreshold: 'abc' is not a"
            + " size in bytes such as 64, 4k or 1m",
        "bench", "--sweep", "valueThreshold=64,abc", "--out", out);
    assertRefusedBeforeAnyRun(
        "valueThreshold is given twice: by --value-threshold (1024) and by --sweep (64)",
        "bench", "--value-threshold", "1k", "--sweep", "valueThreshold=64,1k", "--out", out);
    // The last point cannot run (2,000 puts of 1 KiB do not fit one commit of a 64 KiB
    // memtable): refused before the first runs.
    assertRefusedBeforeAnyRun("--sweep memTableSize=64k: --batch 2000 does not fit in one commit",
        "bench", "--value-size", "1k", "--batch", "2000", "--sweep",
        "memTableSize=64m,64k", "--out", out);
  }

  @Test
  void unregisteredProviderOrBadOption_isAUsageErrorBeforeTheDirectoryIsTouched() {
    String dir = tmp.resolve("sweep").toString(); // what assertRefusedBeforeAnyRun looks at
    assertRefusedBeforeAnyRun(
        "--compaction: compactionStrategy: 'teired' is not one of leveled, tiered",
        "bench", "--dir", dir, "--keys", "10", "--compaction", "teired");
    assertRefusedBeforeAnyRun("unknown option 'treshold'; settable: baseLevelSize",
        "bench", "--dir", dir, "--keys", "10", "--option", "treshold=1k");
  }

  @Test
  void anOutDirectoryWithOtherFiles_isLeftAlone() throws IOException {
    Path out = Files.createDirectories(tmp.resolve("sweep"));
    Files.writeString(out.resolve("notes.txt"), "mine");
    CliRun r = sett("bench", "--keys", "10", "--sweep", "valueThreshold=64", "--out",
        out.toString());
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("sett: error: refusing to write into"), r::toString);
    assertEquals("mine", Files.readString(out.resolve("notes.txt")));
  }

  @Test
  void uniformValueSizes_andAnOption_inAPlainBench() {
    CliRun r = sett("bench", "--dir", tmp.resolve("db").toString(), "--keys", "2000",
        "--value-size", "uniform:1..3k", "--value-threshold", "1k", "--option",
        "numCompactors=1", "--settle-seconds", "0", "--seed", "9");
    assertEquals(0, r.exitCode(), r::toString);
    for (String expected : new String[] {
        "values     1 B to 3.0 KiB (uniform, drawn per key from the seed)",
        "options    numCompactors=1", "all 2,000 keys read back with the right value",
        "disk write", "space amp", "--option numCompactors=1"}) {
      assertTrue(r.out().contains(expected), "missing '" + expected + "' in\n" + r);
    }
  }

  @Test
  void overwrites_areTimedAsAPhase_andTheLiveDataStaysTheBaseOfSpaceAmplification() {
    CliRun r = sett("bench", "--dir", tmp.resolve("db").toString(), "--keys", "2000",
        "--value-size", "1k", "--value-threshold", "512", "--overwrites", "3",
        "--settle-seconds", "0", "--seed", "9");
    assertEquals(0, r.exitCode(), r::toString);
    for (String expected : new String[] {"overwrite", "all 2,000 keys read back with the right"
        + " value", "of keys and values written in all; value log"}) {
      assertTrue(r.out().contains(expected), "missing '" + expected + "' in\n" + r);
    }
    CliRun bad = sett("bench", "--dir", tmp.resolve("db2").toString(), "--keys", "10",
        "--overwrites", "-1");
    assertEquals(2, bad.exitCode(), bad::toString);
    assertTrue(bad.err().contains("--overwrites must be in [0, 1000], got -1"), bad::toString);
  }
}
