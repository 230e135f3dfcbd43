package dev.sett.kv.levels.compaction;

import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.Settings;
import dev.sett.kv.spi.CompactionStrategy.TableView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Hand-built views and settings for the strategy tests. */
final class Views {
  static final long KIB = 1L << 10;
  static final long MIB = 1L << 20;

  private Views() {}

  /**
   * Badger's defaults: 7 levels, 64 MiB memtables, 2 MiB base tables, a 10 MiB base level, level
   * multiplier 10, table multiplier 2, 5 L0 tables.
   */
  static Settings badgerDefaults() {
    return new Settings(7, 64 * MIB, 2 * MIB, 10 * MIB, 10, 2, 5);
  }

  /**
   * A table that is not being compacted, with its id as max version.
   *
   * @param id the id
   * @param size its size in bytes
   * @param smallest its smallest key, as ASCII
   * @param largest its largest key, as ASCII
   */
  static TableView table(long id, long size, String smallest, String largest) {
    return new TableView(id, size, key(smallest), key(largest), id, false);
  }

  /** The same table with another max version. */
  static TableView version(TableView t, long maxVersion) {
    return new TableView(t.id(), t.sizeBytes(), t.smallestKey(), t.largestKey(), maxVersion,
        t.compacting());
  }

  /** The same table, being compacted. */
  static TableView compacting(TableView t) {
    return new TableView(t.id(), t.sizeBytes(), t.smallestKey(), t.largestKey(), t.maxVersion(),
        true);
  }

  static byte[] key(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * A view of {@code levels} levels, all empty until set.
   *
   * @param levels the number of levels
   */
  static Builder levels(int levels) {
    return new Builder(levels);
  }

  /** Builds a view level by level. */
  static final class Builder {
    private final List<List<TableView>> levels = new ArrayList<>();

    private Builder(int count) {
      for (int i = 0; i < count; i++) {
        levels.add(List.of());
      }
    }

    /** Sets a level's tables (L0 newest first, deeper levels by key). */
    Builder level(int level, TableView... tables) {
      levels.set(level, Arrays.asList(tables));
      return this;
    }

    /**
     * Sets a level to {@code count} disjoint tables of {@code size} bytes each, in key order
     * from {@code prefix + "000000"}, with ids from {@code firstId} on.
     */
    Builder filled(int level, int count, long size, String prefix, long firstId) {
      List<TableView> tables = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        tables.add(table(firstId + i, size, String.format("%s%05d0", prefix, i),
            String.format("%s%05d9", prefix, i)));
      }
      levels.set(level, tables);
      return this;
    }

    LevelsView build() {
      return new LevelsView(levels);
    }
  }
}
