package dev.sett.kv.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM on the test class path whose standard output lines are collected as they come, for
 * the tests that kill processes ({@link CrashLoopTest}, {@link SequenceCrashTest}). Its standard
 * error goes to a file, for failure messages.
 *
 * <p>Concurrency notes: one reader thread per child moves lines into a queue and adds {@link
 * #EOF} when the stream ends (the child exited or was killed); the test thread takes them.
 */
final class ChildJvm {
  /** The line that marks the end of the child's output. */
  static final String EOF = "EOF";

  private final Process process;
  private final Thread reader;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Path stderr;

  private ChildJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the child was killed
      }
      lines.add(EOF);
    }, "child-jvm-reader");
    reader.start();
  }

  /** The {@code java} launcher of the JVM running the tests. */
  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Starts {@code main} with {@code args} in a new JVM of {@code heap} ({@code -Xmx}).
   *
   * @param stderr where its standard error goes
   */
  static ChildJvm start(Path stderr, String heap, Class<?> main, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx" + heap, "-cp",
        System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    return new ChildJvm(p, stderr);
  }

  /** The next line, {@link #EOF} once the output ended, or {@code null} after the timeout. */
  String poll(long seconds) throws InterruptedException {
    return lines.poll(seconds, TimeUnit.SECONDS);
  }

  /** Kills the child (SIGKILL on Linux and macOS) and returns the lines not taken yet. */
  List<String> kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
    reader.join();
    List<String> rest = new ArrayList<>(lines);
    rest.remove(EOF);
    return rest;
  }

  /** The last lines of the child's standard error, for a failure message. */
  String stderrTail() {
    try {
      List<String> all = Files.readAllLines(stderr, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    } catch (IOException e) {
      return "(cannot read " + stderr + ": " + e + ")";
    }
  }
}
