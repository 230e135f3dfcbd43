package dev.sett.kv.core;

import dev.sett.kv.Db;
import dev.sett.kv.Options;
import dev.sett.kv.VerifyReport;
import dev.sett.kv.spi.EngineProvider;

/** The {@code core} engine: Sett's own LSM engine. Stateless; found through ServiceLoader. */
public final class CoreEngineProvider implements EngineProvider {

  /** Creates the provider (ServiceLoader needs a public no-argument constructor). */
  public CoreEngineProvider() {}

  @Override
  public String name() {
    return DEFAULT_NAME;
  }

  @Override
  public Db open(Options options) {
    return SettDb.open(options);
  }

  @Override
  public VerifyReport verify(Options options) {
    return Verifier.verifyClosed(options);
  }
}
