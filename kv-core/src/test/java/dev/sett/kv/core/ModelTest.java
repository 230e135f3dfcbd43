package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sett.kv.Db;
import dev.sett.kv.Item;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import dev.sett.kv.testkit.TestSeeds;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A long random sequence of set, delete, get, iterate (both directions, with prefixes) and
 * reopen, with small memtables so that they rotate constantly, checked against a {@link TreeMap}
 * model at every step; once more with {@code valueThreshold} 0, so every value (empty ones too)
 * lives in the value log and the tree holds pointers.
 */
class ModelTest {
  @org.junit.jupiter.api.io.TempDir Path dir;

  private static byte[] key(Random r) {
    // A small key space with shared prefixes makes overwrites, deletes and prefix scans meet.
    int n = r.nextInt(300);
    return String.format("k%02d/%d", n % 40, n).getBytes();
  }

  @ParameterizedTest(name = "{0}, valueThreshold={1}")
  @CsvSource({"skiplist, default", "concurrent-skiplist, default", "skiplist, 0"})
  void randomOperations_agreeWithATreeMap(String memTable, String threshold, TestInfo info) {
    long seed = TestSeeds.seed(info);
    Random r = new Random(seed);
    Options.Builder b = Options.builder(dir).memTable(memTable).memTableSize(64 << 10)
        .numMemtables(64);
    if (!threshold.equals("default")) {
      LsmModelTest.separateValues(b, Long.parseLong(threshold));
    }
    Options o = b.build();
    TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
    Db db = Db.open(o);
    try {
      for (int step = 0; step < 4000; step++) {
        int op = r.nextInt(100);
        String at = memTable + " valueThreshold=" + threshold + " seed "
            + TestSeeds.format(seed) + " step " + step;
        if (op < 45) {
          LsmModelTest.writeRandomTransaction(db, model, r, ModelTest::key, 200);
        } else if (op < 60) {
          byte[] k = key(r);
          db.update(t -> t.delete(k));
          model.remove(k);
        } else if (op < 85) {
          byte[] k = key(r);
          byte[] got = db.view(t -> {
            Item i = t.get(k);
            return i == null ? null : i.value();
          });
          byte[] want = model.get(k);
          if (want == null) {
            assertNull(got, at);
          } else {
            assertArrayEquals(want, got, at);
          }
        } else if (op < 98) {
          boolean reverse = r.nextBoolean();
          byte[] prefix = r.nextBoolean() ? new byte[0]
              : String.format("k%02d/", r.nextInt(40)).getBytes();
          List<String> want = LsmModelTest.expected(model, prefix, reverse);
          List<String> got;
          try (Txn t = db.newTransaction(false)) {
            got = LsmModelTest.scan(t, prefix, reverse);
          }
          assertEquals(want, got, at + (reverse ? " reverse" : " forward"));
        } else {
          db.close();
          db = Db.open(o);
        }
      }
    } finally {
      db.close();
    }
  }
}
