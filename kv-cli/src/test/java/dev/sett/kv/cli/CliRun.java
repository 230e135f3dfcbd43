package dev.sett.kv.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The outcome of one in-process {@code sett} invocation.
 *
 * @param exitCode what {@link SettCli#run} returned
 * @param out standard output, decoded as UTF-8
 * @param err standard error, decoded as UTF-8
 */
record CliRun(int exitCode, String out, String err) {

  /**
   * Runs {@code sett} with the given arguments, capturing both streams.
   *
   * @param args the command line
   * @return the outcome
   */
  static CliRun sett(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, false, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, false, StandardCharsets.UTF_8)) {
      code = SettCli.run(o, e, args);
    }
    return new CliRun(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
  }
}
