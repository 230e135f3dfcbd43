package dev.sett.kv.cli;

import static dev.sett.kv.cli.CliRun.sett;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.LevelStats;
import dev.sett.kv.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify}, {@code info} and {@code flatten} against real databases, and their misuse. */
class InspectCommandsTest {

  @TempDir Path tmp;

  private Path dir() {
    return tmp.resolve("db");
  }

  /** Small tables and no compactors, so that a few hundred puts leave several L0 tables. */
  private Options options() {
    return Options.builder(dir()).memTableSize(64 << 10).baseTableSize(8 << 10)
        .numCompactors(0).numLevelZeroTablesStall(1000).valueThreshold(200).build();
  }

  private void fill(int n) {
    try (Db db = Db.open(options())) {
      for (int i = 0; i < n; i++) {
        byte[] k = String.format("key%05d", i).getBytes();
        byte[] v = new byte[i % 2 == 0 ? 100 : 300]; // inline and separated
        db.update(t -> t.set(k, v));
      }
    }
  }

  private String firstTable() throws IOException {
    try (Stream<Path> s = Files.list(dir())) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sst")).sorted()
          .findFirst().orElseThrow();
    }
  }

  @Test
  void verify_cleanDatabase_printsCountsAndOk_exitZero() {
    fill(200);
    CliRun r = sett("verify", "--dir", dir().toString());
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("OK: no problems found"), r::toString);
    assertTrue(r.out().contains("MANIFEST"), r::toString);
    assertTrue(r.out().contains("TABLE"), r::toString);
    assertTrue(r.out().contains("VALUE_LOG"), r::toString);
  }

  @Test
  void verify_damagedTable_namesFileAndOffset_exitThree() throws IOException {
    fill(200);
    String table = firstTable();
    Path p = dir().resolve(table);
    byte[] b = Files.readAllBytes(p);
    b[45 + 3] ^= 0x5A; // inside data block 0; the sst-v1 header is 45 bytes
    Files.write(p, b);
    CliRun r = sett("verify", "--dir", dir().toString());
    assertEquals(SettCli.EXIT_DAMAGE, r.exitCode(), r::toString);
    assertTrue(r.out().contains("1 problem(s):"), r::toString);
    assertTrue(r.out().contains(table + " at offset 45: "), r::toString);
  }

  @Test
  void verify_ofAnOpenDatabase_failsClearly_andTheDatabaseGoesOn() {
    fill(10);
    try (Db db = Db.open(options())) {
      CliRun r = sett("verify", "--dir", dir().toString());
      assertEquals(1, r.exitCode(), r::toString);
      assertTrue(r.err().startsWith("sett: error: "), r::toString);
      assertTrue(r.err().contains("call verify() on that Db"), r::toString);
      db.update(t -> t.set("after".getBytes(), "1".getBytes()));
      assertTrue(db.verify().ok());
    }
  }

  @Test
  void verifyInfoAndFlatten_ofAMissingDirectory_failClearly_andCreateNothing() {
    for (String command : new String[] {"verify", "info", "flatten"}) {
      CliRun r = sett(command, "--dir", dir().toString());
      assertEquals(1, r.exitCode(), command + ": " + r);
      assertTrue(r.err().contains("does not exist"), command + ": " + r);
      assertFalse(Files.exists(dir()), command + " created the directory");
    }
  }

  @Test
  void withoutDir_isAUsageError() {
    for (String command : new String[] {"verify", "info", "flatten"}) {
      CliRun r = sett(command);
      assertEquals(2, r.exitCode(), command + ": " + r);
      assertTrue(r.err().contains("--dir"), command + ": " + r);
    }
  }

  @Test
  void info_showsIdLevelsTablesValueLogAndFormats() {
    fill(300);
    CliRun r = sett("info", "--dir", dir().toString());
    assertEquals(0, r.exitCode(), r::toString);
    String out = r.out();
    assertTrue(out.matches("(?s).*database id\\s+[0-9a-f]{32}\\n.*"), out);
    for (String s : new String[] {"manifest-v1", "sst-v1", "vlog-v1", "L0", ".vlog",
        "checksums: all OK"}) {
      assertTrue(out.contains(s), s + " in:\n" + out);
    }
  }

  @Test
  void flatten_movesEveryTableIntoOneLevel_withProgress_andKeepsTheData() {
    fill(4000);
    try (Db db = Db.open(options())) {
      assertTrue(db.stats().levels().get(0).tables() > 1, "several L0 tables to flatten");
    }
    CliRun r = sett("flatten", "--dir", dir().toString(), "--workers", "1");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.err().contains("flatten: 100%"), r::toString);
    assertTrue(r.out().contains("before:") && r.out().contains("after:"), r::toString);
    try (Db db = Db.open(options())) {
      long nonEmpty = db.stats().levels().stream().filter(l -> l.tables() > 0).count();
      assertEquals(1, nonEmpty, db.stats().levels().toString());
      assertTrue(db.stats().levels().stream().filter(l -> l.tables() > 0)
          .allMatch(l -> l.level() > 0), "out of L0");
      assertEquals(4000, db.view(t -> {
        int n = 0;
        for (int i = 0; i < 4000; i++) {
          n += t.get(String.format("key%05d", i).getBytes()) != null ? 1 : 0;
        }
        return Integer.valueOf(n);
      }).intValue());
    }
    CliRun again = sett("flatten", "--dir", dir().toString());
    assertEquals(0, again.exitCode(), again::toString);
    assertTrue(again.out().contains("already in one level"), again::toString);
    assertEquals(0, sett("verify", "--dir", dir().toString()).exitCode());
  }

  @Test
  void flatten_withNoWorkers_isAUsageError_andTheDatabaseIsUntouched() {
    fill(10);
    CliRun r = sett("flatten", "--dir", dir().toString(), "--workers", "0");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("--workers must be at least 1"), r::toString);
    assertEquals(0, sett("verify", "--dir", dir().toString()).exitCode());
  }

  @Test
  void remaining_countsBytesAboveTheDeepestLevel() {
    LevelStats l0 = new LevelStats(0, 2, 100, 0, 0);
    LevelStats l1 = new LevelStats(1, 1, 50, 0, 0);
    LevelStats l2 = new LevelStats(2, 3, 1000, 0, 0);
    LevelStats empty1 = new LevelStats(1, 0, 0, 0, 0);
    LevelStats empty2 = new LevelStats(2, 0, 0, 0, 0);
    assertEquals(150, FlattenCommand.remaining(java.util.List.of(l0, l1, l2)));
    assertEquals(100, FlattenCommand.remaining(java.util.List.of(l0, empty1, empty2)));
    assertEquals(0, FlattenCommand.remaining(java.util.List.of(
        new LevelStats(0, 0, 0, 0, 0), empty1, l2)));
  }
}
