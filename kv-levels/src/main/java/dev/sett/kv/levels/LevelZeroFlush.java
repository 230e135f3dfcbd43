package dev.sett.kv.levels;

import dev.sett.kv.DbFailedException;
import dev.sett.kv.spi.EntryIterator;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The flush of a memtable into L0: writes it as a new table, lists that in the MANIFEST and
 * publishes it; and the L0 stall, the flusher's wait for room in L0 before it flushes.
 *
 * <p>Concurrency notes: called by the flusher thread (one at a time; the MANIFEST is synchronized
 * anyway). It writes the shared state only through {@link LevelState#install} (under the levels
 * lock, after the MANIFEST record is durable). {@link #awaitLevelZeroRoom} waits on the levels'
 * {@code changed} condition under the lock and reads {@code paused} there; it ends when L0 has
 * room, the compactions are paused, the levels close or fail, or the caller's stop turns true.
 * The counters are atomic and read by any thread.
 */
final class LevelZeroFlush {
  private final LevelState state;
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicLong count = new AtomicLong();

  LevelZeroFlush(LevelState state) {
    this.state = state;
  }

  /**
   * Writes every entry of {@code source} into a new L0 table, makes it durable and lists it in
   * the MANIFEST together with {@code walFlushedThrough}; then publishes it to readers. An empty
   * source writes no table but still records the WAL as flushed. The table's max version is at
   * least {@code newestCommit} (see {@link dev.sett.kv.spi.TableBuilder#includeVersion}).
   */
  void flush(EntryIterator source, long newestCommit, long walFlushedThrough)
      throws IOException {
    LevelsConfig config = state.config();
    TableWriter w = null;
    TableHandle table = null;
    try {
      source.seekToFirst();
      if (source.valid()) {
        w = new TableWriter(state, state.newFileId());
        for (; source.valid(); source.next()) {
          w.add(source.key(), source.value());
        }
        w.includeVersion(newestCommit);
        table = w.finish();
        config.storage().syncDirectory();
      }
    } catch (IOException | RuntimeException e) {
      if (table != null) {
        table.discard();
      } else if (w != null) {
        w.abandon();
      }
      throw e;
    }
    List<Manifest.Change> changes = table == null ? List.of()
        : List.of(Manifest.Change.create(table.id, 0, config.tableFormat().name()));
    try {
      state.manifest().apply(changes, walFlushedThrough);
    } catch (IOException | RuntimeException e) {
      if (table != null) {
        table.closeKeepingFile(); // the record may have reached the file: keep it for next open
      }
      throw e;
    }
    if (table != null) {
      state.install(Set.of(), 0, List.of(table));
      bytesWritten.addAndGet(table.sizeBytes);
      count.incrementAndGet();
    }
  }

  /**
   * Waits while L0 holds {@code numLevelZeroTablesStall} tables or more and compactors run, as
   * Badger's flush does (but woken by compactions, not by polling). Without compactors
   * ({@code numCompactors = 0}) nothing would ever make room, so it does not wait.
   *
   * @param stop ends the wait early when it turns true (checked at each wake-up)
   * @return nanoseconds waited
   * @throws DbFailedException if the compactors failed for good (the room will never come)
   */
  long awaitLevelZeroRoom(BooleanSupplier stop) throws InterruptedException {
    LevelsConfig config = state.config();
    checkNotFailed();
    if (config.numCompactors() == 0
        || state.levelZeroTables() < config.numLevelZeroTablesStall()) {
      return 0;
    }
    long t0 = System.nanoTime();
    state.lock.lock();
    try {
      while (!state.closing() && state.paused == 0 && state.failure() == null
          && !stop.getAsBoolean()
          && state.levelZeroTables() >= config.numLevelZeroTablesStall()) {
        state.changed.await();
      }
    } finally {
      state.lock.unlock();
    }
    checkNotFailed();
    return System.nanoTime() - t0;
  }

  private void checkNotFailed() {
    Throwable f = state.failure();
    if (f != null) {
      throw new DbFailedException("compactions failed for good (" + f + "); L0 will not make"
          + " room", f);
    }
  }

  /** Bytes of tables written by flushes. */
  long bytesWritten() {
    return bytesWritten.get();
  }

  /** Flushes done (those that wrote a table). */
  long count() {
    return count.get();
  }
}
