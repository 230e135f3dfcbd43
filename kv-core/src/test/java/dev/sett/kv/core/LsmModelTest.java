package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DbStats;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.testkit.TestSeeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The LSM tree against a {@link TreeMap} model: a long random sequence of set, delete, get,
 * iterate (both directions, with prefixes), flatten and reopen, with 64 KiB memtables, 4 KiB
 * tables and tiny level targets, so flushes and compactions run all the time, under each
 * compaction strategy. Read-only transactions opened at random steps are kept open across later
 * writes and compactions and checked against a copy of the model taken when they began: a
 * compaction must never drop a version an open snapshot still needs.
 *
 * <p>Key-value separation: the default {@code valueThreshold} keeps every value in the tree; runs
 * with {@code valueThreshold} 0 (every value, even an empty one, in the value log) and 64 (values
 * on both sides of the threshold, many within a few bytes of it) use 1 MiB value log files (the
 * smallest allowed) that also rotate every 600 or 1000 records, so the value log has many files
 * for garbage collection, which runs in the background every 5 ms and by hand now and then. Separated values then pass through memtables, flushes, compactions, snapshots and
 * reopens as pointers. Those runs pad every key to about 310 bytes: with only 16-byte pointers in
 * the tree, short keys would fill a couple of memtables in the whole run, and flushes and
 * compactions must run as often as without separation.
 */
class LsmModelTest {
  @org.junit.jupiter.api.io.TempDir Path dir;

  private static byte[] key(Random r) {
    int n = r.nextInt(400);
    return String.format("k%02d/%d", n % 40, n).getBytes();
  }

  private record Snapshot(Txn txn, TreeMap<byte[], byte[]> model) {}

  static Options.Builder smallTree(Path dir) {
    return Options.builder(dir).memTableSize(64 << 10).numMemtables(3).blockSize(512)
        .baseTableSize(8 << 10).baseLevelSize(32 << 10).levelSizeMultiplier(4)
        .numLevelZeroTables(2).numLevelZeroTablesStall(6).numCompactors(2)
        .blockCacheSize(64 << 10).indexCacheSize(32 << 10).maxOpenFiles(16)
        .bytesPerSync(4096); // background syncs run often, under crashes and power losses too
  }

  /**
   * Separates values of at least {@code threshold} bytes into a value log of 1 MiB files (the
   * smallest {@link Options#valueLogFileSize()}), so that tests writing a few MiB rotate it.
   */
  static Options.Builder separateValues(Options.Builder b, long threshold) {
    return b.valueThreshold(threshold).valueLogFileSize(Options.MIN_VALUE_LOG_FILE_SIZE);
  }

  /** Background value log GC rounds every 5 ms at a low ratio (the model test forces GC). */
  static Options.Builder frequentGc(Options.Builder b) {
    return b.valueLogGcInterval(java.time.Duration.ofMillis(5)).valueLogGcDiscardRatio(0.1);
  }

