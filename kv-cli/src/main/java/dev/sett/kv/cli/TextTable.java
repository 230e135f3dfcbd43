package dev.sett.kv.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain-text table with a header row: the first column left-aligned, the others right-aligned
 * as numbers are, each as wide as its widest cell, two spaces apart. Plain text so that it reads
 * the same in a terminal, a log and a fenced block of a Markdown page.
 */
final class TextTable {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  /**
   * Creates a table.
   *
   * @param headers the column titles
   */
  TextTable(String... headers) {
    this.columns = headers.length;
    rows.add(headers.clone());
  }

  /**
   * A count as a cell: digits grouped by thousands, as {@code 1,234,567}.
   *
   * @param n the count
   * @return the text
   */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /**
   * Adds a row.
   *
   * @param cells one cell per column
   * @return this table
   */
  TextTable row(String... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(columns + " cells expected, got " + cells.length);
    }
    rows.add(cells.clone());
    return this;
  }

  /**
   * Prints the table, one line per row.
   *
   * @param out the stream
   */
  void print(PrintStream out) {
    print(out, false);
  }

  /**
   * Prints the rows with every column left-aligned (for label and value pairs): the first row is
   * a row like the others here, not a header.
   *
   * @param out the stream
   */
  void printLeft(PrintStream out) {
    print(out, true);
  }

  private void print(PrintStream out, boolean allLeft) {
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String pad = " ".repeat(width[c] - r[c].length());
        if (c == 0) {
          line.append(r[c]).append(pad);
        } else if (allLeft) {
          line.append("  ").append(r[c]).append(pad);
        } else {
          line.append("  ").append(pad).append(r[c]);
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
