package dev.sett.kv.levels;

/** Names of table files: {@code NNNNNN.sst}, the file id in at least six decimal digits. */
public final class TableFiles {
  static final String SUFFIX = ".sst";

  private TableFiles() {}

  /**
   * The name of table {@code id}'s file.
   *
   * @param id the table's id
   * @return {@code NNNNNN.sst}
   */
  public static String name(long id) {
    return String.format("%06d%s", id, SUFFIX);
  }

  /**
   * The id in a table file's name.
   *
   * @param name a file name
   * @return the id, or -1 if {@code name} is not a table file's name
   */
  public static long id(String name) {
    if (!name.endsWith(SUFFIX) || name.length() < 6 + SUFFIX.length()) {
      return -1;
    }
    String digits = name.substring(0, name.length() - SUFFIX.length());
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -1;
      }
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
