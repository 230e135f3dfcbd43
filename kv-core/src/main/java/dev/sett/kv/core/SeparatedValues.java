package dev.sett.kv.core;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.StorageException;
import dev.sett.kv.spi.EntryMeta;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.spi.ValueLog;
import dev.sett.kv.spi.ValuePointer;
import dev.sett.kv.spi.ValueSeparationPolicy;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The values kept out of the LSM tree (WiscKey): which values go to the value log, and reading
 * them back through the pointers the tree holds instead.
 *
 * <p>The decision is made once per write, on the committing thread ({@link #separate}), and is
 * recorded with the entry ({@link EntryMeta#VALUE_POINTER}), so a threshold that moves (the
 * {@code percentile} policy) or a reopen with other options never changes how an entry already
 * written is read, compacted or collected.
 *
 * <p>Concurrency notes. {@link #separate} runs on committing threads (the policy is thread-safe);
 * the value log's appends run on the write leader only ({@link WritePipeline}); reads
 * ({@link #value}, {@link #size}) run on any thread, as the value log allows, including the
 * read-ahead threads of {@link #prefetch} (at most {@value #PREFETCH_THREADS}, ending when idle;
 * their reads are positional, so an interrupt of a user thread never reaches them). The write path keeps
 * the value log ahead of the WAL: a group's values are written before its pointers, and the value
 * log is synced before every WAL fsync (each synced group, {@code db.sync()}, rotation, close), so
 * a WAL that is durable never points at value log bytes that are not.
 */
final class SeparatedValues {
  /** Threads reading values ahead for iterators; they end when idle. */
  private static final int PREFETCH_THREADS = 4;

  private final ValueLog log;
  private final ValueSeparationPolicy policy;
  private final long maxSeparatedValue;
  private final ThreadPoolExecutor prefetcher;

  /**
   * @param log the open value log
   * @param policy this database's policy instance
   * @param maxSeparatedValue the largest value the value log takes (a file must hold one)
   */
  SeparatedValues(ValueLog log, ValueSeparationPolicy policy, long maxSeparatedValue) {
    this.log = log;
    this.policy = policy;
    this.maxSeparatedValue = maxSeparatedValue;
    AtomicInteger n = new AtomicInteger();
    this.prefetcher = new ThreadPoolExecutor(PREFETCH_THREADS, PREFETCH_THREADS, 30,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "sett-prefetch-" + n.getAndIncrement());
          t.setDaemon(true);
          return t;
        });
    prefetcher.allowCoreThreadTimeOut(true);
  }

  /**
   * Starts reading an item's value in the background if it lives in the value log (iterators
   * read ahead this way). A failure is kept for the item's {@code value()} to throw; a database
   * that is closing just reads on the caller's thread later.
   */
  void prefetch(ItemImpl item) {
    StoredValue sv = item.stored();
    if ((sv.meta() & EntryMeta.VALUE_POINTER) == 0 || item.isDeletedOrExpired()) {
      return;
    }
    try {
      item.prefetched(CompletableFuture.supplyAsync(() -> value(sv), prefetcher));
    } catch (RejectedExecutionException closing) {
      // read when asked instead
    }
  }

  /** Stops the read-ahead threads and closes the value log. */
  void close() throws IOException {
    prefetcher.shutdownNow();
    log.close();
  }

  ValueLog log() {
    return log;
  }

  /** Whether a value written now goes to the value log (tombstones never do). */
  boolean separate(int keyLength, int valueLength, byte meta) {
    return (meta & EntryMeta.DELETE) == 0 && policy.separate(keyLength, valueLength);
  }

  /** The largest value the value log takes. */
  long maxSeparatedValue() {
    return maxSeparatedValue;
  }

  /** The value of a stored entry: its bytes, or the value log's bytes its pointer names. */
  byte[] value(StoredValue sv) {
    if ((sv.meta() & EntryMeta.VALUE_POINTER) == 0) {
      return sv.value();
    }
    ValuePointer p = pointer(sv);
    try {
      return log.read(p);
    } catch (IOException e) {
      throw new StorageException(log.fileName(p.fileId()), "cannot read value log record at"
          + " offset " + p.offset() + ": " + e, e);
    }
  }

  /** The value's length, without reading the value log. */
  int size(StoredValue sv) {
    return (sv.meta() & EntryMeta.VALUE_POINTER) == 0 ? sv.value().length : pointer(sv).valueSize();
  }

  private static ValuePointer pointer(StoredValue sv) {
    try {
      return ValuePointer.decode(sv.value());
    } catch (IllegalArgumentException e) {
      // The bytes passed their table's or WAL's checksum, so this is a bug or a forged entry.
      throw new CorruptionException(null, 0, "entry version " + sv.version() + " holds a bad"
          + " value pointer: " + e.getMessage());
    }
  }

  /**
   * Whether a pointer found in a WAL during replay names bytes the value log has: a WAL record
   * whose value log bytes a power loss took is treated like a torn WAL record.
   */
  boolean resolvable(byte[] buf, int off, int len) {
    if (len != ValuePointer.ENCODED_LENGTH) {
      return false;
    }
    ValuePointer p;
    try {
      p = ValuePointer.decode(buf, off);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (!log.fileIds().contains(p.fileId())) {
      return false;
    }
    try {
      return p.end() <= log.fileSize(p.fileId());
    } catch (IOException e) {
      return false;
    }
  }
}
