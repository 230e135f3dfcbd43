package dev.sett.kv;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A parallel scan of every key under a prefix at one snapshot (Badger's {@code Stream}), from
 * {@link Db#newStream()} or, in managed mode, {@link Db#newStreamAt(long)}. Configure it, then
 * call {@link #run()}:
 *
 * <pre>{@code
 * StreamProgress done = db.newStream()
 *     .prefix(p)
 *     .chooseKey(item -> item.userMeta() != 9)           // optional filter
 *     .send(batch -> out.write(batch))                   // one thread, batches of about 4 MiB
 *     .run();                                            // blocks; rethrows the first failure
 * }</pre>
 *
 * <p>{@link #run()} takes one read timestamp, splits the prefix into key ranges at the
 * boundaries of the tables, and lets {@link #threads(int)} workers scan the ranges. For every key
 * a worker asks {@link #chooseKey} whether to take it and {@link #keyToList} what to emit for it
 * (by default the newest version, unless it is deleted or expired); it gathers the records into
 * batches of at most {@link #batchBytes(long)} and hands them to the thread that called {@code
 * run()}, which calls {@link #send} with one batch at a time, in the order the batches were
 * completed. Every key under the prefix is visited exactly once, by one worker; keys arrive in
 * order within a range, ranges in no particular order. Writes committed after the run began are
 * not seen, and the versions the snapshot needs are kept (from compactions and value log garbage
 * collection) until the run ends.
 *
 * <p>Hooks: {@code chooseKey} and {@code keyToList} run on the workers ({@code sett-stream-N}
 * daemon threads), concurrently, so they must be thread-safe; {@code send} and the progress
 * listener run on the caller's thread, one call at a time. The first exception any of them
 * throws cancels the run: the workers stop, and {@code run()} throws that exception (a checked
 * one wrapped in a {@link KvException}). The workers are interrupted when a run is cancelled; a
 * hook that blocks must give way to an interrupt, because {@code run()} returns only after every
 * worker has stopped.
 *
 * <p>A {@code Stream} runs once; configure it from one thread before {@link #run()}. The setters
 * return this stream and reject bad values at once.
 */
public interface Stream {
  /** The default {@link #batchBytes(long)}: 4 MiB. */
  long DEFAULT_BATCH_BYTES = 4L << 20;

  /** The default {@link #progressInterval(Duration)}: one second, as Badger logs. */
  Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(1);

  /** The most {@link #threads(int)} accepts. */
  int MAX_THREADS = 256;

  /**
   * The default number of workers: the processors available, at most 8 (Badger's {@code
   * NumGo}).
   *
   * @return the default
   */
  static int defaultThreads() {
    return Math.min(8, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Emits the records for one key: by default {@link #newestLiveVersion()}. Runs on the workers,
   * concurrently.
   */
  @FunctionalInterface
  interface KeyToList {
    /**
     * The records to emit for {@code key}.
     *
     * @param key the key (a copy the hook may keep)
     * @param versions the key's versions at the run's snapshot, newest first: those an {@link
     *     IteratorOptions#allVersions() allVersions} iterator shows, tombstones and expired ones
     *     included, above {@link #sinceTs(long)}; at least one. An item is valid until the next
     *     call to {@code hasNext} or {@code next}; the hook may stop early
     * @return the records, possibly empty, never {@code null}
     * @throws Exception to cancel the run, which then throws it
     */
    List<KeyValue> toList(byte[] key, Iterator<Item> versions) throws Exception;
  }

  /**
   * The default {@link KeyToList}: the newest version of the key, as a {@link KeyValue}, unless it
   * is deleted or expired (then nothing).
   *
   * @return the hook
   */
  static KeyToList newestLiveVersion() {
    return (key, versions) -> {
      Item newest = versions.next();
      return newest.isDeletedOrExpired() ? List.of() : List.of(KeyValue.of(newest));
    };
  }

  /** Receives the batches, one at a time, on the thread that called {@link #run()}. */
  @FunctionalInterface
  interface Sender {
    /**
     * Takes one batch.
     *
     * @param batch records of one or more keys, never empty; the hook may keep the list
     * @throws Exception to cancel the run, which then throws it
     */
    void send(List<KeyValue> batch) throws Exception;
  }

  /**
   * Scans only keys that start with {@code prefix} (Badger's {@code Prefix}).
   *
   * @param prefix the prefix, copied; empty (the default) for every key
   * @return this stream
   * @throws NullPointerException if {@code prefix} is null
   * @throws IllegalArgumentException if it is longer than {@value Options#MAX_KEY_SIZE} bytes
   * @throws IllegalStateException if the stream has run or is running
   */
  Stream prefix(byte[] prefix);

  /**
   * How many workers scan (Badger's {@code NumGo}); default {@link #defaultThreads()}. A run
   * starts no more workers than it has key ranges.
   *
   * @param threads 1 to {@value #MAX_THREADS}
   * @return this stream
   * @throws IllegalArgumentException if out of range
   * @throws IllegalStateException if the stream has run or is running
   */
  Stream threads(int threads);

  /**
   * Starts each progress log line (Badger's {@code LogPrefix}); default {@code "Sett.Stream"}.
   *
   * @param logPrefix the prefix
   * @return this stream
   * @throws NullPointerException if null
   * @throws IllegalStateException if the stream has run or is running
   */
  Stream logPrefix(String logPrefix);

  /**
   * Which keys to take (Badger's {@code ChooseKey}); by default every key. It sees the key's
   * newest version above {@link #sinceTs(long)}, which may be a tombstone or expired.
   *
   * @param chooseKey the filter; runs on the workers, concurrently
   * @return this stream
   * @throws NullPointerException if null
   * @throws IllegalStateException if the stream has run or is running
   */
  Stream chooseKey(Predicate<? super Item> chooseKey);

  /**
   * What to emit for each key taken (Badger's {@code KeyToList}); default {@link
   * #newestLiveVersion()}.
   *
   * @param keyToList the hook
   * @return this stream
   * @throws NullPointerException if null
   * @throws IllegalStateException if the stream has run or is running
   */
  Stream keyToList(KeyToList keyToList);

  /**
   * Receives the batches (Badger's {@code Send}); required.
   *
   * @param send the hook
   * @return this stream
   * @throws NullPointerException if null
   * @throws IllegalStateException if the stream has run or is running
   */
  Stream send(Sender send);

  /**
   * How large a batch grows: a record that would take a batch past this many bytes ({@link
   * KeyValue#sizeBytes()}) starts the next one, so only a batch of one record is larger. A key's
   * records may span batches. Default {@value #DEFAULT_BATCH_BYTES}; the run holds at most about
   * {@code 2 * threads} batches in memory.
   *
   * @param batchBytes at least 1
   * @return this stream
   * @throws IllegalArgumentException if below 1
   * @throws IllegalStateException if the stream has run or is running
   */
  Stream batchBytes(long batchBytes);

  /**
   * Skips versions at or below {@code sinceTs} (Badger's {@code SinceTs}; for incremental
   * backups): a key whose newest version is at or below it is not visited.
   *
   * @param sinceTs a timestamp, 0 (the default) for none skipped
   * @return this stream
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException if the stream has run or is running
   */
  Stream sinceTs(long sinceTs);

  /**
   * Receives the progress every {@link #progressInterval(Duration)} and once at the end (then
   * {@link StreamProgress#finished()} is true), on the thread that called {@link #run()}, between
   * calls to {@link #send}. The run logs the same at level INFO either way.
   *
   * @param listener the listener
   * @return this stream
   * @throws NullPointerException if null
   * @throws IllegalStateException if the stream has run or is running
   */
  Stream progress(Consumer<? super StreamProgress> listener);

  /**
   * How often progress is reported and logged; default {@link #DEFAULT_PROGRESS_INTERVAL}.
   *
   * @param interval positive
   * @return this stream
   * @throws IllegalArgumentException if zero or negative
   * @throws NullPointerException if null
   * @throws IllegalStateException if the stream has run or is running
   */
  Stream progressInterval(Duration interval);

  /**
   * Runs the stream to the end (Badger's {@code Orchestrate}) and returns when every batch has
   * been sent, or on the first failure, once every worker has stopped and the snapshot is
   * released.
   *
   * @return the final progress
   * @throws IllegalStateException if no {@link #send} hook is set, or the stream ran before (a
   *     stream runs once: create another)
   * @throws DbClosedException if the database is closed, or closes during the run
   * @throws KvException if the calling thread is interrupted (its interrupt flag is set again,
   *     the cause is the {@link InterruptedException}), or wrapping a checked exception of a hook
   * @throws RuntimeException the first unchecked exception a hook threw, as it was thrown, or a
   *     {@link StorageException} if the data cannot be read
   */
  StreamProgress run();
}
