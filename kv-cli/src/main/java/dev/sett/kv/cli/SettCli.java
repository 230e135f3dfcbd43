package dev.sett.kv.cli;

import java.io.BufferedOutputStream;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code sett} command: the entry point of the command line tool and the parent of every
 * subcommand.
 *
 * <p>Exit codes: 0 on success, 1 on a runtime failure (one line {@code sett: error: <message>} on
 * standard error), 2 on bad arguments (the message and the usage on standard error), {@value
 * #EXIT_DAMAGE} when {@code verify} found damage (the report on standard output).
 */
@Command(
    name = "sett",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Sett, an embedded key-value store: benchmark it, read or write a database,"
        + " check and inspect its files.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      BenchCommand.class,
      PutCommand.class,
      GetCommand.class,
      DeleteCommand.class,
      ScanCommand.class,
      VerifyCommand.class,
      InfoCommand.class,
      FlattenCommand.class,
      BackupCommand.class,
      RestoreCommand.class
    },
    footer = {
      "",
      "Exit status: 0 success, 1 runtime error, 2 bad arguments, 3 verify found damage.",
      "Run 'sett COMMAND --help' for the options of a command."
    })
public final class SettCli implements Callable<Integer> {

  /** The exit code of a {@code verify} that found damage: the check ran, the data is bad. */
  static final int EXIT_DAMAGE = 3;

  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;

  @Spec private CommandSpec spec;

  @Option(
      names = "--stacktrace",
      scope = ScopeType.INHERIT,
      description = "On a runtime error, print the stack trace as well as the message.")
  private boolean stackTrace;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Show the engine's informational log (open, close, flushes) on stderr.")
  private boolean verbose;

  private SettCli(PrintStream out, PrintStream err, boolean terminal) {
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /**
   * Runs the tool with the process's standard streams and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String... args) {
    // Buffered and UTF-8 whatever the platform encoding: scan prints many lines, and values are
    // written as their raw bytes anyway. run() flushes before returning.
    PrintStream stdout = new PrintStream(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
        false, StandardCharsets.UTF_8);
    System.exit(run(stdout, System.err, args));
  }

  /**
   * Runs the tool in this process, as {@code main} does but without exiting, so tests can call it.
   *
   * @param out where results go (values, scan lines, the bench summary)
   * @param err where progress, usage and error messages go
   * @param args the command line
   * @return the exit code: 0 success, 1 runtime error, 2 bad arguments
   */
  static int run(PrintStream out, PrintStream err, String... args) {
    // Redrawing a progress bar with \r only makes sense on a terminal, and only on the real one:
    // a test passing its own stream gets the plain line-per-10% form.
    boolean terminal = err == System.err && isTerminal(System.console());
    SettCli root = new SettCli(out, err, terminal);
    PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8));
    CommandLine cmd = new CommandLine(root)
        .setOut(outWriter)
        .setErr(errWriter)
        .setExecutionStrategy(parsed -> {
          // After parsing, so --verbose is known; before the command opens a database.
          EngineLog.configure(err, root.verbose);
          return new CommandLine.RunLast().execute(parsed);
        })
        .setParameterExceptionHandler(new UsageErrorReporter())
        .setExecutionExceptionHandler(new ErrorReporter(root));
    try {
      return cmd.execute(args);
    } catch (OutOfMemoryError e) {
      // picocli lets Errors through. This one has a remedy the user can apply, so say it; the
      // failed allocation is garbage by now, so printing a line is safe.
      err.println("sett: error: out of memory (" + e.getMessage() + "); give the JVM more heap,"
          + " e.g. JAVA_OPTS=-Xmx4g");
      return 1;
    } finally {
      outWriter.flush();
      errWriter.flush();
      out.flush();
      err.flush();
    }
  }

  /**
   * Whether the process talks to a terminal. Up to Java 21 a console exists only then; from Java
   * 22 {@link System#console()} returns one even when the streams are redirected, and {@code
   * Console.isTerminal()} (looked up reflectively, since the code targets 17) tells the truth.
   */
  private static boolean isTerminal(Console console) {
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // Java 17 to 21: a console means a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false; // when unsure, the plain line-per-tenth output is safe everywhere
    }
  }

  /** Without a command there is nothing to do: that is a usage error, as for git. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing command");
  }

  /**
   * The stream for results.
   *
   * @return standard output, or the stream a test passed in
   */
  PrintStream out() {
    return out;
  }

  /**
   * The stream for progress and diagnostics.
   *
   * @return standard error, or the stream a test passed in
   */
  PrintStream err() {
    return err;
  }

  /**
   * Whether standard error is an interactive terminal that can redraw a line.
   *
   * @return {@code true} for a terminal
   */
  boolean terminal() {
    return terminal;
  }

  /**
   * Whether {@code --stacktrace} was given.
   *
   * @return {@code true} to print stack traces of runtime errors
   */
  boolean stackTrace() {
    return stackTrace;
  }
}
