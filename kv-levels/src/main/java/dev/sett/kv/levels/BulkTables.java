package dev.sett.kv.levels;

import dev.sett.kv.internal.Keys;
import dev.sett.kv.spi.StoredValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Tables written straight from a sorted stream of entries into the last level (a stream writer's
 * bulk load, Badger's {@code StreamWriter}): no memtable, no WAL, no compaction. Entries arrive
 * in internal-key order (keys ascending, each key's versions newest first); a table is closed at
 * the target size between two keys, never inside one key's versions. Nothing is visible until
 * {@link #install}, which lists every table in one MANIFEST record and publishes them together;
 * {@link #close} before that deletes what was written.
 *
 * <p>Single-threaded: one writer feeds it. Installing takes the levels lock briefly, as a flush
 * does.
 */
public final class BulkTables implements AutoCloseable {
  private final LevelState state;
  private final long targetTableSize;
  private final List<TableHandle> done = new ArrayList<>();
  private TableWriter writer;
  private byte[] lastKey;
  private byte[] firstKey;
  private boolean finished;

  BulkTables(LevelState state, long targetTableSize) {
    this.state = state;
    this.targetTableSize = targetTableSize;
  }

  /**
   * Adds the next entry.
   *
   * @param key the user key, after every key added so far, or equal to the last one with an
   *     older version (the caller checks the order)
   * @param value the version and what it holds
   * @throws IOException if a table cannot be written
   */
  public void add(byte[] key, StoredValue value) throws IOException {
    if (finished) {
      throw new IllegalStateException("the bulk tables were installed or closed");
    }
    boolean newKey = lastKey == null || Keys.compare(lastKey, key) != 0;
    if (newKey && writer != null && writer.estimatedSize() >= targetTableSize) {
      done.add(writer.finish());
      writer = null;
    }
    if (writer == null) {
      writer = new TableWriter(state, state.newFileId());
    }
    writer.add(key, value);
    if (firstKey == null) {
      firstKey = key;
    }
    lastKey = key;
  }

  /** Tables written so far, the one being written included. */
  public int tables() {
    return done.size() + (writer == null ? 0 : 1);
  }

  /**
   * Finishes the last table, makes every table durable, lists them in the MANIFEST as tables of
   * the last level and publishes them to readers.
   *
   * @throws IllegalStateException if the last level meanwhile holds a table overlapping them
   * @throws IOException if a table or the MANIFEST cannot be written (the tables are deleted)
   */
  public void install() throws IOException {
    if (finished) {
      throw new IllegalStateException("the bulk tables were installed or closed");
    }
    finished = true;
    try {
      if (writer != null) {
        done.add(writer.finish());
        writer = null;
      }
      if (done.isEmpty()) {
        return;
      }
      state.config().storage().syncDirectory();
      TableSet s = state.current();
      int last = s.levels.length - 1;
      for (TableHandle t : s.levels[last]) {
        if (t.overlaps(firstKey, lastKey)) {
          throw new IllegalStateException("the last level holds table " + t.fileName
              + ", which overlaps the bulk-loaded keys");
        }
      }
      List<Manifest.Change> changes = new ArrayList<>();
      for (TableHandle t : done) {
        changes.add(Manifest.Change.create(t.id, last, state.config().tableFormat().name()));
      }
      try {
        state.manifest().apply(changes, 0);
      } catch (IOException | RuntimeException e) {
        done.forEach(TableHandle::closeKeepingFile); // the record may be on disk: next open
        done.clear();
        throw e;
      }
      state.install(Set.of(), last, List.copyOf(done));
      done.clear();
    } catch (IOException | RuntimeException e) {
      abandon();
      throw e;
    }
  }

  @Override
  public void close() {
    if (!finished) {
      finished = true;
      abandon();
    }
  }

  private void abandon() {
    if (writer != null) {
      writer.abandon();
      writer = null;
    }
    done.forEach(TableHandle::discard);
    done.clear();
  }
}
