package dev.sett.kv.cli;

import static dev.sett.kv.cli.CliRun.sett;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett backup} and {@code sett restore} against real databases and files. */
class BackupRestoreCommandTest {
  @TempDir Path tmp;

  private String db(String name) {
    return tmp.resolve(name).toString();
  }

  private void put(String dir, String key, String value) {
    CliRun r = sett("put", "--dir", dir, key, value);
    assertEquals(0, r.exitCode(), r::toString);
  }

  private static long nextSince(CliRun r) {
    Matcher m = Pattern.compile("--since (\\d+)").matcher(r.out());
    assertTrue(m.find(), r::toString);
    return Long.parseLong(m.group(1));
  }

  @Test
  void backup_thenRestore_givesTheSameKeys_andIncrementalsCarryOn() throws IOException {
    String src = db("src");
    for (int i = 0; i < 20; i++) {
      put(src, "k" + i, "v" + i);
    }
    Path full = tmp.resolve("full.bak");
    CliRun b = sett("backup", "--dir", src, full.toString());
    assertEquals(0, b.exitCode(), b::toString);
    assertTrue(b.err().contains("backup"), "a progress bar: " + b.err());
    assertFalse(Files.exists(tmp.resolve("full.bak.tmp")), "no temporary file left");
    long since = nextSince(b);
    put(src, "k3", "changed");
    assertEquals(0, sett("delete", "--dir", src, "k4").exitCode());
    Path incr = tmp.resolve("incr.bak");
    CliRun b2 = sett("backup", "--dir", src, "--since", Long.toString(since), incr.toString());
    assertEquals(0, b2.exitCode(), b2::toString);
    assertTrue(Files.size(incr) < Files.size(full), "only the newer versions");

    String dst = db("dst");
    CliRun r = sett("restore", "--dir", dst, full.toString());
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("20 record(s), 20 written, 0 skipped"), r.out());
    assertTrue(r.err().contains("restore"), "a progress bar: " + r.err());
    CliRun r2 = sett("restore", "--dir", dst, incr.toString());
    assertEquals(0, r2.exitCode(), r2::toString);
    assertEquals(sett("scan", "--dir", src).out(), sett("scan", "--dir", dst).out());
  }

  @Test
  void aDamagedBackup_isRefusedWithItsFileAndOffset() throws IOException {
    String src = db("src");
    put(src, "k", "v");
    Path file = tmp.resolve("b.bak");
    assertEquals(0, sett("backup", "--dir", src, file.toString()).exitCode());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 10] ^= 1;
    Files.write(file, bytes);
    CliRun r = sett("restore", "--dir", db("dst"), file.toString());
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains(file.toString()) && r.err().contains("offset"), r.err());
  }

  @Test
  void misuse_isRefusedWithAClearMessage() throws IOException {
    String src = db("src");
    put(src, "k", "v");
    CliRun missing = sett("restore", "--dir", db("dst"), tmp.resolve("nope.bak").toString());
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("no backup file"), missing.err());
    CliRun toDir = sett("backup", "--dir", src, tmp.toString());
    assertEquals(1, toDir.exitCode());
    assertTrue(toDir.err().contains("is a directory"), toDir.err());
    CliRun negative = sett("backup", "--dir", src, "--since", "-1",
        tmp.resolve("x.bak").toString());
    assertEquals(1, negative.exitCode());
    CliRun noDb = sett("backup", "--dir", db("absent"), tmp.resolve("y.bak").toString());
    assertEquals(1, noDb.exitCode());
    assertFalse(Files.exists(tmp.resolve("y.bak")));
    assertFalse(Files.exists(tmp.resolve("y.bak.tmp")));
    Path notBackup = tmp.resolve("text.bak");
    Files.writeString(notBackup, "hello, this is not a backup, as anyone can see from here on");
    CliRun bad = sett("restore", "--dir", db("dst2"), notBackup.toString());
    assertEquals(1, bad.exitCode());
    assertTrue(bad.err().contains("not a Sett backup"), bad.err());
  }
}
