/**
 * Public API, service provider interfaces and storage abstraction of the Sett key-value store.
 *
 * <p>{@code ServiceLoader.load} runs in this module (the engine, memtable and every other
 * provider is looked up here), so every {@code uses} clause lives here too.
 */
@SuppressWarnings("module") // the targets of the qualified export are compiled after this module
module dev.sett.kv {
  exports dev.sett.kv;
  exports dev.sett.kv.spi;
  exports dev.sett.kv.io;
  exports dev.sett.kv.internal to
      dev.sett.kv.skiplist,
      dev.sett.kv.table,
      dev.sett.kv.vlog,
      dev.sett.kv.levels,
      dev.sett.kv.core,
      dev.sett.kv.testkit;

  uses dev.sett.kv.spi.EngineProvider;
  uses dev.sett.kv.spi.MemTableFactory;
  uses dev.sett.kv.spi.TableFormat;
  uses dev.sett.kv.spi.BlockCacheFactory;
  uses dev.sett.kv.spi.ValueLogFormat;
  uses dev.sett.kv.spi.ValueSeparationPolicy;
  uses dev.sett.kv.spi.CompactionStrategyProvider;
}
