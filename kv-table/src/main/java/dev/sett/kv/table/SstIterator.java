package dev.sett.kv.table;

import dev.sett.kv.StorageException;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.StoredValue;
import java.io.IOException;
import java.util.NoSuchElementException;

/**
 * A cursor over one table, forward and backward across blocks. It fetches the index once, on its
 * first positioning, and holds it and the current block until it moves to another block, so a
 * scan costs one cache lookup (or read) per block. With {@code fillCache} off (compactions), what
 * it reads from the file is not offered to the caches, so a table about to be deleted does not
 * push live blocks out.
 *
 * <p>Not thread-safe. I/O errors are thrown as {@link StorageException} naming the file and
 * carrying the I/O error's message (so a read cut short by an interrupt of the calling thread says
 * it was interrupted; the thread keeps its interrupt flag), damage as {@link
 * dev.sett.kv.CorruptionException}.
 */
final class SstIterator implements EntryIterator {
  private final SstTable table;
  private final boolean fillCache;
  private BlockIndex index;
  private DataBlock block; // the block last loaded; kept while invalid to spare a reload
  private int blockNo = -1;
  private int entry;
  private boolean valid;
  private byte[] key; // the current entry's key, decoded on first request
  private boolean closed;

  SstIterator(SstTable table, boolean fillCache) {
    this.table = table;
    this.fillCache = fillCache;
  }

  @Override
  public boolean valid() {
    return valid;
  }

  @Override
  public void seekToFirst() {
    index();
    at(0, 0);
  }

  @Override
  public void seekToLast() {
    int last = index().count() - 1;
    load(last);
    at(last, block.count() - 1);
  }

  @Override
  public void seek(byte[] key, long version) {
    int b = Math.max(0, index().find(key, version));
    load(b);
    int e = block.seek(key, version);
    if (e < block.count()) {
      at(b, e);
    } else if (b + 1 < index.count()) {
      at(b + 1, 0); // the first entry of the next block is after the target
    } else {
      invalidate();
    }
  }

  @Override
  public void seekForPrev(byte[] key, long version) {
    int b = index().find(key, version);
    if (b < 0) {
      invalidate(); // the target is before the first entry
      return;
    }
    load(b);
    // The block's first entry is at or before the target, so the answer is in this block.
    int e = block.seek(key, version);
    if (e == block.count() || block.compare(e, key, version) > 0) {
      e--;
    }
    at(b, e);
  }

  @Override
  public void next() {
    requireValid();
    if (entry + 1 < block.count()) {
      at(blockNo, entry + 1);
    } else if (blockNo + 1 < index.count()) {
      at(blockNo + 1, 0);
    } else {
      invalidate();
    }
  }

  @Override
  public void prev() {
    requireValid();
    if (entry > 0) {
      at(blockNo, entry - 1);
    } else if (blockNo > 0) {
      load(blockNo - 1);
      at(blockNo, block.count() - 1);
    } else {
      invalidate();
    }
  }

  /**
   * The current key. The same array is returned until the iterator moves; callers must not
   * modify it.
   */
  @Override
  public byte[] key() {
    requireValid();
    if (key == null) {
      key = block.key(entry);
    }
    return key;
  }

  @Override
  public long version() {
    requireValid();
    return block.version(entry);
  }

  /** The current entry; a new value array on every call. */
  @Override
  public StoredValue value() {
    requireValid();
    return block.value(entry);
  }

  @Override
  public void close() {
    closed = true;
    valid = false;
    index = null;
    block = null;
  }

  private void at(int b, int e) {
    load(b);
    entry = e;
    key = null;
    valid = true;
  }

  private void invalidate() {
    valid = false;
    key = null;
  }

  private void requireValid() {
    if (!valid) {
      throw new NoSuchElementException("iterator is not positioned on an entry");
    }
  }

  private BlockIndex index() {
    if (closed) {
      throw new IllegalStateException("iterator over " + table.name() + " is closed");
    }
    if (index == null) {
      try {
        index = table.index(fillCache);
      } catch (IOException e) {
        throw new StorageException(table.name(), "cannot read the index: " + e, e);
      }
    }
    return index;
  }

  private void load(int b) {
    if (b == blockNo && block != null) {
      return;
    }
    try {
      block = table.block(index, b, fillCache);
    } catch (IOException e) {
      invalidate();
      throw new StorageException(table.name(), "cannot read data block " + b + ": " + e, e);
    } catch (RuntimeException e) { // a CorruptionException: not positioned anywhere after it
      invalidate();
      throw e;
    }
    blockNo = b;
  }
}
