package dev.sett.kv.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The memory a benchmark needed: the peak of the heap in use, sampled, and the peak resident set
 * size of the process as Linux records it.
 *
 * <p>The heap is sampled because {@link MemoryMXBean} only knows the current use; the per-pool
 * peaks of {@code MemoryPoolMXBean} would overstate it, since the pools peak at different times.
 * {@link PhaseRecorder} samples ten times a second, so a short spike between samples can be
 * missed: the figure is a lower bound of the true peak. The resident set peak ({@code VmHWM})
 * is exact but exists only on Linux.
 */
final class PeakMemory {
  private static final Path PROC_STATUS = Path.of("/proc/self/status");

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private long peakHeapUsed;

  /** Records the heap in use now. */
  void sample() {
    peakHeapUsed = Math.max(peakHeapUsed, memory.getHeapMemoryUsage().getUsed());
  }

  /**
   * The largest heap use sampled so far.
   *
   * @return bytes
   */
  long peakHeapUsed() {
    return peakHeapUsed;
  }

  /**
   * The heap limit ({@code -Xmx} or the JVM's default).
   *
   * @return bytes, or -1 if the JVM sets no limit
   */
  long maxHeap() {
    return memory.getHeapMemoryUsage().getMax();
  }

  /**
   * The peak resident set size of this process so far.
   *
   * @return bytes, or empty when {@code /proc/self/status} has no {@code VmHWM} line (not Linux)
   */
  static OptionalLong peakRss() {
    try {
      for (String line : Files.readAllLines(PROC_STATUS, StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmHWM:")) { // "VmHWM:    123456 kB"
          String[] parts = line.substring(6).trim().split("\\s+");
          return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or a format we do not know: the summary says "n/a".
    }
    return OptionalLong.empty();
  }
}
