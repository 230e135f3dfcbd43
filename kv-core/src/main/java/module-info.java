/**
 * The Sett engine: open and close sequences, the WAL, the group-commit write path, the oracle and
 * transactions, iterators. Found by {@code Db.open} through {@link dev.sett.kv.spi.EngineProvider}.
 */
module dev.sett.kv.core {
  requires dev.sett.kv;
  requires dev.sett.kv.levels;

  provides dev.sett.kv.spi.EngineProvider with
      dev.sett.kv.core.CoreEngineProvider;
}
