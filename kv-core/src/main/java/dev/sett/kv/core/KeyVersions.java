package dev.sett.kv.core;

import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The versions of one key, newest first, as a stream's {@code keyToList} hook sees them: a view
 * of an all-versions iterator that stands on the key's newest version and ends where the next key
 * begins, so the hook cannot read past its key. The cursor moves lazily: {@link #hasNext()} steps
 * past the version {@link #next()} handed out, so an item stays valid until the next call.
 * Single-threaded, like the iterator under it.
 */
final class KeyVersions implements Iterator<Item> {
  private final KvIterator cursor;
  private final byte[] key;
  /** Whether the version the cursor stands on was handed out (and must be stepped past). */
  private boolean handedOut;

  /**
   * @param cursor an all-versions iterator standing on the newest version of {@code key}
   * @param key the key
   */
  KeyVersions(KvIterator cursor, byte[] key) {
    this.cursor = cursor;
    this.key = key;
  }

  @Override
  public boolean hasNext() {
    if (handedOut) {
      cursor.next();
      handedOut = false;
    }
    return onKey(cursor, key);
  }

  @Override
  public Item next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no further version of this key");
    }
    handedOut = true;
    return cursor.item();
  }

  /** Whether {@code cursor} stands on a version of {@code key}. */
  static boolean onKey(KvIterator cursor, byte[] key) {
    return cursor.valid() && Arrays.equals(((ItemImpl) cursor.item()).keyNoCopy(), key);
  }
}
