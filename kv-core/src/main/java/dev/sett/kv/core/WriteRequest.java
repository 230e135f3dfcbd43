package dev.sett.kv.core;

import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.ValuePointer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * The writes of one committed transaction on their way through the write path, in key order. The
 * arrays are owned by the request once built; nothing copies them again until the memtable.
 *
 * <p>A thread waiting for the request parks after publishing itself in {@code waiter}; the leader
 * completes {@code done} and then unparks {@code waiter}. Both fields are volatile (the future's
 * state too), so either the waiter sees the request done or the leader sees the waiter: no
 * wake-up is lost. The leader may also unpark the waiter of a queued request to pass it the lead.
 */
final class WriteRequest {
  final byte[][] keys;
  final byte[][] values;
  final byte[] metas;
  final byte[] userMetas;
  final long[] expiresAt;
  /** Whether each value goes to the value log; the leader then replaces it by its pointer. */
  final boolean[] separate;
  final int count;
  /**
   * Each entry's version when it is not the commit timestamp: value log garbage collection
   * rewrites values at their original versions (all below {@code commitTs}); {@code null} for
   * every other request.
   */
  long[] versions;
  long commitTs;
  /** The oracle's sequence number: the order the write path applies requests in. */
  long seq;
  /**
   * The values as the user wrote them, kept when subscribers are listening, since encoding
   * replaces separated values by their pointers in {@link #values}; otherwise {@code null}.
   */
  byte[][] userValues;
  final CompletableFuture<Void> done = new CompletableFuture<>();
  /** The thread waiting in {@code WritePipeline.await}, if any. */
  volatile Thread waiter;

  WriteRequest(int capacity) {
    keys = new byte[capacity][];
    values = new byte[capacity][];
    metas = new byte[capacity];
    userMetas = new byte[capacity];
    expiresAt = new long[capacity];
    separate = new boolean[capacity];
    count = capacity;
  }

  /** The version entry {@code i} is written at. */
  long version(int i) {
    return versions == null ? commitTs : versions[i];
  }

  /** Memtable bytes this request needs at most. */
  long footprint(MemTable table) {
    long n = 0;
    for (int i = 0; i < count; i++) {
      n += table.footprint(keys[i].length,
          separate[i] ? ValuePointer.ENCODED_LENGTH : values[i].length);
    }
    return n;
  }

  /** Completes the request and wakes its waiter. */
  void complete(Throwable failure) {
    if (failure == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(failure);
    }
    wake();
  }

  /** Wakes the waiting thread, if any, so it re-checks (done, or offered the lead). */
  void wake() {
    Thread w = waiter;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }
}
