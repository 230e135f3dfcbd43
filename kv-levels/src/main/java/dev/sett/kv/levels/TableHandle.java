package dev.sett.kv.levels;

import dev.sett.kv.internal.Keys;
import dev.sett.kv.internal.RefCount;
import dev.sett.kv.io.Storage;
import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.Table;
import java.io.IOException;

/**
 * A table in a level, reference counted: each {@link TableSet} that lists it holds one reference.
 * When the last reference goes, the table is closed, and if a compaction made it obsolete (the
 * MANIFEST no longer lists it) its file is deleted and its cached blocks dropped. So a file dies
 * only after the MANIFEST stopped listing it and no reader holds it.
 *
 * <p>Concurrency: {@code refs} is atomic; {@code obsolete} is set once, before the reference that
 * the current set holds is released, by the thread that installs the compaction's result.
 */
final class TableHandle {
  private static final System.Logger LOG = System.getLogger(TableHandle.class.getName());

  final Table table;
  final long id;
  final String fileName;
  final byte[] smallest;
  final byte[] largest;
  final long maxVersion;
  final long sizeBytes;
  private final RefCount refs = new RefCount(0);
  private volatile boolean obsolete;
  private final Storage storage;
  private final BlockCache blockCache;
  private final BlockCache indexCache;

  TableHandle(Table table, String fileName, Storage storage, BlockCache blockCache,
      BlockCache indexCache) {
    this.table = table;
    this.id = table.id();
    this.fileName = fileName;
    this.smallest = table.smallestKey();
    this.largest = table.largestKey();
    this.maxVersion = table.maxVersion();
    this.sizeBytes = table.sizeBytes();
    this.storage = storage;
    this.blockCache = blockCache;
    this.indexCache = indexCache;
  }

  /** Whether the table's key range overlaps {@code [lo, hi]}. */
  boolean overlaps(byte[] lo, byte[] hi) {
    return Keys.compare(smallest, hi) <= 0 && Keys.compare(largest, lo) >= 0;
  }

  /** Whether {@code key} lies in the table's key range. */
  boolean covers(byte[] key) {
    return Keys.compare(smallest, key) <= 0 && Keys.compare(largest, key) >= 0;
  }

  void ref() {
    refs.ref();
  }

  /** Marks the table for deletion once its last reference is gone. */
  void markObsolete() {
    obsolete = true;
  }

  void unref() {
    if (!refs.unref("table " + fileName)) {
      return;
    }
    try {
      table.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot close " + fileName, e);
    }
    if (obsolete) {
      blockCache.invalidate(id);
      indexCache.invalidate(id);
      try {
        storage.delete(fileName);
      } catch (IOException e) {
        // Harmless: the next open deletes tables the MANIFEST does not list.
        LOG.log(System.Logger.Level.WARNING, "cannot delete obsolete table " + fileName, e);
      }
    }
  }

  /** Deletes a table that no set holds and no MANIFEST record lists (one just written). */
  void discard() {
    markObsolete();
    ref();
    unref();
  }

  /** Closes a table that no set holds, keeping its file (a MANIFEST record may list it). */
  void closeKeepingFile() {
    ref();
    unref();
  }

  @Override
  public String toString() {
    return fileName;
  }
}
