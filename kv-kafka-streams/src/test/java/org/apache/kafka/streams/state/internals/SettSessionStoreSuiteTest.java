package org.apache.kafka.streams.state.internals;

import dev.sett.kv.kafka.SettStores;
import java.time.Duration;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.SessionWindow;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Kafka's own session store suite (from the Kafka Streams test jar) against Sett's session store,
 * through Kafka's builder. In Kafka's package because the suite's factory method is
 * package-private.
 *
 * <p>The suite branches on the store type in two places: {@code shouldFindSessionsForTimeRange}
 * expects Kafka's plain RocksDB session store to refuse {@code findSessions(long, long)}, which
 * Sett's answers (the DSL's emit-on-close session aggregation needs it), so the type given is
 * Kafka's time-ordered RocksDB session store, which answers it too; and {@code
 * shouldRemoveExpired} expects what every RocksDB type does.
 */
class SettSessionStoreSuiteTest extends AbstractSessionBytesStoreTest {

  @Override
  StoreType storeType() {
    return StoreType.RocksDBTimeOrderedSessionStoreWithIndex;
  }

  @Override
  <K, V> SessionStore<K, V> buildSessionStore(long retentionPeriod, Serde<K> keySerde,
      Serde<V> valueSerde) {
    return Stores.sessionStoreBuilder(
        SettStores.persistentSessionStore("sett-session-store",
            Duration.ofMillis(retentionPeriod)),
        keySerde, valueSerde).build();
  }

  // These two build a second store of the same name in the same state directory while the one
  // setUp opened is still open. Kafka's RocksDB session store opens its segment databases only
  // on the first write, so the untouched first store holds nothing open; a Sett store opens its
  // database at init, and the directory lock refuses the second. The cases run whole once the
  // first store is closed (after() closes it again, which is a no-op).

  @Test
  @Override
  public void shouldFetchAndIterateOverExactBinaryKeys() {
    sessionStore.close();
    super.shouldFetchAndIterateOverExactBinaryKeys();
  }

  @Test
  @Override
  public void shouldBackwardFetchAndIterateOverExactBinaryKeys() {
    sessionStore.close();
    super.shouldBackwardFetchAndIterateOverExactBinaryKeys();
  }

  @Test
  @Override
  @Disabled("reads and restores into a closed store: Kafka's RocksDB segmented store drops its"
      + " segments on close and reopens them on the next write, so a closed store reads empty and"
      + " takes a restore; a closed Sett store throws InvalidStateStoreException, as a closed store"
      + " should. shouldRestoreIntoAFreshStore below runs the same check on a new store")
  public void shouldRestore() {}

  /** The suite's shouldRestore, with the restore going to a new store on an empty directory. */
  @Test
  void shouldRestoreIntoAFreshStore() throws Exception {
    List<KeyValue<Windowed<String>, Long>> expected = List.of(
        KeyValue.pair(new Windowed<>("a", new SessionWindow(0, 0)), 1L),
        KeyValue.pair(new Windowed<>("a", new SessionWindow(10, 10)), 2L),
        KeyValue.pair(new Windowed<>("a", new SessionWindow(100, 100)), 3L),
        KeyValue.pair(new Windowed<>("a", new SessionWindow(1000, 1000)), 4L));
    for (KeyValue<Windowed<String>, Long> kv : expected) {
      sessionStore.put(kv.key, kv.value);
    }
    sessionStore.close();
    Utils.delete(context.stateDir().toPath().resolve("sett").toFile());
    sessionStore = buildSessionStore(RETENTION_PERIOD, Serdes.String(), Serdes.Long());
    sessionStore.init(context, sessionStore);
    try (KeyValueIterator<Windowed<String>, Long> it = sessionStore.fetch("a")) {
      assertEquals(List.of(), Utils.toList(it));
    }
    List<KeyValue<byte[], byte[]>> changelog = new ArrayList<>();
    for (ProducerRecord<Object, Object> r : recordCollector().collected()) {
      changelog.add(new KeyValue<>(((Bytes) r.key()).get(), (byte[]) r.value()));
    }
    context.restore(sessionStore.name(), changelog);
    try (KeyValueIterator<Windowed<String>, Long> it = sessionStore.fetch("a")) {
      assertEquals(expected, Utils.toList(it));
    }
  }

  private org.apache.kafka.test.MockRecordCollector recordCollector() throws Exception {
    var f = AbstractSessionBytesStoreTest.class.getDeclaredField("recordCollector");
    f.setAccessible(true); // private in the suite; the collector holds the changelog records
    return (org.apache.kafka.test.MockRecordCollector) f.get(this);
  }
}
