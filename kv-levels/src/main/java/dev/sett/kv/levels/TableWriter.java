package dev.sett.kv.levels;

import dev.sett.kv.io.WritableFile;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.spi.TableBuilder;
import dev.sett.kv.spi.TableSettings;
import java.io.IOException;

/**
 * Writes one new table file: creates {@code NNNNNN.sst}, feeds the format's builder, then syncs
 * and closes it. The file becomes part of the database only when the MANIFEST lists it; until then
 * a crash leaves an orphan that the next open deletes, and {@link #abandon()} deletes it at once.
 */
final class TableWriter {
  private final LevelState state;
  final long id;
  final String fileName;
  private final WritableFile out;
  private final TableBuilder builder;
  private long size = -1;

  TableWriter(LevelState state, long id) throws IOException {
    this.state = state;
    this.id = id;
    this.fileName = TableFiles.name(id);
    LevelsConfig c = state.config();
    this.out = c.storage().create(fileName);
    try {
      this.builder = c.tableFormat().newBuilder(out, new TableSettings(c.dbId(), id,
          c.blockSize(), c.compression(), c.bloomFalsePositive()));
    } catch (IOException | RuntimeException e) {
      abandon();
      throw e;
    }
  }

  void add(byte[] key, StoredValue value) throws IOException {
    builder.add(key, value);
  }

  /** See {@link TableBuilder#includeVersion}. */
  void includeVersion(long version) {
    builder.includeVersion(version);
  }

  long estimatedSize() {
    return builder.estimatedSize();
  }

  long entryCount() {
    return builder.entryCount();
  }

  /** Finishes, syncs and closes the file (the directory sync is the caller's). */
  TableHandle finish() throws IOException {
    size = builder.finish();
    out.sync();
    out.close();
    return state.openTable(id, state.config().tableFormat().name());
  }

  /** Deletes the unfinished file; never throws. */
  void abandon() {
    try {
      out.close();
    } catch (IOException | RuntimeException ignored) {
      // the file is deleted next
    }
    try {
      state.config().storage().delete(fileName);
    } catch (IOException | RuntimeException ignored) {
      // an orphan: the next open deletes tables the MANIFEST does not list
    }
  }

  long size() {
    return size;
  }
}
