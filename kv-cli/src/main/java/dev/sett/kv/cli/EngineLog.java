package dev.sett.kv.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Routes what the engine logs through {@link System.Logger} (which lands in {@code
 * java.util.logging}) to the tool's error stream as {@code sett: warning: <message>} lines.
 *
 * <p>The engine logs every open and close at INFO, which is right for an application's log file
 * and noise for a command that opens a database once per call: only warnings and errors are
 * shown unless {@code --verbose} asks for the rest.
 */
final class EngineLog {
  /** Held strongly: {@code java.util.logging} keeps loggers weakly, and would drop the level. */
  private static final Logger SETT = Logger.getLogger("dev.sett");

  private EngineLog() {}

  /**
   * Sends the engine's log to {@code err}, replacing what an earlier run in this JVM set up.
   *
   * @param err the stream for log lines
   * @param verbose {@code true} to show INFO lines too
   */
  static void configure(PrintStream err, boolean verbose) {
    for (Handler h : SETT.getHandlers()) {
      SETT.removeHandler(h);
    }
    Level level = verbose ? Level.INFO : Level.WARNING;
    SETT.setLevel(level);
    SETT.setUseParentHandlers(false);
    SETT.addHandler(new LineHandler(err, level, verbose));
  }

  /** Prints each record as one {@code sett: <level>: <message>} line. */
  private static final class LineHandler extends Handler {
    private final PrintStream err;
    private final boolean verbose;
    private final SimpleFormatter messages = new SimpleFormatter();

    LineHandler(PrintStream err, Level level, boolean verbose) {
      this.err = err;
      this.verbose = verbose;
      setLevel(level);
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      err.println("sett: " + name(record.getLevel()) + ": " + messages.formatMessage(record));
      if (record.getThrown() != null) {
        if (verbose) {
          record.getThrown().printStackTrace(err);
        } else {
          err.println("sett:   caused by " + record.getThrown());
        }
      }
    }

    private static String name(Level level) {
      if (level.intValue() >= Level.SEVERE.intValue()) {
        return "error";
      }
      if (level.intValue() >= Level.WARNING.intValue()) {
        return "warning";
      }
      return level.intValue() >= Level.INFO.intValue()
          ? "info" : level.getName().toLowerCase(Locale.ROOT);
    }

    @Override
    public void flush() {
      err.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
