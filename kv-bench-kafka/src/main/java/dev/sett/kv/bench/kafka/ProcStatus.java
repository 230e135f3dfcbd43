package dev.sett.kv.bench.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory from {@code /proc/self/status} (Linux; -1 elsewhere). */
final class ProcStatus {
  private ProcStatus() {}

  /** Peak resident set ({@code VmHWM}), bytes. */
  static long peakRss() {
    return field("VmHWM:");
  }

  /** Current resident set ({@code VmRSS}), bytes. */
  static long rss() {
    return field("VmRSS:");
  }

  /** Threads of the process, the JVM's and native ones ({@code Threads}). */
  static long threads() {
    return field("Threads:") / 1024;
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          String[] parts = line.substring(name.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024; // kB
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Samples {@code VmRSS} on a daemon thread and keeps the largest sample. */
  static final class Sampler implements AutoCloseable {
    private final Thread thread;
    private volatile long max = -1;
    private volatile boolean stop;

    Sampler(long periodMillis) {
      thread = new Thread(() -> {
        while (!stop) {
          max = Math.max(max, rss());
          try {
            Thread.sleep(periodMillis);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "rss-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    long max() {
      return Math.max(max, rss());
    }

    @Override
    public void close() {
      stop = true;
      thread.interrupt();
    }
  }
}
