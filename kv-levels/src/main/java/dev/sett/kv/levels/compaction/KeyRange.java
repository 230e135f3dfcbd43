package dev.sett.kv.levels.compaction;

import dev.sett.kv.internal.Keys;
import dev.sett.kv.spi.CompactionStrategy.TableView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A closed range of user keys, {@code [smallest, largest]} in unsigned byte order. Ranges cover
 * every version of their end keys, so two tables that share only one key still overlap: all
 * versions of a key must end up on the same side of a compaction.
 *
 * <p>Public (the package is not exported) so that the levels controller folds the key range of a
 * compaction's tables with {@link #hull} too, rather than with a loop of its own.
 *
 * @param smallest the first key
 * @param largest the last key, not before {@code smallest}
 */
public record KeyRange(byte[] smallest, byte[] largest) {

  /**
   * The smallest range covering {@code range} and {@code [smallest, largest]}: one step of the
   * fold over a set of tables, started with {@code null}.
   *
   * @param range the range so far, or {@code null} for none yet
   * @param smallest the first key of what to add
   * @param largest the last key of what to add
   * @return the hull of both
   */
  public static KeyRange hull(KeyRange range, byte[] smallest, byte[] largest) {
    if (range == null) {
      return new KeyRange(smallest, largest);
    }
    return new KeyRange(
        Keys.compare(smallest, range.smallest) < 0 ? smallest : range.smallest,
        Keys.compare(largest, range.largest) > 0 ? largest : range.largest);
  }

  /**
   * The smallest range covering some tables.
   *
   * @param tables at least one table
   * @return from the smallest of their smallest keys to the largest of their largest keys
   */
  static KeyRange covering(Collection<TableView> tables) {
    KeyRange range = null;
    for (TableView t : tables) {
      range = hull(range, t.smallestKey(), t.largestKey());
    }
    if (range == null) {
      throw new IllegalArgumentException("a key range needs at least one table");
    }
    return range;
  }

  /**
   * The range of one table.
   *
   * @param table the table
   * @return its range
   */
  static KeyRange of(TableView table) {
    return new KeyRange(table.smallestKey(), table.largestKey());
  }

  /**
   * Whether this range shares at least one key with a table's range.
   *
   * @param table the table
   * @return {@code true} if they overlap
   */
  boolean overlaps(TableView table) {
    return Keys.compare(smallest, table.largestKey()) <= 0
        && Keys.compare(table.smallestKey(), largest) <= 0;
  }

  /**
   * Whether this range shares at least one key with another.
   *
   * @param other the other range
   * @return {@code true} if they overlap
   */
  boolean overlaps(KeyRange other) {
    return Keys.compare(smallest, other.largest) <= 0
        && Keys.compare(other.smallest, largest) <= 0;
  }

  /**
   * This range extended to cover a table too.
   *
   * @param table the table
   * @return the union's hull
   */
  KeyRange extend(TableView table) {
    return hull(this, table.smallestKey(), table.largestKey());
  }

  /**
   * The tables of a level that overlap this range.
   *
   * @param level the level's tables
   * @return those that overlap, in the level's order
   */
  List<TableView> overlapping(List<TableView> level) {
    List<TableView> out = new ArrayList<>();
    for (TableView t : level) {
      if (overlaps(t)) {
        out.add(t);
      }
    }
    return out;
  }
}
