package dev.sett.kv.bench.compare;

import dev.sett.kv.cli.ValueSizes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of the side-by-side table: what is done ({@link Kind}), to how many records of which
 * value sizes, in batches of how many, from how many threads, and for YCSB whether keys are
 * chosen Zipfian or uniformly.
 *
 * @param kind what the run does
 * @param sizes the value sizes
 * @param records records written by a fill, loaded before any other run, and operations run
 * @param batch entries per call of a fill or overwrite (1 = single puts)
 * @param threads threads running the operations
 * @param zipfian for YCSB: Zipfian keys ({@code false}: uniform)
 */
record Workload(Kind kind, ValueSizes sizes, long records, int batch, int threads,
    boolean zipfian) {

  /** What a run does. */
  enum Kind {
    /** Writes every record in key order. */
    FILLSEQ("fillseq"),
    /** Writes every record once, in random order. */
    FILLRANDOM("fillrandom"),
    /** After a load, overwrites randomly chosen records (as many writes as records). */
    OVERWRITE("overwrite"),
    /** After a load, reads randomly chosen records (all present). */
    READRANDOM("readrandom"),
    /** After a load, reads keys that fall between stored ones (all absent). */
    READMISSING("readmissing"),
    /** After a load, reads every record in key order through an iterator. */
    READSEQ("readseq"),
    /** After a load, reads every record in reverse key order through an iterator. */
    READREVERSE("readreverse"),
    /** After a load, seeks to random keys and reads the 10 entries from each. */
    SEEKRANDOM("seekrandom"),
    /** After a load, half reads and half overwrites of random records, from every thread. */
    MIXED("mixed"),
    /** YCSB A: 50% reads, 50% updates. */
    YCSB_A("ycsb-a"),
    /** YCSB B: 95% reads, 5% updates. */
    YCSB_B("ycsb-b"),
    /** YCSB C: reads only. */
    YCSB_C("ycsb-c"),
    /** YCSB D: 95% reads of the latest records, 5% inserts. */
    YCSB_D("ycsb-d"),
    /** YCSB E: 95% short scans (1 to 100 entries), 5% inserts. */
    YCSB_E("ycsb-e"),
    /** YCSB F: 50% reads, 50% read-modify-writes. */
    YCSB_F("ycsb-f");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    /** Whether the run starts from a loaded database (so the load is a separate phase). */
    boolean needsLoad() {
      return this != FILLSEQ && this != FILLRANDOM;
    }

    /** Whether this is one of YCSB's workloads (hashed keys, key distributions). */
    boolean isYcsb() {
      return name().startsWith("YCSB");
    }

    static Kind of(String label) {
      for (Kind k : values()) {
        if (k.label.equals(label)) {
          return k;
        }
      }
      throw new IllegalArgumentException("no workload named '" + label + "'");
    }
  }

  /**
   * The row's identifier, which {@code --workloads} selects by: kind, value size, batch when
   * above 1, threads when above 1, and {@code uniform} for YCSB's uniform variant; for example
   * {@code fillrandom-128-b1000} or {@code ycsb-a-1k-uniform}.
   *
   * @return the identifier
   */
  String id() {
    StringBuilder s = new StringBuilder(kind.label).append('-')
        .append(sizes.toString().toLowerCase(Locale.ROOT));
    if (batch > 1) {
      s.append("-b").append(batch);
    }
    if (threads > 1) {
      s.append("-t").append(threads);
    }
    if (kind.isYcsb() && !zipfian) {
      s.append("-uniform");
    }
    return s.toString();
  }

  /**
   * The default rows, in order: the rows of the performance issue's table, then YCSB A-F with
   * Zipfian keys and with uniform keys. Record counts are 1M at 128 B, 500k at 1 KiB and 100k at
   * 16 KiB, times {@code scale} (at least 100).
   *
   * @param scale the factor on record counts, in (0, 1]
   * @return the rows
   */
  static List<Workload> suite(double scale) {
    long small = scaled(1_000_000, scale);
    long medium = scaled(500_000, scale);
    long large = scaled(100_000, scale);
    ValueSizes b128 = ValueSizes.parse("128");
    ValueSizes k1 = ValueSizes.parse("1k");
    ValueSizes k16 = ValueSizes.parse("16k");
    List<Workload> rows = new ArrayList<>(List.of(
        new Workload(Kind.FILLRANDOM, b128, small, 1, 1, false),
        new Workload(Kind.FILLRANDOM, b128, small, 1000, 1, false),
        new Workload(Kind.FILLSEQ, b128, small, 1000, 1, false),
        new Workload(Kind.FILLRANDOM, k1, medium, 1, 1, false),
        new Workload(Kind.FILLRANDOM, k16, large, 1, 1, false),
        new Workload(Kind.OVERWRITE, b128, small, 1, 1, false),
        new Workload(Kind.READRANDOM, b128, small, 1, 1, false),
        new Workload(Kind.READMISSING, b128, small, 1, 1, false),
        new Workload(Kind.READRANDOM, k1, medium, 1, 1, false),
        new Workload(Kind.READRANDOM, k16, large, 1, 1, false),
        new Workload(Kind.READSEQ, b128, small, 1, 1, false),
        new Workload(Kind.READSEQ, k1, medium, 1, 1, false),
        new Workload(Kind.READREVERSE, b128, small, 1, 1, false),
        new Workload(Kind.SEEKRANDOM, b128, small, 1, 1, false),
        new Workload(Kind.MIXED, b128, small, 1, 2, false)));
    for (boolean zipfian : new boolean[] {true, false}) {
      for (Kind k : Kind.values()) {
        if (k.isYcsb()) {
          rows.add(new Workload(k, k1, medium, 1, 1, zipfian));
        }
      }
    }
    return rows;
  }

  private static long scaled(long n, double scale) {
    return Math.max(100, Math.round(n * scale));
  }
}
