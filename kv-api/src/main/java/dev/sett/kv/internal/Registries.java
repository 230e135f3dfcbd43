package dev.sett.kv.internal;

import dev.sett.kv.spi.BlockCacheFactory;
import dev.sett.kv.spi.CompactionStrategyProvider;
import dev.sett.kv.spi.EngineProvider;
import dev.sett.kv.spi.MemTableFactory;
import dev.sett.kv.spi.NamedProvider;
import dev.sett.kv.spi.TableFormat;
import dev.sett.kv.spi.ValueLogFormat;
import dev.sett.kv.spi.ValueSeparationPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * One {@link ProviderRegistry} per SPI, each created on first use by its own holder class so that
 * looking up one SPI never loads the others.
 *
 * <p>{@code ServiceLoader.load} is called here, in module {@code dev.sett.kv}, which declares the
 * {@code uses}. On the module path providers are found in the layer of this module (and its
 * parents); on the class path through {@code META-INF/services} with this module's class loader.
 */
public final class Registries {
  private Registries() {}

  static <S extends NamedProvider> List<S> load(Class<S> spi) {
    Module m = Registries.class.getModule();
    ServiceLoader<S> sl = m.isNamed() && m.getLayer() != null
        ? ServiceLoader.load(m.getLayer(), spi)
        : ServiceLoader.load(spi, Registries.class.getClassLoader());
    List<S> all = new ArrayList<>();
    sl.forEach(all::add);
    return all;
  }

  /**
   * The engine registry.
   *
   * @return the registry of {@link EngineProvider}s
   */
  public static ProviderRegistry<EngineProvider> engines() {
    return Engines.R;
  }

  /**
   * The memtable registry.
   *
   * @return the registry of {@link MemTableFactory}s
   */
  public static ProviderRegistry<MemTableFactory> memTables() {
    return MemTables.R;
  }

  /**
   * The table format registry.
   *
   * @return the registry of {@link TableFormat}s
   */
  public static ProviderRegistry<TableFormat> tableFormats() {
    return TableFormats.R;
  }

  /**
   * The block cache registry.
   *
   * @return the registry of {@link BlockCacheFactory}s
   */
  public static ProviderRegistry<BlockCacheFactory> blockCaches() {
    return BlockCaches.R;
  }

  /**
   * The value log format registry.
   *
   * @return the registry of {@link ValueLogFormat}s
   */
  public static ProviderRegistry<ValueLogFormat> valueLogFormats() {
    return ValueLogFormats.R;
  }

  /**
   * The value separation policy registry.
   *
   * @return the registry of {@link ValueSeparationPolicy}s
   */
  public static ProviderRegistry<ValueSeparationPolicy> valueSeparationPolicies() {
    return ValueSeparationPolicies.R;
  }

  /**
   * The compaction strategy registry.
   *
   * @return the registry of {@link CompactionStrategyProvider}s
   */
  public static ProviderRegistry<CompactionStrategyProvider> compactionStrategies() {
    return CompactionStrategies.R;
  }

  private static final class Engines {
    static final ProviderRegistry<EngineProvider> R = new ProviderRegistry<>(
        EngineProvider.class, EngineProvider.DEFAULT_NAME, () -> load(EngineProvider.class));
  }

  private static final class MemTables {
    static final ProviderRegistry<MemTableFactory> R = new ProviderRegistry<>(
        MemTableFactory.class, MemTableFactory.DEFAULT_NAME, () -> load(MemTableFactory.class));
  }

  private static final class TableFormats {
    static final ProviderRegistry<TableFormat> R = new ProviderRegistry<>(
        TableFormat.class, TableFormat.DEFAULT_NAME, () -> load(TableFormat.class));
  }

  private static final class BlockCaches {
    static final ProviderRegistry<BlockCacheFactory> R = new ProviderRegistry<>(
        BlockCacheFactory.class, BlockCacheFactory.DEFAULT_NAME,
        () -> load(BlockCacheFactory.class));
  }

  private static final class ValueLogFormats {
    static final ProviderRegistry<ValueLogFormat> R = new ProviderRegistry<>(
        ValueLogFormat.class, ValueLogFormat.DEFAULT_NAME, () -> load(ValueLogFormat.class));
  }

  private static final class ValueSeparationPolicies {
    static final ProviderRegistry<ValueSeparationPolicy> R = new ProviderRegistry<>(
        ValueSeparationPolicy.class, ValueSeparationPolicy.DEFAULT_NAME,
        () -> load(ValueSeparationPolicy.class));
  }

  private static final class CompactionStrategies {
    static final ProviderRegistry<CompactionStrategyProvider> R = new ProviderRegistry<>(
        CompactionStrategyProvider.class, CompactionStrategyProvider.DEFAULT_NAME,
        () -> load(CompactionStrategyProvider.class));
  }
}
