package dev.sett.kv.vlog.policy;

/** Checks shared by the policies. */
final class Policies {
  private Policies() {}

  /**
   * Checks {@code newInstance}'s arguments (Options has checked them already; a provider may also
   * be called directly).
   *
   * @throws IllegalArgumentException naming the argument, the value and the range
   */
  static void checkSettings(long valueThreshold, long maxValueThreshold, double percentile) {
    if (maxValueThreshold < 0 || maxValueThreshold > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxValueThreshold must be in [0, " + Integer.MAX_VALUE
          + "], got " + maxValueThreshold);
    }
    if (valueThreshold < 0 || valueThreshold > maxValueThreshold) {
      throw new IllegalArgumentException("valueThreshold must be in [0, maxValueThreshold="
          + maxValueThreshold + "], got " + valueThreshold);
    }
    if (!(percentile >= 0 && percentile <= 1)) {
      throw new IllegalArgumentException("vlogPercentile must be in [0, 1], got " + percentile);
    }
  }

  static void checkLengths(int keyLength, int valueLength) {
    if (keyLength < 0 || valueLength < 0) {
      throw new IllegalArgumentException("lengths must be at least 0, got key " + keyLength
          + ", value " + valueLength);
    }
  }
}
