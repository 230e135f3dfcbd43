package dev.sett.kv.core;

import dev.sett.kv.IteratorOptions;
import dev.sett.kv.Item;
import dev.sett.kv.KeyValue;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Stream;
import dev.sett.kv.internal.Keys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.function.Predicate;

/**
 * One worker of a {@link StreamRun} (thread {@code sett-stream-N}): takes key ranges from the
 * shared queue until none is left and scans each with its own read-only transaction at the run's
 * read timestamp (a transaction serves one thread at a time, so the workers cannot share one),
 * asks the hooks about every key, and hands full batches to {@link StreamBatches}.
 *
 * <p>Concurrency: everything here belongs to the worker's thread except the shared range queue
 * (a concurrent queue: each range is taken by exactly one worker) and what {@link StreamRun} and
 * {@link StreamBatches} guard. Hooks run on this thread; whatever one throws ends the worker and
 * goes to {@link StreamRun#fail}, as does a failure of the scan itself.
 */
final class StreamWorker implements Runnable {
  private final StreamRun run;
  private final SettDb db;
  private final long readTs;
  private final Queue<KeySplits.Range> ranges;
  private final StreamBatches batches;
  private final IteratorOptions options;
  private final Predicate<? super Item> chooseKey;
  private final Stream.KeyToList keyToList;
  private final long batchBytes;
  private List<KeyValue> batch = new ArrayList<>();
  private long batchSize;

  StreamWorker(StreamRun run, SettDb db, long readTs, SnapshotStream config,
      Queue<KeySplits.Range> ranges, StreamBatches batches) {
    this.run = run;
    this.db = db;
    this.readTs = readTs;
    this.ranges = ranges;
    this.batches = batches;
    // All versions, so keyToList can see them; values read only when a hook asks for them.
    this.options = IteratorOptions.builder().prefix(config.prefix).allVersions(true)
        .prefetchValues(false).sinceTs(config.sinceTs).build();
    this.chooseKey = config.chooseKey;
    this.keyToList = config.keyToList;
    this.batchBytes = config.batchBytes;
  }

  @Override
  public void run() {
    try (Transaction txn = db.newStreamReader(readTs)) {
      KeySplits.Range range;
      while (!run.cancelled() && (range = ranges.poll()) != null) {
        scan(txn, range);
      }
      if (!run.cancelled()) {
        flush();
      }
    } catch (Throwable t) {
      run.fail(t);
    } finally {
      batches.workerDone();
    }
  }

  private void scan(Transaction txn, KeySplits.Range range) throws Exception {
    try (KvIterator it = txn.newIterator(options)) {
      if (range.lo().length == 0) {
        it.rewind();
      } else {
        it.seek(range.lo());
      }
      while (it.valid() && !run.cancelled()) {
        Item newest = it.item();
        byte[] key = newest.key();
        if (!range.beforeEnd(key)) {
          return;
        }
        run.keyScanned();
        List<KeyValue> list = callHooks(key, newest, it);
        if (list != null) {
          for (KeyValue kv : list) {
            if (kv == null) {
              throw new NullPointerException("keyToList returned a list holding null for key "
                  + Keys.describe(key));
            }
            add(kv);
          }
        }
        while (KeyVersions.onKey(it, key)) {
          it.next(); // the versions the hook did not read
        }
      }
    }
  }

  /** The records for one key, or {@code null} if chooseKey skips it. */
  private List<KeyValue> callHooks(byte[] key, Item newest, KvIterator it) throws Exception {
    if (!chooseKey.test(newest)) {
      return null;
    }
    List<KeyValue> list = keyToList.toList(key.clone(), new KeyVersions(it, key));
    if (list == null) {
      throw new NullPointerException("keyToList returned null for key " + Keys.describe(key)
          + "; return an empty list to emit nothing");
    }
    return list;
  }

  /** Adds a record, first handing on the batch if the record would take it past its size. */
  private void add(KeyValue kv) throws InterruptedException {
    long size = kv.sizeBytes();
    if (!batch.isEmpty() && batchSize + size > batchBytes) {
      flush();
    }
    batch.add(kv);
    batchSize += size;
  }

  private void flush() throws InterruptedException {
    if (!batch.isEmpty()) {
      batches.put(Collections.unmodifiableList(batch));
      batch = new ArrayList<>();
      batchSize = 0;
    }
  }
}
