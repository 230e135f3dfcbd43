package dev.sett.kv.cli;

import static dev.sett.kv.cli.CliRun.sett;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small {@code bench} runs: the summary's shape and the safety of the directory wipe. */
class BenchCommandTest {

  @TempDir Path tmp;

  private String dir() {
    return tmp.resolve("bench").toString();
  }

  @Test
  void smallBench_printsASummaryAndVerifiesEveryKey() {
    CliRun r = sett("bench", "--dir", dir(), "--keys", "2000", "--seed", "0x5eed");
    assertEquals(0, r.exitCode(), r::toString);
    String out = r.out();
    for (String expected : new String[] {
        "ops/s", "MB/s", "p50 us", "p99 us", "p999 us", "max us",
        "load   2,000", "read   2,000", "seed 0x0000000000005eed",
        "all 2,000 keys read back with the right value", "peak used",
        "rerun      sett bench --dir " + dir() + " --keys 2000 --seed 0x0000000000005eed"}) {
      assertTrue(out.contains(expected), "missing '" + expected + "' in\n" + r);
    }
    // Not a terminal: a progress line per tenth of each phase, on stderr only.
    assertTrue(r.err().contains("load: 100%  2,000/2,000"), r::toString);
    assertTrue(r.err().contains("read: 100%  2,000/2,000"), r::toString);
    assertFalse(r.err().contains("\r"), "no carriage returns off a terminal");
    assertFalse(out.contains("%  "), "no progress on stdout");
  }

  @Test
  void batchedBench_commitsManyPutsPerTransaction() {
    CliRun r = sett("bench", "--dir", dir(), "--keys", "2000", "--batch", "64",
        "--value-size", "1k", "--seed", "1");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("one db.update with 64 puts"), r::toString);
    assertTrue(r.out().contains("all 2,000 keys read back"), r::toString);
  }

  @Test
  void concurrentLoad_fourThreadsCommitTheirSlicesAndEveryKeyReadsBack() {
    CliRun r = sett("bench", "--dir", dir(), "--keys", "2000", "--threads", "4", "--seed", "2");
    assertEquals(0, r.exitCode(), r::toString);
    String out = r.out();
    for (String expected : new String[] {
        "4 threads committing at once", "one db.update with 1 put, over 4 threads",
        "load   2,000", "all 2,000 keys read back with the right value", "max us",
        "rerun      sett bench --dir " + dir() + " --keys 2000 --threads 4 --seed"}) {
      assertTrue(out.contains(expected), "missing '" + expected + "' in\n" + r);
    }
    // The watching thread draws the progress; the last tenth is drawn once the threads end.
    assertTrue(r.err().contains("load: 100%  2,000/2,000"), r::toString);
  }

  @Test
  void valueThreshold_sendsValuesToTheValueLog_andTheyReadBack() {
    CliRun r = sett("bench", "--dir", dir(), "--keys", "500", "--value-size", "2k",
        "--value-threshold", "1k", "--batch", "100", "--seed", "4");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("in the value log (valueThreshold 1.0 KiB)"), r::toString);
    assertTrue(r.out().contains("all 500 keys read back with the right value"), r::toString);
    CliRun bad = sett("bench", "--dir", dir(), "--keys", "10", "--value-threshold", "-1");
    assertEquals(2, bad.exitCode(), bad::toString);
  }

  @Test
  void concurrentLoad_unevenSlicesAndPartialBatches_writeEveryKeyOnce() {
    // 2,001 keys over 3 threads (667 each) in batches of 64: each slice ends on a partial batch.
    CliRun r = sett("bench", "--dir", dir(), "--keys", "2001", "--threads", "3", "--batch", "64",
        "--seed", "3");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("load   2,001"), r::toString);
    assertTrue(r.out().contains("all 2,001 keys read back with the right value"), r::toString);
  }

  @Test
  void threadsOutOfRange_isAUsageErrorBeforeAnythingIsCreated() {
    for (String bad : new String[] {"0", "-1", "1025"}) {
      CliRun r = sett("bench", "--dir", dir(), "--keys", "10", "--threads", bad);
      assertEquals(2, r.exitCode(), r::toString);
      assertTrue(r.err().startsWith("sett: --threads must be in [1, 1024], got " + bad),
          r::toString);
      assertFalse(Files.exists(tmp.resolve("bench")), "nothing created before the check");
    }
    CliRun notANumber = sett("bench", "--dir", dir(), "--keys", "10", "--threads", "four");
    assertEquals(2, notANumber.exitCode(), notANumber::toString);
    assertTrue(notANumber.err().contains("'four' is not an int"), notANumber::toString);
  }

  @Test
  void rerun_deletesThePreviousRunAndSaysSo() {
    assertEquals(0, sett("bench", "--dir", dir(), "--keys", "500").exitCode());
    CliRun second = sett("bench", "--dir", dir(), "--keys", "500");
    assertEquals(0, second.exitCode(), second::toString);
    assertTrue(second.out().matches("(?s).*\\(deleted \\d+ files of a previous run\\).*"),
        second::toString);
  }

  @Test
  void aDirectoryThatIsNotADatabase_isLeftAlone() throws IOException {
    Path precious = Files.createDirectories(tmp.resolve("bench")).resolve("thesis.tex");
    Files.writeString(precious, "years of work");
    CliRun r = sett("bench", "--dir", dir(), "--keys", "10");
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("sett: error: refusing to delete"), r::toString);
    assertEquals("years of work", Files.readString(precious));
  }

  @Test
  void aBatchBiggerThanOneCommit_isAUsageError() {
    CliRun r = sett("bench", "--dir", dir(), "--batch", "1m", "--keys", "10");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("does not fit in one commit"), r::toString);
    assertFalse(Files.exists(tmp.resolve("bench")), "nothing created before the check");
  }

  @Test
  void zeroKeys_isAUsageError() {
    assertEquals(2, sett("bench", "--dir", dir(), "--keys", "0").exitCode());
  }
}
