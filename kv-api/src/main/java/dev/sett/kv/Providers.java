package dev.sett.kv;

import dev.sett.kv.internal.Registries;
import dev.sett.kv.spi.BlockCacheFactory;
import dev.sett.kv.spi.CompactionStrategyProvider;
import dev.sett.kv.spi.EngineProvider;
import dev.sett.kv.spi.MemTableFactory;
import dev.sett.kv.spi.NamedProvider;
import dev.sett.kv.spi.TableFormat;
import dev.sett.kv.spi.ValueLogFormat;
import dev.sett.kv.spi.ValueSeparationPolicy;
import java.util.Set;

/**
 * The names of the providers found for each SPI, the names {@link Options.Builder} accepts (for
 * example {@code memTable("skiplist")}). Tools use it to check a name before opening a database;
 * the lookup itself runs in this module, the only one that declares the SPIs' {@code uses}.
 */
public final class Providers {
  private Providers() {}

  /**
   * The names registered for an SPI.
   *
   * @param spi one of the SPIs of {@code dev.sett.kv.spi} that {@link Options} selects by name
   * @return the sorted names
   * @throws IllegalArgumentException if {@code spi} is not such an SPI
   */
  public static Set<String> names(Class<? extends NamedProvider> spi) {
    if (spi == MemTableFactory.class) {
      return Registries.memTables().names();
    } else if (spi == TableFormat.class) {
      return Registries.tableFormats().names();
    } else if (spi == BlockCacheFactory.class) {
      return Registries.blockCaches().names();
    } else if (spi == ValueLogFormat.class) {
      return Registries.valueLogFormats().names();
    } else if (spi == ValueSeparationPolicy.class) {
      return Registries.valueSeparationPolicies().names();
    } else if (spi == CompactionStrategyProvider.class) {
      return Registries.compactionStrategies().names();
    } else if (spi == EngineProvider.class) {
      return Registries.engines().names();
    }
    throw new IllegalArgumentException(spi.getName() + " is not an SPI selected by name");
  }
}
