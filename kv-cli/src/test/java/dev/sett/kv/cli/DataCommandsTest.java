package dev.sett.kv.cli;

import static dev.sett.kv.cli.CliRun.sett;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code put}, {@code get}, {@code delete} and {@code scan} against a real database. */
class DataCommandsTest {

  @TempDir Path tmp;

  private String dir() {
    return tmp.resolve("db").toString();
  }

  private void put(String key, String value) {
    CliRun r = sett("put", "--dir", dir(), key, value);
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("", r.out(), "put prints nothing");
  }

  @Test
  void put_thenGet_printsTheValue() {
    put("greeting", "héllo wörld");
    CliRun r = sett("get", "--dir", dir(), "greeting");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("héllo wörld\n", r.out());
  }

  @Test
  void put_overwrites_andEmptyValueIsAllowed() {
    put("k", "first");
    put("k", "");
    CliRun r = sett("get", "--dir", dir(), "k");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("\n", r.out());
  }

  @Test
  void get_missingKey_exitsWithOneAndSaysSo() {
    put("present", "1");
    CliRun r = sett("get", "--dir", dir(), "absent");
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals("", r.out());
    assertEquals("sett: error: key not found: absent\n", r.err());
  }

  @Test
  void delete_removesTheKey_andDeletingAgainSucceeds() {
    put("k", "v");
    assertEquals(0, sett("delete", "--dir", dir(), "k").exitCode());
    assertEquals(1, sett("get", "--dir", dir(), "k").exitCode());
    CliRun again = sett("delete", "--dir", dir(), "--sync", "k");
    assertEquals(0, again.exitCode(), again::toString);
  }

  @Test
  void put_withSync_isReadBack() {
    CliRun r = sett("put", "--sync", "--dir", dir(), "k", "v");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("v\n", sett("get", "--dir", dir(), "k").out());
  }

  @Nested
  class Scan {

    private void fill() {
      put("b", "2");
      put("a", "1");
      put("ab", "12");
      put("c", "3");
      put("abc", "123");
    }

    @Test
    void scan_printsEveryKeyInOrder() {
      fill();
      CliRun r = sett("scan", "--dir", dir());
      assertEquals(0, r.exitCode(), r::toString);
      assertEquals("a\t1\nab\t12\nabc\t123\nb\t2\nc\t3\n", r.out());
    }

    @Test
    void scan_withPrefix_printsOnlyThePrefix() {
      fill();
      CliRun r = sett("scan", "--dir", dir(), "--prefix", "ab");
      assertEquals(0, r.exitCode(), r::toString);
      assertEquals("ab\t12\nabc\t123\n", r.out());
    }

    @Test
    void scan_reverse_printsDescending() {
      fill();
      assertEquals("c\t3\nb\t2\nabc\t123\nab\t12\na\t1\n",
          sett("scan", "--dir", dir(), "--reverse").out());
    }

    @Test
    void scan_reverseWithPrefix_staysInThePrefix() {
      fill();
      assertEquals("abc\t123\nab\t12\na\t1\n",
          sett("scan", "--dir", dir(), "--reverse", "--prefix", "a").out());
    }

    @Test
    void scan_limitAndKeysOnly() {
      fill();
      CliRun r = sett("scan", "--dir", dir(), "--limit", "2", "--keys-only");
      assertEquals(0, r.exitCode(), r::toString);
      assertEquals("a\nab\n", r.out());
    }

    @Test
    void scan_skipsDeletedKeys() {
      fill();
      sett("delete", "--dir", dir(), "ab");
      assertEquals("a\nabc\nb\nc\n", sett("scan", "--dir", dir(), "--keys-only").out());
    }

    @Test
    void scan_ofAnEmptyDatabase_printsNothing() {
      put("k", "v");
      sett("delete", "--dir", dir(), "k");
      CliRun r = sett("scan", "--dir", dir());
      assertEquals(0, r.exitCode(), r::toString);
      assertEquals("", r.out());
    }
  }

  @Nested
  class HexMode {

    @Test
    void hex_roundTripsBinaryKeysAndValues() {
      // A key with a tab and a zero byte and a value with a newline: unprintable as text.
      CliRun put = sett("put", "--hex", "--dir", dir(), "00096b", "ff0a00");
      assertEquals(0, put.exitCode(), put::toString);
      assertEquals("ff0a00\n", sett("get", "--hex", "--dir", dir(), "00096b").out());
      assertEquals("00096b\tff0a00\n", sett("scan", "--hex", "--dir", dir()).out());
    }

    @Test
    void hex_printsTextKeysAsTheirUtf8Bytes() {
      put("key", "é");
      assertEquals("6b6579\tc3a9\n", sett("scan", "--dir", dir(), "--hex").out());
      assertEquals("c3a9\n", sett("get", "--dir", dir(), "--hex", "6B6579").out());
    }

    @Test
    void hex_prefixIsHexToo() {
      put("ab", "1");
      put("b", "2");
      assertEquals("6162\n",
          sett("scan", "--dir", dir(), "--hex", "--keys-only", "--prefix", "61").out());
    }

    @Test
    void hex_badDigits_isAUsageError() {
      CliRun r = sett("put", "--hex", "--dir", dir(), "6x", "00");
      assertEquals(2, r.exitCode(), r::toString);
      assertTrue(r.err().startsWith("sett: KEY: '6x' is not hex"), r::toString);
      assertTrue(r.err().contains("Usage: sett put"), r::toString);
    }
  }

  @Test
  void readsOfAMissingDirectory_failWithoutCreatingIt() {
    for (String[] args : new String[][] {
        {"get", "--dir", dir(), "k"}, {"scan", "--dir", dir()}, {"delete", "--dir", dir(), "k"}}) {
      CliRun r = sett(args);
      assertEquals(1, r.exitCode(), r::toString);
      assertTrue(r.err().startsWith("sett: error: no database at "), r::toString);
    }
    assertFalse(Files.exists(tmp.resolve("db")));
  }

  @Test
  void directoryOpenElsewhere_isAOneLineRuntimeError() {
    try (Db db = Db.open(tmp.resolve("db"))) {
      assertFalse(db.isClosed());
      CliRun r = sett("get", "--dir", dir(), "k");
      assertEquals(1, r.exitCode(), r::toString);
      assertTrue(r.err().startsWith("sett: error: "), r::toString);
      assertEquals(1, r.err().lines().count(), "one line: " + r.err());
      assertTrue(r.err().contains("open"), r::toString);
    }
  }
}
