package dev.sett.kv.cli;

import dev.sett.kv.KvException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception thrown by a command into the one-line {@code sett: error: <message>} and
 * exit code 1. Bad arguments never get here: picocli hands them to its parameter exception
 * handler, which prints the usage and returns 2.
 *
 * <p>Failures a user can act on (a locked directory, corruption, I/O, a value over the limit, a
 * missing engine) are expected, and their message is enough. Anything else is a bug in Sett, and
 * the stack trace is what a bug report needs, so it is printed for those even without {@code
 * --stacktrace}.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
  private final SettCli root;

  ErrorReporter(SettCli root) {
    this.root = root;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    boolean expected = isExpected(ex);
    root.err().println("sett: error: " + message(ex, expected));
    if (!expected || root.stackTrace()) {
      ex.printStackTrace(root.err());
    }
    return 1;
  }

  private static boolean isExpected(Exception ex) {
    return ex instanceof KvException
        || ex instanceof CliFailure
        || ex instanceof IllegalArgumentException
        || ex instanceof IllegalStateException
        || ex instanceof IOException
        || ex instanceof UncheckedIOException;
  }

  private static String message(Exception ex, boolean expected) {
    String m = ex.getMessage();
    if (m == null || m.isBlank()) {
      return ex.getClass().getSimpleName();
    }
    // A message may quote a multi-line cause; the contract is one line.
    m = m.strip().replaceAll("\\s*\\R\\s*", " ");
    return expected ? m : ex.getClass().getSimpleName() + ": " + m;
  }
}
