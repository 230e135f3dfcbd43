package dev.sett.kv.kafka;

import java.util.NoSuchElementException;
import java.util.function.LongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Iterates a run of segments one after the other (ascending, or descending for backward
 * fetches), opening each segment's {@link StoreIterator} only when the one before is done, so an
 * iterator closed early never opens the later ones.
 *
 * <p>Each segment's iterator is tracked by the {@link StoreDb} like any other, so closing the
 * store closes the open one; after that this iterator is simply exhausted ({@code hasNext} is
 * false), which is what Kafka's suites expect of a segmented store's iterators. A reader on another thread than
 * the writer reads each segment in its own snapshot: an interactive query racing a commit may see
 * an earlier segment before the commit and a later one after it.
 *
 * @param <T> the key type handed out
 */
final class SegmentedIterator<T> implements KeyValueIterator<T, byte[]> {
  private final StoreDb store;
  private final LongFunction<StoreIterator<T>> open;
  private final long last;
  private final boolean reverse;
  private long next; // the segment to open after the current one
  private boolean more; // whether there is a segment still to open
  private StoreIterator<T> current;
  private boolean closed;

  /**
   * @param store the store whose close ends this iterator
   * @param first the segment to read first
   * @param last the segment to read last (below {@code first} when {@code reverse})
   * @param reverse whether segments go in descending order
   * @param open opens one segment's iterator
   */
  SegmentedIterator(StoreDb store, long first, long last, boolean reverse,
      LongFunction<StoreIterator<T>> open) {
    this.store = store;
    this.open = open;
    this.last = last;
    this.reverse = reverse;
    this.next = first;
    this.more = reverse ? first >= last : first <= last;
  }

  /** Moves to the first segment with an entry left; false when there is none. */
  private boolean advance() {
    if (closed) {
      throw new IllegalStateException("iterator is closed");
    }
    if (!store.isOpen()) { // the store closed our segment's iterator: nothing more to read
      current = null;
      return false;
    }
    while (current == null || !current.hasNext()) {
      if (current != null) {
        current.close();
        current = null;
      }
      if (!more) {
        return false;
      }
      long segment = next;
      more = segment != last;
      next = reverse ? segment - 1 : segment + 1;
      current = open.apply(segment);
    }
    return true;
  }

  @Override
  public boolean hasNext() {
    return advance();
  }

  @Override
  public KeyValue<T, byte[]> next() {
    if (!advance()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }

  @Override
  public T peekNextKey() {
    if (!advance()) {
      throw new NoSuchElementException();
    }
    return current.peekNextKey();
  }

  @Override
  public void close() {
    closed = true;
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
