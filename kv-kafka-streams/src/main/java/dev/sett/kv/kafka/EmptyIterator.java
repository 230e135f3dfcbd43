package dev.sett.kv.kafka;

import java.util.NoSuchElementException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/** The iterator of an empty range (a range whose {@code from} is above its {@code to}). */
final class EmptyIterator<K, V> implements KeyValueIterator<K, V> {
  private static final EmptyIterator<?, ?> INSTANCE = new EmptyIterator<>();

  private EmptyIterator() {}

  @SuppressWarnings("unchecked")
  static <K, V> EmptyIterator<K, V> instance() {
    return (EmptyIterator<K, V>) INSTANCE;
  }

  @Override
  public boolean hasNext() {
    return false;
  }

  @Override
  public KeyValue<K, V> next() {
    throw new NoSuchElementException();
  }

  @Override
  public K peekNextKey() {
    throw new NoSuchElementException();
  }

  @Override
  public void close() {}
}
