package dev.sett.kv.spi;

import dev.sett.kv.Db;
import dev.sett.kv.Options;
import dev.sett.kv.VerifyReport;

/** Creates database engines; {@link Db#open(Options)} finds the engine through this SPI. */
public interface EngineProvider extends NamedProvider {

  /** The engine used when none is named: {@value}. */
  String DEFAULT_NAME = "core";

  /**
   * Opens the database the options describe.
   *
   * @param options validated options
   * @return the open database
   */
  Db open(Options options);

  /**
   * Checks every file of a database that is not open, without changing any (see {@link
   * Db#verify(Options)}). The default refuses: an engine that cannot check its files says so
   * rather than report a clean database it did not look at.
   *
   * @param options the database's options
   * @return what was checked and found
   * @throws UnsupportedOperationException if this engine cannot verify
   */
  default VerifyReport verify(Options options) {
    throw new UnsupportedOperationException("engine '" + name() + "' cannot verify a database");
  }
}
