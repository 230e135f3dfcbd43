package dev.sett.kv.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import dev.sett.kv.Item;
import dev.sett.kv.spi.EntryMeta;
import dev.sett.kv.spi.StoredValue;

/**
 * An {@link Item} over a stored value; the value array is never handed out, only copies. A value
 * kept in the value log is read only when {@link #value()} asks for it; {@link #valueSize()}
 * answers from the pointer.
 */
final class ItemImpl implements Item {
  private final byte[] key;
  private final StoredValue value;
  private final SeparatedValues values;
  private final boolean deletedOrExpired;
  /** The value being read ahead from the value log, or null (read when asked). */
  private CompletableFuture<byte[]> prefetched;

  ItemImpl(byte[] key, StoredValue value, long nowSeconds, SeparatedValues values) {
    this.key = key;
    this.value = value;
    this.values = values;
    this.deletedOrExpired =
        EntryMeta.isDeletedOrExpired(value.meta(), value.expiresAt(), nowSeconds);
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  /** The key without copying, for the engine's own use. */
  byte[] keyNoCopy() {
    return key;
  }

  @Override
  public long version() {
    return value.version();
  }

  @Override
  public byte[] value() {
    if ((value.meta() & EntryMeta.VALUE_POINTER) != 0) {
      CompletableFuture<byte[]> f = prefetched;
      if (f == null) {
        return values.value(value); // a fresh array from the value log
      }
      try {
        return f.join().clone(); // join does not give way to interrupts: no harm to the caller
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    return value.value().clone();
  }

  /** The stored entry (a pointer for a separated value). */
  StoredValue stored() {
    return value;
  }

  /** Records the read-ahead of this item's value (by the iterator's thread, before handing it out). */
  void prefetched(CompletableFuture<byte[]> f) {
    this.prefetched = f;
  }

  @Override
  public int valueSize() {
    return values.size(value);
  }

  @Override
  public byte userMeta() {
    return value.userMeta();
  }

  @Override
  public long expiresAt() {
    return value.expiresAt();
  }

  @Override
  public boolean isDeletedOrExpired() {
    return deletedOrExpired;
  }

  @Override
  public boolean isDeleted() {
    return (value.meta() & EntryMeta.DELETE) != 0;
  }

  @Override
  public String toString() {
    return "Item[key=" + key.length + " bytes, version=" + version() + ", value=" + valueSize()
        + " bytes" + (deletedOrExpired ? ", deleted or expired" : "") + "]";
  }
}
