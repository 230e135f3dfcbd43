package dev.sett.kv.bench.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@link CompareChild} in a fresh JVM with this JVM's class path and the given heap, keeps
 * its output in a log file, and reads its peak resident memory from {@code /proc/PID/status}
 * ({@code VmHWM}) after it reports and before it exits.
 */
final class ChildLauncher {
  /** Opens LMDBJava needs on Java 17+ to reach direct buffers' addresses. */
  static final List<String> JVM_OPENS = List.of(
      "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");

  private final String heap;

  /**
   * A launcher.
   *
   * @param heap the child's {@code -Xmx}, such as {@code 2g}
   */
  ChildLauncher(String heap) {
    this.heap = heap;
  }

  /** A finished child: its result line and its peak resident memory. */
  record Outcome(String resultLine, long peakRssBytes) {}

  /**
   * Runs a child to completion.
   *
   * @param args the child's arguments
   * @param log where its output goes (appended)
   * @return the outcome
   * @throws IOException if the child cannot start or fails; the message names the log
   */
  Outcome run(List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.addAll(JVM_OPENS);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CompareChild.class.getName());
    cmd.addAll(args);
    Files.createDirectories(log.getParent());
    Files.writeString(log, String.join(" ", cmd) + System.lineSeparator(), StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Process p = new ProcessBuilder(cmd)
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    String result = null;
    long rss = -1;
    try (BufferedReader out = new BufferedReader(
            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer copy = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
            StandardOpenOption.APPEND);
        OutputStream in = p.getOutputStream()) {
      for (String line; (line = out.readLine()) != null; ) {
        copy.write(line + System.lineSeparator());
        if (line.startsWith(CompareChild.RESULT)) {
          result = line;
          rss = peakRss(p.pid());
          break;
        }
      }
      in.close(); // lets the child exit
      for (String line; (line = out.readLine()) != null; ) {
        copy.write(line + System.lineSeparator());
      }
    }
    int code;
    try {
      code = p.waitFor();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the child", e);
    }
    if (result == null || code != 0) {
      throw new IOException("the measured JVM failed (exit code " + code + "): see " + log);
    }
    return new Outcome(result, rss);
  }

  /**
   * A process's peak resident set, from {@code VmHWM} in {@code /proc/PID/status}.
   *
   * @param pid the process
   * @return bytes, or -1 where there is no {@code /proc} (not Linux)
   */
  static long peakRss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024; // kB
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
