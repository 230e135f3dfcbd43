package dev.sett.kv.core;

import java.util.Locale;

/** Names of the files in a database directory, defined once. */
final class FileNames {
  /** The directory lock. */
  static final String LOCK = "LOCK";
  /** Suffix of memtable WAL files. */
  static final String WAL_SUFFIX = ".mem";

  private FileNames() {}

  static String wal(long id) {
    return String.format(Locale.ROOT, "%06d%s", id, WAL_SUFFIX);
  }

  /**
   * The id in a WAL file name.
   *
   * @return the id, or -1 if {@code name} is not a WAL file name
   */
  static long walId(String name) {
    if (!name.endsWith(WAL_SUFFIX) || name.length() <= WAL_SUFFIX.length()) {
      return -1;
    }
    String digits = name.substring(0, name.length() - WAL_SUFFIX.length());
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -1;
      }
    }
    return digits.length() > 18 ? -1 : Long.parseLong(digits);
  }
}
