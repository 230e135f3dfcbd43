package dev.sett.kv.core;

import dev.sett.kv.spi.MemTable;
import java.util.concurrent.CompletableFuture;

/**
 * The writes of one committed transaction on their way through the write path, in key order. The
 * arrays are owned by the request once built; nothing copies them again until the memtable.
 */
final class WriteRequest {
  final byte[][] keys;
  final byte[][] values;
  final byte[] metas;
  final byte[] userMetas;
  final long[] expiresAt;
  final int count;
  long commitTs;
  final CompletableFuture<Void> done = new CompletableFuture<>();

  WriteRequest(int capacity) {
    keys = new byte[capacity][];
    values = new byte[capacity][];
    metas = new byte[capacity];
    userMetas = new byte[capacity];
    expiresAt = new long[capacity];
    count = capacity;
  }

  /** Memtable bytes this request needs at most. */
  long footprint(MemTable table) {
    long n = 0;
    for (int i = 0; i < count; i++) {
      n += table.footprint(keys[i].length, values[i].length);
    }
    return n;
  }
}
