package dev.sett.kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lanes recorded by several threads at once merge into one phase result. */
class PhaseRecorderTest {

  @Test
  void lanesOfSeveralThreads_mergeIntoOneHistogramAndCount() throws InterruptedException {
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    int threads = 4;
    int callsPerThread = 10_000;
    PhaseRecorder rec = new PhaseRecorder("load", "one call", 2L * threads * callsPerThread,
        20L * threads * callsPerThread, new PeakMemory(), err, false);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long slowest = (t + 1) * 1_000_000L; // thread t's largest latency: (t + 1) ms
      workers.add(new Thread(() -> {
        PhaseRecorder.Lane lane = rec.newLane();
        for (int i = 1; i <= callsPerThread; i++) {
          lane.record(0, i == callsPerThread ? slowest : 1_000, 2);
        }
      }));
    }
    workers.forEach(Thread::start);
    for (Thread w : workers) {
      rec.watch(System.nanoTime()); // concurrently with the lanes: reads counts only
      w.join();
    }
    PhaseResult result = rec.finish();
    assertEquals(2L * threads * callsPerThread, result.ops());
    assertEquals(20L * threads * callsPerThread, result.bytes());
    assertEquals((long) threads * callsPerThread, result.latencyNanos().getTotalCount());
    assertEquals(4_000.0, result.maxLatencyMicros(), 4.0); // the slowest call of any thread
    assertEquals(1.0, result.latencyMicros(50), 0.01);
  }
}
