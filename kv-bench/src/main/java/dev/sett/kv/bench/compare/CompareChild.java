package dev.sett.kv.bench.compare;

import dev.sett.kv.bench.peers.KvStore;
import dev.sett.kv.cli.ValueSizes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * One phase of one store, in a JVM of its own, started by {@link CompareCommand}: opens the
 * store, loads it or runs the workload, closes it, prints one {@value #RESULT} line and then
 * waits until its standard input ends, so that the parent can read the process's peak resident
 * memory ({@code VmHWM}) from outside while it is still alive.
 *
 * <p>Arguments: {@code --store S --dir D --phase load|run --kind K --value-size V --records N
 * --batch B --threads T --zipfian true|false --seed X --max-seconds M --sync true|false
 * [--option NAME=VALUE]...}.
 */
public final class CompareChild {
  /** The first word of the result line. */
  static final String RESULT = "SETT-COMPARE-RESULT";

  private CompareChild() {}

  /**
   * Runs the phase.
   *
   * @param args the arguments above
   * @throws IOException if standard input fails
   */
  public static void main(String[] args) throws IOException {
    String store = null;
    Path dir = null;
    String phase = null;
    String kind = null;
    String sizes = "128";
    long records = 0;
    int batch = 1;
    int threads = 1;
    boolean zipfian = true;
    long seed = 1;
    long maxSeconds = 600;
    boolean sync = false;
    List<String> options = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--store" -> store = v;
        case "--dir" -> dir = Path.of(v);
        case "--phase" -> phase = v;
        case "--kind" -> kind = v;
        case "--value-size" -> sizes = v;
        case "--records" -> records = Long.parseLong(v);
        case "--batch" -> batch = Integer.parseInt(v);
        case "--threads" -> threads = Integer.parseInt(v);
        case "--zipfian" -> zipfian = Boolean.parseBoolean(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--max-seconds" -> maxSeconds = Long.parseLong(v);
        case "--sync" -> sync = Boolean.parseBoolean(v);
        case "--option" -> options.add(v);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Workload w = new Workload(Workload.Kind.of(kind), ValueSizes.parse(sizes), records, batch,
        threads, zipfian);
    WorkloadRunner runner = new WorkloadRunner(w, seed, maxSeconds);
    PhaseResult r;
    long closeNanos;
    try (KvStore s = Stores.open(store, dir, sync, options, Stores.lmdbMapBytes(w))) {
      r = "load".equals(phase) ? runner.load(s) : runner.run(s);
      closeNanos = System.nanoTime();
    }
    closeNanos = System.nanoTime() - closeNanos;
    System.out.println(resultLine(r, closeNanos));
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // the parent closes our input once it has read our peak memory
    }
  }

  /** The result as {@code name=value} fields after {@link #RESULT}. */
  static String resultLine(PhaseResult r, long closeNanos) {
    Histogram h = r.latencyNanos();
    return String.format(Locale.ROOT,
        "%s ops=%d bytes=%d nanos=%d found=%d expected=%d capped=%b p50=%d p99=%d p999=%d"
            + " max=%d close=%d",
        RESULT, r.ops(), r.bytes(), r.nanos(), r.found(), r.expectedFound(), r.capped(),
        h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
        h.getMaxValue(), closeNanos);
  }
}
