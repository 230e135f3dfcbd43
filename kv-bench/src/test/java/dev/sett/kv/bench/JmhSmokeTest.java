package dev.sett.kv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The smoke form of every JMH benchmark of kv-bench: each runs once, in this JVM, on a few
 * hundred entries ({@link Smoke}), for about a tenth of a second. It proves that every benchmark
 * and parameter combination sets up, runs and tears down; its scores mean nothing.
 */
class JmhSmokeTest {
  @Test
  void everyBenchmark_runsOnce_atATinySize() throws Exception {
    System.setProperty(Smoke.PROPERTY, "500");
    try {
      Options opts = new OptionsBuilder()
          .include("dev\\.sett\\.kv\\.bench\\..*Benchmark")
          .forks(0)
          .warmupIterations(0)
          .measurementIterations(1)
          .measurementTime(TimeValue.milliseconds(100))
          .shouldFailOnError(true)
          .build();
      Collection<RunResult> results = new Runner(opts).run();
      Set<String> names = new TreeSet<>();
      for (RunResult r : results) {
        names.add(r.getParams().getBenchmark().replaceAll(".*\\.", ""));
        assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().toString());
      }
      assertEquals(Set.of("build", "get", "getAbsent", "put", "scan"), names,
          "every benchmark ran");
    } finally {
      System.clearProperty(Smoke.PROPERTY);
    }
  }
}
