package dev.sett.kv.kafka;

import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Txn;
import java.util.Arrays;
import java.util.NoSuchElementException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * A Kafka {@link KeyValueIterator} over a range of a store's data keys: bounds inclusive, compared
 * as unsigned bytes, either open; forward or reverse. Entries are decoded by the store kind's
 * {@link Decoder}, which may also skip entries (a window store's expired windows).
 *
 * <p>Used by one thread at a time, as Kafka's iterators are; {@link #close} may also come from
 * the store's close on another thread, after which every call throws {@link
 * InvalidStateStoreException}.
 *
 * @param <T> the key type handed out
 */
final class StoreIterator<T> implements KeyValueIterator<T, byte[]> {

  /** Turns a data key and value into what the iterator hands out. */
  interface Decoder<T> {
    /**
     * @param key the data key (namespace byte included)
     * @param value the value
     * @return the entry, or null to skip it
     */
    KeyValue<T, byte[]> decode(byte[] key, byte[] value);
  }

  private final StoreDb store;
  private final Txn ownTxn; // a read-only transaction this iterator opened, or null
  private final KvIterator it;
  private final byte[] from;
  private final byte[] to;
  private final boolean reverse;
  private final Decoder<T> decoder;
  private KeyValue<T, byte[]> next;
  private volatile boolean closed;

  StoreIterator(StoreDb store, Txn ownTxn, KvIterator it, byte[] from, byte[] to, boolean reverse,
      Decoder<T> decoder) {
    this.store = store;
    this.ownTxn = ownTxn;
    this.it = it;
    this.from = from;
    this.to = to;
    this.reverse = reverse;
    this.decoder = decoder;
    byte[] start = reverse ? to : from;
    if (start == null) {
      it.rewind();
    } else {
      it.seek(start);
    }
  }

  @Override
  public boolean hasNext() {
    return advance() != null;
  }

  @Override
  public KeyValue<T, byte[]> next() {
    KeyValue<T, byte[]> kv = advance();
    if (kv == null) {
      throw new NoSuchElementException();
    }
    next = null;
    return kv;
  }

  @Override
  public T peekNextKey() {
    KeyValue<T, byte[]> kv = advance();
    if (kv == null) {
      throw new NoSuchElementException();
    }
    return kv.key;
  }

  private KeyValue<T, byte[]> advance() {
    if (closed) {
      throw new InvalidStateStoreException("iterator of store " + store.name() + " is closed");
    }
    try {
      while (next == null && it.valid()) {
        Item item = it.item();
        byte[] key = item.key();
        if (reverse ? from != null && Arrays.compareUnsigned(key, from) < 0
            : to != null && Arrays.compareUnsigned(key, to) > 0) {
          return null;
        }
        next = decoder.decode(key, item.value());
        it.next();
      }
      return next;
    } catch (IllegalStateException e) { // DbClosedException, or the iterator closed under us
      if (closed || !store.isOpen()) {
        throw new InvalidStateStoreException("store " + store.name() + " is closed", e);
      }
      throw e;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      it.close();
    } finally {
      if (ownTxn != null) {
        ownTxn.close();
      }
      store.iteratorClosed(this);
    }
  }
}
