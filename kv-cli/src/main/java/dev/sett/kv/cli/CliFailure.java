package dev.sett.kv.cli;

/**
 * A runtime failure the tool itself detects, such as a key that {@code get} does not find or a
 * value that {@code bench} reads back wrong. Reported as {@code sett: error: <message>}, exit 1.
 */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the failure.
   *
   * @param message the whole explanation, printed after {@code sett: error: }
   */
  CliFailure(String message) {
    super(message);
  }
}