  /** The value log files in {@code dir} ({@code NNNNNN.vlog}). */
  static long valueLogFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".vlog")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The highest value log file id in {@code dir}, 0 if none. */
  static long newestValueLogFile(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".vlog"))
          .mapToLong(n -> Long.parseLong(n.substring(0, n.length() - ".vlog".length())))
          .max().orElse(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Value sizes: uniform in [0, 680) seven times in eight, else within 4 bytes of 64 (the
   * threshold of two runs), so values just below, at and just above it are frequent; about 300
   * bytes on average, as uniform in [0, 600) before.
   */
  private static int valueSize(Random r) {
    return r.nextInt(8) == 0 ? 60 + r.nextInt(9) : r.nextInt(680);
  }

  /**
   * Runs the model under a compaction strategy and a value threshold ({@code default}, or bytes);
   * {@code maxEntries} > 0 also rotates the value log every that many records; {@code keyPadding}
   * > 0 appends '/' and that many bytes to every key (prefixes and order are unchanged). Not the
   * full cross product: separation is independent of the strategy except through compaction,
   * which one tiered run covers.
   */
  @ParameterizedTest(name = "{0}, valueThreshold={1}, valueLogMaxEntries={2}, keyPadding={3}")
  @CsvSource({"leveled, default, 0, 0", "tiered, default, 0, 0", "leveled, 0, 600, 300",
      "leveled, 64, 600, 300", "tiered, 64, 1000, 300"})
  void randomOperations_agreeWithATreeMap(String strategy, String threshold, int maxEntries,
      int keyPadding, TestInfo info) {
    Function<Random, byte[]> keys = keyPadding == 0 ? LsmModelTest::key
        : rr -> (new String(key(rr)) + "/" + "x".repeat(keyPadding)).getBytes();
    long seed = TestSeeds.seed(info);
    Random r = new Random(seed);
    Options.Builder b = smallTree(dir).compactionStrategy(strategy);
    boolean separating = !threshold.equals("default");
    long limit = separating ? Long.parseLong(threshold) : Long.MAX_VALUE;
    if (separating) {
      separateValues(b, limit);
    }
    if (maxEntries > 0) {
      b.valueLogMaxEntries(maxEntries);
    }
    frequentGc(b); // at every threshold, the default too (where it finds nothing to do)
    Options o = b.build();
    TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
    List<Snapshot> snapshots = new ArrayList<>();
    Db db = Db.open(o);
    long flushes = 0;
    long compactions = 0;
    int gcRounds = 0;
    long gcDeleted = 0; // by manual and background rounds
    long[] separatedBytes = {0};
    ToIntFunction<Random> sizes = rr -> {
      int n = valueSize(rr);
      separatedBytes[0] += n >= limit ? n : 0;
      return n;
    };
    try {
      int steps = Integer.getInteger("sett.model.steps", 5000); // 50,000 with -Pstress
      for (int step = 0; step < steps; step++) {
        int op = r.nextInt(1000);
        String at = strategy + " valueThreshold=" + threshold + " seed "
            + TestSeeds.format(seed) + " step " + step;
        if (op < 450 || (op >= 945 && op < 990)) {
          writeRandomTransaction(db, model, r, keys, sizes);
        } else if (op < 600) {
          byte[] k = keys.apply(r);
          db.update(t -> t.delete(k));
          model.remove(k);
        } else if (op < 780) {
          byte[] k = keys.apply(r);
          byte[] got = db.view(t -> value(t, k));
          assertEqualValue(model.get(k), got, at + " get " + new String(k));
        } else if (op < 880) {
          boolean reverse = r.nextBoolean();
          byte[] prefix = r.nextBoolean() ? new byte[0]
              : String.format("k%02d/", r.nextInt(40)).getBytes();
          try (Txn t = db.newTransaction(false)) {
            assertEquals(expected(model, prefix, reverse), scan(t, prefix, reverse),
                at + (reverse ? " reverse" : " forward"));
          }
        } else if (op < 940) {
          if (snapshots.size() < 3) {
            TreeMap<byte[], byte[]> copy = new TreeMap<>(Arrays::compareUnsigned);
            copy.putAll(model);
            snapshots.add(new Snapshot(db.newTransaction(false), copy));
          } else {
            Snapshot s = snapshots.remove(r.nextInt(snapshots.size()));
            try (Txn t = s.txn()) {
              for (int i = 0; i < 20; i++) {
                byte[] k = keys.apply(r);
                assertEqualValue(s.model().get(k), value(t, k), at + " snapshot get");
              }
              assertEquals(expected(s.model(), new byte[0], false), scan(t, new byte[0], false),
                  at + " snapshot scan");
            }
          }
        } else if (op < 945) {
          // Background flushes and compactions resume right after, so the shape it leaves is
          // checked in LevelsBehaviourTest (without compactors); here the contents must hold.
          db.flatten(2);
        } else if (op < 997) {
          // A manual round as well as the background ones: it also seals the memtable and
          // waits for its flush, so the files it rewrote are deleted while snapshots are open.
          gcRounds++;
          db.runValueLogGc(r.nextBoolean() ? 0.01 : 0.5);
        } else { // op >= 997: reopen
          for (Snapshot s : snapshots) {
            s.txn().close();
          }
          snapshots.clear();
          DbStats st = db.stats();
          // close() flushes the memtable (not in these stats), the next one starts empty
          flushes += st.flushes() + 1;
          compactions += st.compactions();
          gcDeleted += ((SettDb) db).valueLogGc().filesDeleted();
          db.close();
          db = Db.open(o);
        }
      }
      DbStats st = db.stats();
      flushes += st.flushes();
      compactions += st.compactions();
      gcDeleted += ((SettDb) db).valueLogGc().filesDeleted();
    } finally {
      for (Snapshot s : snapshots) {
        s.txn().close();
      }
      db.close();
    }
    // About 40 memtables' worth of data; runs with many reopens see fewer background flushes,
    // which is why the flushes that close() makes count too.
    assertTrue(flushes > 20, "flushes ran: " + flushes);
    assertTrue(compactions > 5, "compactions ran: " + compactions);
    long vlogFiles = valueLogFiles(dir);
    System.out.println("LsmModelTest " + strategy + " valueThreshold=" + threshold + ": "
        + flushes + " flushes, " + compactions + " compactions, " + separatedBytes[0]
        + " value bytes at or above the threshold, " + vlogFiles + " value log file(s), "
        + gcDeleted + " value log file(s) collected (" + gcRounds + " manual GC rounds)");
    if (separatedBytes[0] > Options.MIN_VALUE_LOG_FILE_SIZE * 3 / 2) {
      // More than a 1 MiB file holds went to the value log.
      // GC deletes old files: the newest file's id tells how often the log rotated.
      assertTrue(newestValueLogFile(dir) >= 2, "the value log rotated: newest file "
          + newestValueLogFile(dir));
      assertTrue(gcDeleted > 0, "GC collected no value log file");
    }
    try (Db again = Db.open(o); Txn t = again.newTransaction(false)) {
      assertEquals(expected(model, new byte[0], false), scan(t, new byte[0], false));
      for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
        assertArrayEquals(e.getValue(), value(t, e.getKey()), "after reopen, key "
            + new String(e.getKey()) + " seed " + TestSeeds.format(seed));
      }
    }
  }

  /**
   * Commits one transaction setting 1 to 5 random keys to random values of up to {@code
   * maxValue - 1} bytes, and applies it to the model.
   */
  static void writeRandomTransaction(Db db, TreeMap<byte[], byte[]> model, Random r,
      Function<Random, byte[]> key, int maxValue) {
    writeRandomTransaction(db, model, r, key, rr -> rr.nextInt(maxValue));
  }

  /** As above, with value sizes drawn by {@code valueSize}. */
  static void writeRandomTransaction(Db db, TreeMap<byte[], byte[]> model, Random r,
      Function<Random, byte[]> key, ToIntFunction<Random> valueSize) {
    int n = 1 + r.nextInt(5);
    List<byte[]> ks = new ArrayList<>();
    List<byte[]> vs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ks.add(key.apply(r));
      byte[] v = new byte[valueSize.applyAsInt(r)];
      r.nextBytes(v);
      vs.add(v);
    }
    db.update(t -> {
      for (int i = 0; i < n; i++) {
        t.set(ks.get(i), vs.get(i));
      }
    });
    for (int i = 0; i < n; i++) {
      model.put(ks.get(i), vs.get(i));
    }
  }

  static byte[] value(Txn t, byte[] k) {
    Item i = t.get(k);
    return i == null ? null : i.value();
  }

  private static void assertEqualValue(byte[] want, byte[] got, String at) {
    if (want == null) {
      assertNull(got, at);
    } else {
      assertArrayEquals(want, got, at);
    }
  }

  static List<String> expected(TreeMap<byte[], byte[]> model, byte[] prefix, boolean reverse) {
    List<String> want = new ArrayList<>();
    Iterable<Map.Entry<byte[], byte[]>> es = reverse
        ? model.descendingMap().entrySet() : model.entrySet();
    for (Map.Entry<byte[], byte[]> e : es) {
      if (Keys.hasPrefix(e.getKey(), prefix)) {
        want.add(new String(e.getKey()) + "=" + Arrays.hashCode(e.getValue()));
      }
    }
    return want;
  }

  static List<String> scan(Txn t, byte[] prefix, boolean reverse) {
    List<String> got = new ArrayList<>();
    try (KvIterator it = t.newIterator(IteratorOptions.builder().prefix(prefix)
        .reverse(reverse).build())) {
      for (it.rewind(); it.valid(); it.next()) {
        got.add(new String(it.item().key()) + "=" + Arrays.hashCode(it.item().value()));
      }
    }
    return got;
  }
}
