package dev.sett.kv.core;

import dev.sett.kv.KeyValue;
import dev.sett.kv.Match;
import dev.sett.kv.spi.EntryMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A database's subscriptions, and the fan-out of committed writes to them ({@link
 * dev.sett.kv.Db#subscribe}).
 *
 * <p>Concurrency notes. {@link #publish} runs on the write leader only, once per applied segment,
 * in commit order, so every subscriber sees commits in that order. The set of subscribers is a
 * copy-on-write list: subscribing and ending are rare, and the leader reads it without a lock
 * ({@link #isEmpty()} once per group, to decide whether to keep the values the value log
 * replaces by pointers). A subscriber added while a segment is published may or may not see that
 * segment; it sees every later one.
 */
final class Subscriptions {
  private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicInteger created = new AtomicInteger();

  boolean isEmpty() {
    return subscribers.isEmpty();
  }

  /** Starts a subscription. */
  Subscriber add(List<Match> matches, Consumer<List<KeyValue>> callback, int maxPending) {
    Subscriber s = new Subscriber(this, matches, callback, maxPending,
        "sett-subscriber-" + created.incrementAndGet());
    subscribers.add(s);
    s.start();
    return s;
  }

  void remove(Subscriber s) {
    subscribers.remove(s);
  }

  /**
   * Hands the user writes of {@code group[from, to)} to every subscriber that watches their keys.
   * Value log rewrites (requests with their own versions) change no value and are skipped.
   */
  void publish(List<WriteRequest> group, int from, int to) {
    if (subscribers.isEmpty()) {
      return;
    }
    for (Subscriber s : subscribers) {
      List<KeyValue> batch = null;
      for (int i = from; i < to; i++) {
        WriteRequest r = group.get(i);
        if (r.versions != null) {
          continue;
        }
        for (int j = 0; j < r.count; j++) {
          if (s.matches(r.keys[j])) {
            if (batch == null) {
              batch = new ArrayList<>();
            }
            batch.add(change(r, j));
          }
        }
      }
      if (batch != null) {
        s.offer(batch);
      }
    }
  }

  private static KeyValue change(WriteRequest r, int j) {
    boolean deleted = (r.metas[j] & EntryMeta.DELETE) != 0;
    byte[] value = deleted ? new byte[0]
        : r.userValues != null ? r.userValues[j] : r.values[j];
    // KeyValue copies them: the request's arrays stay the write path's.
    return new KeyValue(r.keys[j], value, r.commitTs, r.expiresAt[j], r.userMetas[j], deleted);
  }

  /** The database closed: every subscriber delivers what it has queued, then ends. */
  void closeAll() {
    for (Subscriber s : subscribers) {
      s.databaseClosed();
    }
  }
}
