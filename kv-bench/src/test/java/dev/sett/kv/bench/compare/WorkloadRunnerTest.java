package dev.sett.kv.bench.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.bench.peers.KvStore;
import dev.sett.kv.cli.ValueSizes;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every workload kind does what its row says on every store, in this JVM at a tiny size: the
 * operation counts, reads that find (or, for {@code readmissing}, miss) their keys, full scans
 * that see every record's bytes, and YCSB inserts that land. A harness that read nothing would
 * look fast; these checks are what stop that.
 */
class WorkloadRunnerTest {
  private static final long RECORDS = 400;

  @TempDir Path dir;

  static Stream<Arguments> cases() {
    return Stores.NAMES.stream().flatMap(store -> Stream.of(Workload.Kind.values())
        .map(kind -> Arguments.of(store, kind)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void everyKind_onEveryStore_doesWhatItsRowSays(String store, Workload.Kind kind) {
    int threads = kind == Workload.Kind.MIXED ? 2 : 1;
    int batch = kind == Workload.Kind.FILLSEQ ? 64 : 1;
    ValueSizes sizes = ValueSizes.parse(kind.isYcsb() ? "uniform:100..2k" : "128");
    Workload w = new Workload(kind, sizes, RECORDS, batch, threads, true);
    WorkloadRunner runner = new WorkloadRunner(w, 7, 60);
    try (KvStore s = Stores.open(store, dir, false, List.of(), Stores.lmdbMapBytes(w))) {
      if (kind.needsLoad()) {
        PhaseResult load = runner.load(s);
        assertEquals(RECORDS, load.ops(), "records loaded");
      }
      PhaseResult r = runner.run(s);
      assertFalse(r.capped(), "no time limit reached");
      assertTrue(r.nanos() > 0 && r.latencyNanos().getTotalCount() > 0, "calls were timed");
      assertEquals(r.expectedFound(), r.found(), "every read that should find its key found it");
      long expectedOps = switch (kind) {
        case SEEKRANDOM -> RECORDS / WorkloadRunner.SEEK_NEXTS;
        default -> RECORDS;
      };
      assertEquals(expectedOps, r.ops(), "operations done");
      switch (kind) {
        case READMISSING -> assertEquals(0, r.found(), "missing keys are missing");
        case READRANDOM, YCSB_C -> assertEquals(RECORDS, r.found(), "every read found its key");
        case READSEQ, READREVERSE -> assertEquals(RECORDS * (KeySpace.KEY_BYTES + 128),
            r.bytes(), "a full scan reads every record's key and value");
        case SEEKRANDOM -> assertTrue(r.bytes() >= expectedOps * (KeySpace.KEY_BYTES + 128),
            "each seek reads entries: " + r.bytes());
        case FILLSEQ, FILLRANDOM -> {
          assertEquals(RECORDS * (KeySpace.KEY_BYTES + 128), r.bytes(), "bytes written");
          assertEquals(RECORDS * (KeySpace.KEY_BYTES + 128), s.scan(null, Long.MAX_VALUE,
              false), "every record is in the store");
        }
        case YCSB_D, YCSB_E -> assertTrue(s.scan(null, Long.MAX_VALUE, false)
            > s.scan(null, RECORDS, false), "inserts landed: more entries than were loaded");
        case OVERWRITE -> {
          KeySpace space = new KeySpace(7);
          long overwritten = 0;
          for (long i = 0; i < RECORDS; i++) {
            byte[] v = s.get(KeySpace.key(i));
            overwritten += java.util.Arrays.equals(v, space.value(i, 1, 128)) ? 1 : 0;
          }
          // Random choice with replacement touches about 1 - 1/e of the records.
          assertTrue(overwritten > RECORDS / 2, "records overwritten: " + overwritten);
        }
        default -> assertTrue(r.found() > 0, "reads found keys");
      }
    }
  }

  @org.junit.jupiter.api.Test
  void keys_sortByIndex_andMissingKeysFallBetween() {
    byte[] a = KeySpace.key(5);
    byte[] miss = KeySpace.missingKey(5);
    byte[] b = KeySpace.key(6);
    assertEquals(16, a.length);
    assertTrue(java.util.Arrays.compareUnsigned(a, b) < 0);
    assertTrue(java.util.Arrays.compareUnsigned(miss, b) < 0);
    assertFalse(java.util.Arrays.equals(a, miss));
    KeySpace space = new KeySpace(3);
    assertArrayEquals(space.value(9, 0, 300), new KeySpace(3).value(9, 0, 300),
        "values are a function of the seed and index");
    assertFalse(java.util.Arrays.equals(space.value(9, 0, 300), space.value(9, 1, 300)),
        "an overwrite writes a different value");
    assertNotNull(space.value(1, 0, 3 << 20), "values larger than the pool repeat it");
  }

  @org.junit.jupiter.api.Test
  void zipfian_favoursTheFirstItems_andStaysInRange_asItemsGrow() {
    Zipfian z = new Zipfian(1000, new java.util.SplittableRandom(1));
    long[] hits = new long[2000];
    for (int i = 0; i < 200_000; i++) {
      long n = i < 100_000 ? 1000 : 2000;
      long x = z.next(n);
      assertTrue(x >= 0 && x < n, "in range: " + x);
      hits[(int) x]++;
    }
    assertTrue(hits[0] > hits[1] && hits[1] > hits[10] && hits[10] > hits[500],
        "popularity falls with rank: " + hits[0] + " " + hits[1] + " " + hits[10] + " "
            + hits[500]);
    // With theta 0.99 over 1000 items, item 0 draws about 1/zeta(1000) = 13% of choices.
    assertTrue(hits[0] > 20_000 && hits[0] < 30_000, "item 0's share: " + hits[0]);
  }
}
