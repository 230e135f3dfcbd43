package dev.sett.kv.levels.compaction;

import dev.sett.kv.spi.CompactionStrategy.LevelsView;
import dev.sett.kv.spi.CompactionStrategy.Settings;

/** Argument checks shared by both strategies, so that a bad call fails loudly and early. */
final class StrategyChecks {
  private StrategyChecks() {}

  /**
   * Checks settings; the engine builds them from validated options, so this guards other callers.
   *
   * @param s the settings
   * @return {@code s}
   * @throws IllegalArgumentException naming the first value out of range
   */
  static Settings settings(Settings s) {
    if (s == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    range("maxLevels", s.maxLevels(), 2, 16);
    range("memTableSize", s.memTableSize(), 1, Long.MAX_VALUE);
    range("baseTableSize", s.baseTableSize(), 1, Long.MAX_VALUE);
    range("baseLevelSize", s.baseLevelSize(), 1, Long.MAX_VALUE);
    range("levelSizeMultiplier", s.levelSizeMultiplier(), 1, Integer.MAX_VALUE);
    range("tableSizeMultiplier", s.tableSizeMultiplier(), 1, Integer.MAX_VALUE);
    range("numLevelZeroTables", s.numLevelZeroTables(), 1, Integer.MAX_VALUE);
    return s;
  }

  /**
   * Checks that a view has one list per level and a compactor id is not negative.
   *
   * @param s the strategy's settings
   * @param view the view
   * @param compactorId the asking compactor
   * @throws IllegalArgumentException if either does not fit
   */
  static void view(Settings s, LevelsView view, int compactorId) {
    view(s, view);
    if (compactorId < 0) {
      throw new IllegalArgumentException("compactorId " + compactorId + " is negative");
    }
  }

  /**
   * Checks that a view has one list per level.
   *
   * @param s the strategy's settings
   * @param view the view
   * @throws IllegalArgumentException if it does not
   */
  static void view(Settings s, LevelsView view) {
    if (view == null) {
      throw new IllegalArgumentException("view must not be null");
    }
    if (view.levels().size() != s.maxLevels()) {
      throw new IllegalArgumentException("view has " + view.levels().size()
          + " levels, the settings say maxLevels " + s.maxLevels());
    }
  }

  /**
   * {@code a * b} for non-negative operands, saturated at {@link Long#MAX_VALUE} instead of
   * overflowing: size targets of deep levels can exceed a {@code long} with extreme settings.
   *
   * @param a a non-negative factor
   * @param b a non-negative factor
   * @return the product, or {@link Long#MAX_VALUE}
   */
  static long saturatedMultiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
  }

  private static void range(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " " + value + " is out of range ["
          + min + ", " + max + "]");
    }
  }
}
