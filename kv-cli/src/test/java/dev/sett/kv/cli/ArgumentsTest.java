package dev.sett.kv.cli;

import static dev.sett.kv.cli.CliRun.sett;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, version and the handling of bad arguments: usage on stderr and exit code 2. */
class ArgumentsTest {

  @TempDir Path tmp;

  private static void assertUsageError(CliRun r, String usageOf) {
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals("", r.out(), "nothing on stdout for a usage error");
    assertTrue(r.err().startsWith("sett: "), r::toString);
    assertTrue(r.err().contains("Usage: " + usageOf), r::toString);
  }

  @Test
  void help_printsUsageOnStdout_exitZero() {
    CliRun r = sett("--help");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("Usage: sett"), r::toString);
    for (String command : new String[] {"bench", "put", "get", "delete", "scan"}) {
      assertTrue(r.out().contains("  " + command + " "), command + " listed: " + r.out());
    }
  }

  @Test
  void commandHelp_exitZero() {
    CliRun r = sett("bench", "--help");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("--mem-table-size"), r::toString);
  }

  @Test
  void version_printsTheVersion_exitZero() {
    CliRun r = sett("--version");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("sett "), r::toString);
    assertTrue(r.out().contains("Java "), r::toString);
  }

  @Test
  void noCommand_isAUsageError() {
    assertUsageError(sett(), "sett");
  }

  @Test
  void unknownCommand_isAUsageError() {
    CliRun r = sett("frobnicate");
    assertUsageError(r, "sett");
    assertTrue(r.err().contains("frobnicate"), r::toString);
  }

  @Test
  void unknownOption_isAUsageError() {
    assertUsageError(sett("get", "--dir", tmp.toString(), "--colour", "k"), "sett get");
  }

  @Test
  void missingRequiredOption_isAUsageError() {
    CliRun r = sett("get", "k");
    assertUsageError(r, "sett get");
    assertTrue(r.err().contains("--dir"), r::toString);
  }

  @Test
  void missingParameter_isAUsageError() {
    assertUsageError(sett("put", "--dir", tmp.toString(), "onlyKey"), "sett put");
  }

  @Test
  void invalidNumber_isAUsageError() {
    CliRun r = sett("scan", "--dir", tmp.toString(), "--limit", "lots");
    assertUsageError(r, "sett scan");
    assertTrue(r.err().contains("'lots' is not a count"), r::toString);
  }

  @Test
  void invalidSize_isAUsageError() {
    assertUsageError(sett("bench", "--dir", tmp.toString(), "--value-size", "12 parsecs"),
        "sett bench");
  }

  @Test
  void optionOutOfRange_isAUsageError() {
    // 1 KiB is below the smallest memtable Options accepts; the message comes from Options.
    CliRun r = sett("bench", "--dir", tmp.toString(), "--mem-table-size", "1k");
    assertUsageError(r, "sett bench");
    assertTrue(r.err().contains("memTableSize"), r::toString);
  }

  @Test
  void emptyKey_isAUsageError() {
    assertUsageError(sett("put", "--dir", tmp.toString(), "", "v"), "sett put");
  }
}
