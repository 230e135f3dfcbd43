package dev.sett.kv.spi;

import dev.sett.kv.Db;
import dev.sett.kv.Options;

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
}
