package dev.sett.kv.core;

import dev.sett.kv.Item;
import dev.sett.kv.Options;
import dev.sett.kv.Stream;
import dev.sett.kv.StreamProgress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The {@link Stream} of {@link SettDb}: the configuration, checked as it is set, and the guard
 * that lets it run once; {@link StreamRun} does the run.
 *
 * <p>Concurrency: configured by one thread; {@code started} turns true once, when {@link #run()}
 * begins, after which the setters refuse. The workers read the configuration after they are
 * started ({@link Thread#start()} orders it before them).
 */
final class SnapshotStream implements Stream {
  /** {@code readTs} of a stream that reads at the newest commit when it runs. */
  static final long NEWEST = -1;

  private final SettDb db;
  private final long readTs;
  private final AtomicBoolean started = new AtomicBoolean();
  byte[] prefix = new byte[0];
  int threads = Stream.defaultThreads();
  String logPrefix = "Sett.Stream";
  Predicate<? super Item> chooseKey = item -> true;
  KeyToList keyToList = Stream.newestLiveVersion();
  Sender send;
  long batchBytes = DEFAULT_BATCH_BYTES;
  long sinceTs;
  Consumer<? super StreamProgress> progress = p -> { };
  Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;

  /**
   * @param readTs the managed read timestamp, or {@link #NEWEST}
   */
  SnapshotStream(SettDb db, long readTs) {
    this.db = db;
    this.readTs = readTs;
  }

  private void checkNotStarted() {
    if (started.get()) {
      throw new IllegalStateException("the stream has already run or is running: a Stream runs"
          + " once and is configured before run(); create another with db.newStream()");
    }
  }

  @Override
  public Stream prefix(byte[] prefix) {
    Objects.requireNonNull(prefix, "prefix (use an empty array for every key)");
    if (prefix.length > Options.MAX_KEY_SIZE) {
      throw new IllegalArgumentException("prefix of " + prefix.length + " bytes is longer than"
          + " the longest key, " + Options.MAX_KEY_SIZE + " bytes");
    }
    checkNotStarted();
    this.prefix = prefix.clone();
    return this;
  }

  @Override
  public Stream threads(int threads) {
    if (threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException("threads must be in [1, " + MAX_THREADS + "], got "
          + threads);
    }
    checkNotStarted();
    this.threads = threads;
    return this;
  }

  @Override
  public Stream logPrefix(String logPrefix) {
    Objects.requireNonNull(logPrefix, "logPrefix");
    checkNotStarted();
    this.logPrefix = logPrefix;
    return this;
  }

  @Override
  public Stream chooseKey(Predicate<? super Item> chooseKey) {
    Objects.requireNonNull(chooseKey, "chooseKey");
    checkNotStarted();
    this.chooseKey = chooseKey;
    return this;
  }

  @Override
  public Stream keyToList(KeyToList keyToList) {
    Objects.requireNonNull(keyToList, "keyToList");
    checkNotStarted();
    this.keyToList = keyToList;
    return this;
  }

  @Override
  public Stream send(Sender send) {
    Objects.requireNonNull(send, "send");
    checkNotStarted();
    this.send = send;
    return this;
  }

  @Override
  public Stream batchBytes(long batchBytes) {
    if (batchBytes < 1) {
      throw new IllegalArgumentException("batchBytes must be at least 1, got " + batchBytes);
    }
    checkNotStarted();
    this.batchBytes = batchBytes;
    return this;
  }

  @Override
  public Stream sinceTs(long sinceTs) {
    if (sinceTs < 0) {
      throw new IllegalArgumentException("sinceTs must be at least 0, got " + sinceTs);
    }
    checkNotStarted();
    this.sinceTs = sinceTs;
    return this;
  }

  @Override
  public Stream progress(Consumer<? super StreamProgress> listener) {
    Objects.requireNonNull(listener, "listener");
    checkNotStarted();
    this.progress = listener;
    return this;
  }

  @Override
  public Stream progressInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("progressInterval must be positive, got " + interval);
    }
    checkNotStarted();
    this.progressInterval = interval;
    return this;
  }

  @Override
  public StreamProgress run() {
    if (send == null) {
      throw new IllegalStateException("set send(batch -> ...) before run(): the stream has"
          + " nowhere to deliver its batches");
    }
    if (!started.compareAndSet(false, true)) {
      checkNotStarted(); // throws
    }
    // The snapshot: a read registered with the oracle for the whole run, so that compactions
    // and value log garbage collection keep the versions it reads (see StreamRun).
    Transaction snapshot = readTs == NEWEST ? db.newTransaction(false)
        : db.newTransactionAt(readTs, false);
    return new StreamRun(db, this, snapshot).run();
  }

  @Override
  public String toString() {
    return "Stream[" + logPrefix + ", prefix=" + prefix.length + " bytes, threads=" + threads
        + (readTs == NEWEST ? "" : ", readTs=" + readTs) + (started.get() ? ", started" : "")
        + "]";
  }
}
