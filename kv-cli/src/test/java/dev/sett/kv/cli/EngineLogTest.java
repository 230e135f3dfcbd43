package dev.sett.kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the engine logs reaches the user as one-line messages, INFO only with --verbose. */
class EngineLogTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final Logger engine = System.getLogger("dev.sett.kv.core.Example");

  @Test
  void quiet_showsWarningsAndErrorsOnly() {
    EngineLog.configure(err, false);
    engine.log(Level.INFO, "opened {0}", "db");
    engine.log(Level.WARNING, "slow flush of {0}", "000001.mem");
    engine.log(Level.ERROR, "background failure");
    assertEquals("sett: warning: slow flush of 000001.mem\nsett: error: background failure\n",
        bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }

  @Test
  void verbose_showsInfoToo() {
    EngineLog.configure(err, true);
    engine.log(Level.INFO, "opened {0}", "db");
    engine.log(Level.DEBUG, "not shown even when verbose");
    assertEquals("sett: info: opened db\n",
        bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }
}
