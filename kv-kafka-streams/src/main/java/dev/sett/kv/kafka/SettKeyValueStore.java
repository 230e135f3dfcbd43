package dev.sett.kv.kafka;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent Kafka Streams key-value store on a Sett database: the bytes store under Kafka's
 * metered, logging and caching layers, like Kafka's {@code RocksDBStore}.
 *
 * <p>Keys compare as unsigned bytes; range bounds are inclusive, null is open-ended, and a range
 * whose {@code from} is above its {@code to} is empty. {@link #putAll} is atomic. Writes gather
 * in a transaction that {@link #commit} writes with the changelog offsets in one atomic commit
 * (see {@link StoreDb}); the store manages its own offsets. Interactive queries on other threads
 * see what the last commit wrote.
 *
 * <p>Used by the stream thread that owns the task; {@link #query}, {@link #get} and iterators may
 * also be called from query threads (see {@link StoreDb}'s notes).
 */
class SettKeyValueStore extends SettStateStore implements KeyValueStore<Bytes, byte[]> {
  /** Keys counted exactly by {@link #approximateNumEntries()} before it estimates. */
  static final int EXACT_COUNT_LIMIT = 100_000;

  /** Through SLF4J, as Kafka Streams logs: the application's logging configuration applies. */
  private static final Logger LOG = LoggerFactory.getLogger(SettKeyValueStore.class);

  /** Kafka's own stores' words for it, which Kafka's store suite checks. */
  static final String INVALID_RANGE_WARNING = "Returning empty iterator for fetch with invalid"
      + " key range: from > to. This may be due to range arguments set in the wrong order, or"
      + " serdes that don't preserve ordering when lexicographically comparing the serialized"
      + " bytes. Note that the built-in numerical serdes do not follow this for negative numbers";

  private static final StoreIterator.Decoder<Bytes> DECODER =
      (key, value) -> KeyValue.pair(StoreKeys.user(key), value);

  SettKeyValueStore(String name, String metricsScope) {
    super(name, metricsScope);
  }

  @Override
  void restoreBatch(Collection<ConsumerRecord<byte[], byte[]>> records, boolean consistency) {
    open().restore(records, StoreKeys::data, consistency);
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void put(Bytes key, byte[] value) {
    Objects.requireNonNull(key, "key cannot be null");
    StoreDb s = open();
    s.put(StoreKeys.data(key), value);
    track(s);
  }

  private void track(StoreDb s) {
    s.trackPosition(context());
  }

  @Override
  public byte[] putIfAbsent(Bytes key, byte[] value) {
    Objects.requireNonNull(key, "key cannot be null");
    byte[] old = get(key);
    if (old == null && value != null) {
      put(key, value);
    }
    return old;
  }

  /** Atomic: every entry is in the same commit (see {@link StoreDb}). */
  @Override
  public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
    for (KeyValue<Bytes, byte[]> e : entries) {
      Objects.requireNonNull(e.key, "key cannot be null");
    }
    StoreDb s = open();
    for (KeyValue<Bytes, byte[]> e : entries) {
      s.put(StoreKeys.data(e.key), e.value);
    }
    track(s);
  }

  @Override
  public byte[] delete(Bytes key) {
    Objects.requireNonNull(key, "key cannot be null");
    byte[] old = get(key);
    put(key, null);
    return old;
  }

  // ---------------------------------------------------------------- reads

  @Override
  public byte[] get(Bytes key) {
    Objects.requireNonNull(key, "key cannot be null");
    return open().get(StoreKeys.data(key));
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    return range(from, to, false);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
    return range(from, to, true);
  }

  private KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to, boolean reverse) {
    StoreDb s = open();
    if (from != null && to != null && from.compareTo(to) > 0) {
      LOG.warn(INVALID_RANGE_WARNING);
      return EmptyIterator.instance();
    }
    return s.iterate(from == null ? null : StoreKeys.data(from),
        to == null ? null : StoreKeys.data(to), null, reverse, DECODER);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    return open().iterate(null, null, null, false, DECODER);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseAll() {
    return open().iterate(null, null, null, true, DECODER);
  }

  @Override
  public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix,
      PS prefixKeySerializer) {
    Objects.requireNonNull(prefix, "prefix cannot be null");
    Objects.requireNonNull(prefixKeySerializer, "prefixKeySerializer cannot be null");
    byte[] p = prefixKeySerializer.serialize(null, prefix);
    return open().iterate(null, null, StoreKeys.data(p), false, DECODER);
  }

  @Override
  public long approximateNumEntries() {
    return open().approximateCount(EXACT_COUNT_LIMIT);
  }

}
