package dev.sett.kv.cli;

import java.util.Arrays;

/**
 * The verdict of {@code bench}'s read phase: every key must come back with exactly the value
 * written. Counts keys found missing or with a wrong value and remembers the first of them, whose
 * key (with the printed seed) is what it takes to chase the bug.
 */
final class ReadBackCheck {
  private long checked;
  private long missing;
  private long wrong;
  private String first;

  /**
   * Checks one read.
   *
   * @param key the key read
   * @param expected the value that was written
   * @param actual the value read, {@code null} if the key was not found
   */
  void accept(byte[] key, byte[] expected, byte[] actual) {
    checked++;
    if (actual == null) {
      missing++;
      noteFirst("key 0x" + Hex.encode(key) + " missing");
    } else if (!Arrays.equals(expected, actual)) {
      wrong++;
      noteFirst("key 0x" + Hex.encode(key) + " has a wrong value (" + actual.length
          + " bytes, " + expected.length + " expected)");
    }
  }

  private void noteFirst(String what) {
    if (first == null) {
      first = what;
    }
  }

  /**
   * Whether every key checked so far came back right.
   *
   * @return {@code true} when nothing was missing or wrong
   */
  boolean passed() {
    return missing == 0 && wrong == 0;
  }

  /**
   * What went wrong, for the error message.
   *
   * @return counts and the first bad key
   */
  String failures() {
    return BenchReport.count(missing) + " of " + BenchReport.count(checked) + " keys missing, "
        + BenchReport.count(wrong) + " with a wrong value; first: " + first;
  }

  /**
   * The verdict for the summary.
   *
   * @return one line
   */
  String summary() {
    return passed()
        ? "all " + BenchReport.count(checked) + " keys read back with the right value"
        : "FAILED: " + failures();
  }
}
