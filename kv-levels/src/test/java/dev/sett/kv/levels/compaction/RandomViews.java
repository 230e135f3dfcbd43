package dev.sett.kv.levels.compaction;

import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.Settings;
import dev.sett.kv.spi.CompactionStrategy.TableView;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Random settings and views for the properties: L0 tables over random, overlapping key ranges;
 * deeper levels of disjoint tables in key order, sized around their would-be targets so that
 * scores fall on both sides of 1; some levels empty, the bottom sometimes tiny (the shape of
 * Badger #2143); random compacting flags, from none to most tables.
 *
 * <p>Keys are two bytes, big-endian, so unsigned order matters above 0x7fff; small key spaces
 * make shared end keys and full overlaps common.
 */
final class RandomViews {
  private RandomViews() {}

  static Settings settings(Random r) {
    int maxLevels = 2 + r.nextInt(7);
    long memTableSize = (64L << 10) << r.nextInt(5);
    long baseTableSize = (4L << 10) << r.nextInt(5);
    long baseLevelSize = (16L << 10) << r.nextInt(8);
    int levelSizeMultiplier = 2 + r.nextInt(9);
    int tableSizeMultiplier = 1 + r.nextInt(3);
    int numLevelZeroTables = 1 + r.nextInt(8);
    return new Settings(maxLevels, memTableSize, baseTableSize, baseLevelSize,
        levelSizeMultiplier, tableSizeMultiplier, numLevelZeroTables);
  }

  static LevelsView view(Random r, Settings s) {
    int keySpace = new int[] {4, 16, 200, 65536}[r.nextInt(4)];
    int compactingPercent = new int[] {0, 0, 10, 30, 70}[r.nextInt(5)];
    long[] nextId = {1 + r.nextInt(1000)};
    List<List<TableView>> levels = new ArrayList<>();

    List<TableView> l0 = new ArrayList<>();
    int l0Count = r.nextInt(2 * s.numLevelZeroTables() + 3);
    long version = 1_000_000;
    for (int i = 0; i < l0Count; i++) {
      int lo = r.nextInt(keySpace);
      int hi = lo + r.nextInt(keySpace - lo);
      // Mostly memtable-sized, some over twice that (merged by L0 to L0 before).
      long size = (long) (s.memTableSize() * (0.1 + 3 * r.nextDouble()));
      l0.add(new TableView(nextId[0]++, size, key(lo), key(hi), version--,
          r.nextInt(100) < compactingPercent));
    }
    levels.add(l0);

    for (int level = 1; level < s.maxLevels(); level++) {
      boolean last = level == s.maxLevels() - 1;
      if (r.nextInt(100) < (last ? 15 : 45)) {
        levels.add(List.of());
        continue;
      }
      int count = 1 + r.nextInt(Math.min(12, keySpace / 2));
      // Around the target the level would have under a base level at L1, times 1/32 to 8.
      double scale = Math.pow(s.levelSizeMultiplier(), level - 1) * Math.pow(2, r.nextInt(9) - 5);
      long levelBytes = (long) Math.min(1e15, s.baseLevelSize() * scale);
      TreeSet<Integer> bounds = new TreeSet<>();
      while (bounds.size() < 2 * count) {
        bounds.add(r.nextInt(keySpace));
      }
      List<Integer> sorted = new ArrayList<>(bounds);
      List<TableView> tables = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        long size = Math.max(1, (long) (levelBytes / count * (0.5 + r.nextDouble())));
        tables.add(new TableView(nextId[0]++, size, key(sorted.get(2 * i)),
            key(sorted.get(2 * i + 1)), r.nextInt(1_000_000), r.nextInt(100) < compactingPercent));
      }
      levels.add(tables);
    }
    return new LevelsView(levels);
  }

  static byte[] key(int k) {
    return new byte[] {(byte) (k >>> 8), (byte) k};
  }
}
