package dev.sett.kv.kafka;

import dev.sett.kv.Db;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.Item;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvException;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import dev.sett.kv.TxnTooBigException;
import dev.sett.kv.WriteBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.internals.ChangelogRecordDeserializationHelper;
import org.apache.kafka.streams.query.Position;

/**
 * One Sett database behind one Kafka Streams store: the write buffer, the committed changelog
 * offsets and query position kept beside the data, batched restore, and the iterators the store
 * handed out. Every store kind (key-value, window, session) keeps its data through one of these,
 * under keys it lays out itself inside the {@link StoreKeys#DATA} namespace.
 *
 * <p><b>Offsets with the data.</b> Kafka Streams 4.3 lets a store keep its own changelog offsets
 * ({@code managesOffsets()}); at startup it restores only the changelog after {@link
 * #committedOffset}. That is only right if the store holds exactly what those offsets cover. So
 * writes gather in one Sett transaction, and {@link #commit} writes them together with the offsets
 * and the position in one atomic commit.
 *
 * <p><b>Spills.</b> The buffer is written early ("spilled") once it holds {@link #BUFFER_BYTES} or
 * one Sett commit's worth: hundreds of stores keep little on the heap, and Kafka Streams 4.3 asks
 * a store to commit under exactly-once only when its task is suspended or closed, so a running
 * task's writes must reach disk ahead of its offsets anyway. Under at-least-once that is harmless
 * (the restore replays the changelog over them). Under exactly-once they may belong to a Kafka
 * transaction that is later aborted, so before a spill the {@link UndoLog} keeps the committed
 * value of each key it writes; reopening after a crash rolls those keys back, and the store again
 * holds exactly what its offsets cover. Nothing is ever wiped for it.
 *
 * <p><b>Interrupts.</b> Kafka Streams interrupts its threads when it shuts down, and an
 * interrupted thread's file reads and writes fail in Sett (the call, not the database). Kafka's
 * RocksDB store, in native code, never sees interrupts; so that a store's commit, restore or
 * read on such a thread completes as it would there, each operation sets the thread's interrupt
 * aside and restores it when done.
 *
 * <p>Concurrency notes. The writer is the stream thread that processes the task (or, while the
 * task restores, the thread that restores it; Kafka hands a task between threads with a
 * happens-before edge). Only the writer touches {@link #txn}. Reads on the writer's thread see the
 * buffer; reads on any other thread (interactive queries) see what the last commit or spill wrote, through
 * their own read-only transaction, so they never touch the writer's transaction. {@link
 * #writer} is volatile and set by every write. The iterator set is concurrent because a query
 * thread's iterators are tracked too, and {@link #close} (on the writer) closes them all. The
 * positions are guarded by their own monitors; the committed one is replaced, never modified.
 */
final class StoreDb implements AutoCloseable {
  /**
   * The buffer is written once it holds this much (32 KiB, a few hundred small records): batching
   * gains little beyond it, and what the buffer holds dies young. With hundreds of stores written
   * in turn, a 256 KiB buffer lived seconds, long enough to be promoted, and the collector grew
   * the heap to hold the dead buffers (1.7 GB committed for 300 stores, most of their resident
   * memory; docs/BENCHMARKS.md).
   */
  static final long BUFFER_BYTES = 32L << 10;

  private static final System.Logger LOG = System.getLogger(StoreDb.class.getName());

  private final String name;
  private final Db db;
  private final boolean exactlyOnce;
  private final Set<StoreIterator<?>> iterators = ConcurrentHashMap.newKeySet();
  private final Position position;
  private volatile Position committedPosition;
  private volatile Thread writer;
  private volatile boolean open = true;

  private Txn txn; // the writer's buffer; null when nothing is buffered and no read opened it
  private long buffered; // writes in txn
  private long bufferedBytes; // what they take, roughly: keys, values and 32 bytes each
  private final UndoLog undo;
  private final List<byte[]> bufferedKeys = new ArrayList<>(); // exactly-once: keys in txn
  private boolean positionChanged;

  StoreDb(String name, Db db, boolean exactlyOnce) {
    this.name = name;
    this.db = db;
    this.exactlyOnce = exactlyOnce;
    this.writer = Thread.currentThread();
    this.undo = new UndoLog(db);
    long rolledBack = undo.recover();
    if (rolledBack > 0) {
      LOG.log(System.Logger.Level.INFO, "store {0}: rolled back {1} keys written ahead of the"
          + " committed offsets before a crash", name, rolledBack);
    }
    this.position = loadPosition();
    this.committedPosition = position.copy();
  }

  /** The store's name (for messages). */
  String name() {
    return name;
  }

  /** The database (for statistics). */
  Db db() {
    return db;
  }

  boolean isOpen() {
    return open;
  }

  /** The live position: what the writer has applied. Callers synchronize on it to change it. */
  Position position() {
    return position;
  }

  /** The position of what the last commit wrote (what other threads' reads see). */
  Position committedPosition() {
    return committedPosition;
  }

  /** Whether the calling thread reads the write buffer (it is the writer's). */
  boolean readsBuffer() {
    return Thread.currentThread() == writer && txn != null;
  }

  /** The position a query on the calling thread answers at. */
  Position positionForReader() {
    if (readsBuffer()) {
      synchronized (position) {
        return position.copy();
      }
    }
    return committedPosition;
  }

  /** Moves the live position to the record the writer is processing (every store's writes). */
  void trackPosition(org.apache.kafka.streams.processor.StateStoreContext context) {
    synchronized (position) {
      org.apache.kafka.streams.state.internals.StoreQueryUtils.updatePosition(position, context);
    }
    positionChanged = true;
  }

  // ---------------------------------------------------------------- reads

  /** The value under a data key, or null. */
  byte[] get(byte[] key) {
    boolean interrupted = Thread.interrupted(); // set aside: see the class notes
    try {
      checkOpen();
      try {
        if (readsBuffer()) {
          Item item = txn.get(key);
          return item == null ? null : item.value();
        }
        try (Txn read = db.newTransaction(false)) {
          Item item = read.get(key);
          return item == null ? null : item.value();
        }
      } catch (DbClosedException e) {
        throw closed(e);
      } catch (KvException e) {
        throw new ProcessorStateException("store " + name + ": read failed", e);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * An iterator over data keys in [{@code from}, {@code to}] (either may be null: open), or over
   * keys starting with {@code prefix} when it is not null. The result is tracked until closed.
   */
  <T> StoreIterator<T> iterate(byte[] from, byte[] to, byte[] prefix, boolean reverse,
      StoreIterator.Decoder<T> decoder) {
    checkOpen();
    Txn read = null;
    boolean own = !readsBuffer();
    try {
      read = own ? db.newTransaction(false) : txn;
      byte[] p = prefix != null ? prefix : StoreKeys.DATA_PREFIX;
      KvIterator it = read.newIterator(IteratorOptions.builder().prefix(p).reverse(reverse)
          .build());
      StoreIterator<T> si = new StoreIterator<>(this, own ? read : null, it, from, to, reverse,
          decoder);
      iterators.add(si);
      return si;
    } catch (DbClosedException e) {
      if (own && read != null) {
        read.close();
      }
      throw closed(e);
    } catch (RuntimeException e) {
      if (own && read != null) {
        read.close();
      }
      throw e;
    }
  }

  void iteratorClosed(StoreIterator<?> it) {
    iterators.remove(it);
  }

  /** How many iterators are open (for tests). */
  int openIterators() {
    return iterators.size();
  }

  /**
   * The number of data keys: counted exactly up to {@code limit}; beyond it, estimated from the
   * bytes the counted entries took and the bytes the database holds.
   */
  long approximateCount(int limit) {
    boolean interrupted = Thread.interrupted(); // set aside: see the class notes
    try {
      checkOpen();
      boolean own = !readsBuffer();
      Txn read = own ? db.newTransaction(false) : txn;
      long n = 0;
      long bytes = 0;
      try (KvIterator it = read.newIterator(IteratorOptions.builder()
          .prefix(StoreKeys.DATA_PREFIX).keysOnly(true).build())) {
        for (it.rewind(); it.valid(); it.next()) {
          Item item = it.item();
          bytes += item.key().length + item.valueSize() + 16;
          if (++n >= limit) {
            var s = db.stats();
            long total = s.tableBytes() + s.memTableBytes() + s.valueLogBytes();
            return Math.max(n, total / Math.max(1, bytes / n));
          }
        }
        return n;
      } catch (DbClosedException e) {
        throw closed(e);
      } finally {
        if (own) {
          read.close();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---------------------------------------------------------------- writes

  /** Buffers a write: {@code value} null deletes. */
  void put(byte[] key, byte[] value) {
    boolean interrupted = Thread.interrupted(); // set aside: see the class notes
    try {
      checkOpen();
      writer = Thread.currentThread();
      try {
        try {
          write(buffer(), key, value);
        } catch (TxnTooBigException e) {
          spill();
          write(buffer(), key, value);
        }
        buffered++;
        bufferedBytes += key.length + (value == null ? 0 : value.length) + 32;
        if (exactlyOnce) {
          bufferedKeys.add(key);
        }
        if (bufferedBytes >= BUFFER_BYTES) {
          spill();
        }
      } catch (DbClosedException e) {
        throw closed(e);
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (KvException e) {
        throw new ProcessorStateException("store " + name + ": write failed", e);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void write(Txn t, byte[] key, byte[] value) {
    if (value == null) {
      t.delete(key);
    } else {
      t.set(key, value);
    }
  }

  private Txn buffer() {
    if (txn == null) {
      txn = db.newTransaction(true);
    }
    return txn;
  }

  /** Commits the buffer early (see the class notes). */
  private void spill() {
    if (exactlyOnce) {
      undo.record(bufferedKeys);
    }
    Txn t = txn;
    txn = null;
    clearBuffer();
    try (t) {
      t.commit();
    }
  }

  private void clearBuffer() {
    buffered = 0;
    bufferedBytes = 0;
    bufferedKeys.clear();
  }

  /**
   * Commits the buffer together with the changelog offsets and the position, atomically, with
   * Kafka's contract for {@code StateStore.commit}: an empty map clears every committed offset
   * (Kafka sends it for a store it found corrupted, so that its restore starts over), a null
   * offset clears that partition's.
   *
   * @param offsets changelog offsets to record
   */
  void commit(Map<TopicPartition, Long> offsets) {
    boolean interrupted = Thread.interrupted(); // set aside: see the class notes
    try {
      checkOpen();
      List<byte[][]> meta = new ArrayList<>();
      if (offsets.isEmpty()) {
        for (byte[] key : committedOffsetKeys()) {
          meta.add(new byte[][] {key, null});
        }
      }
      for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
        meta.add(new byte[][] {StoreKeys.offset(e.getKey()),
            e.getValue() == null ? null : StoreKeys.longBytes(e.getValue())});
      }
      commitWith(meta);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Commits what is buffered and the position; the offsets stay as they are. */
  void commitBuffer() {
    boolean interrupted = Thread.interrupted(); // set aside: see the class notes
    try {
      checkOpen();
      commitWith(new ArrayList<>());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private List<byte[]> committedOffsetKeys() {
    List<byte[]> keys = new ArrayList<>();
    try (Txn read = db.newTransaction(false);
        KvIterator it = read.newIterator(IteratorOptions.builder()
            .prefix(StoreKeys.OFFSET_PREFIX).keysOnly(true).build())) {
      for (it.rewind(); it.valid(); it.next()) {
        keys.add(it.item().key());
      }
    } catch (DbClosedException e) {
      throw closed(e);
    }
    return keys;
  }

  /** Commits the buffer with {@code meta} (key, value or null to delete) and the position. */
  private void commitWith(List<byte[][]> meta) {
    if (buffered == 0 && meta.isEmpty() && !positionChanged && !undo.pending()) {
      closeReadBuffer();
      return;
    }
    Position snapshot;
    synchronized (position) {
      snapshot = position.copy();
    }
    if (positionChanged) {
      for (String topic : snapshot.getTopics()) {
        for (Map.Entry<Integer, Long> p : snapshot.getPartitionPositions(topic).entrySet()) {
          meta.add(new byte[][] {StoreKeys.position(topic, p.getKey()),
              StoreKeys.longBytes(p.getValue())});
        }
      }
    }
    try {
      Txn t = buffer();
      try {
        writeMeta(t, meta);
      } catch (TxnTooBigException e) {
        spill();
        writeMeta(buffer(), meta);
      }
      Txn c = txn;
      txn = null;
      clearBuffer();
      try (c) {
        c.commit();
      }
      if (undo.pending()) {
        undo.advance();
      }
      positionChanged = false;
      committedPosition = snapshot;
    } catch (DbClosedException e) {
      throw closed(e);
    } catch (KvException e) {
      throw new ProcessorStateException("store " + name + ": commit failed", e);
    }
  }

  private void writeMeta(Txn t, List<byte[][]> meta) {
    for (byte[][] kv : meta) {
      write(t, kv[0], kv[1]);
    }
    if (undo.pending()) {
      byte[][] e = undo.nextEpochEntry();
      t.set(e[0], e[1]);
    }
  }

  /** Drops a transaction opened only for reads, so the next reads see newer commits. */
  private void closeReadBuffer() {
    if (txn != null && buffered == 0) {
      txn.close();
      txn = null;
    }
  }

  /**
   * The committed offset of a changelog partition, or null when none was committed.
   */
  Long committedOffset(TopicPartition tp) {
    boolean interrupted = Thread.interrupted(); // set aside: see the class notes
    try {
      checkOpen();
      try (Txn read = db.newTransaction(false)) {
        Item item = read.get(StoreKeys.offset(tp));
        return item == null ? null : StoreKeys.longOf(item.value());
      } catch (DbClosedException e) {
        throw closed(e);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Writes one batch of changelog records (one Sett write batch per call), updating the position
   * from the records' headers.
   *
   * @param records the records, keys already the store's own (the caller encodes them)
   * @param keyOf the data key of a record key, or null to skip the record (a window or session
   *     store's record of an expired segment); a skipped record still moves the position
   * @param consistency whether the records carry position headers to check
   */
  void restore(Collection<ConsumerRecord<byte[], byte[]>> records,
      java.util.function.Function<byte[], byte[]> keyOf, boolean consistency) {
    boolean interrupted = Thread.interrupted(); // set aside: see the class notes
    try {
      checkOpen();
      writer = Thread.currentThread();
      if (buffered > 0) {
        commitBuffer(); // keep order: what was buffered came first
      }
      closeReadBuffer();
      try (WriteBatch batch = db.newWriteBatch()) {
        synchronized (position) {
          for (ConsumerRecord<byte[], byte[]> r : records) {
            ChangelogRecordDeserializationHelper.applyChecksAndUpdatePosition(r, consistency,
                position);
            byte[] key = keyOf.apply(r.key());
            if (key == null) {
              continue;
            }
            if (r.value() == null) {
              batch.delete(key);
            } else {
              batch.set(key, r.value());
            }
          }
        }
        batch.flush();
        positionChanged = true;
      } catch (DbClosedException e) {
        throw closed(e);
      } catch (KvException e) {
        throw new ProcessorStateException("store " + name + ": restore failed", e);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Position loadPosition() {
    Position p = Position.emptyPosition();
    try (Txn read = db.newTransaction(false);
        KvIterator it = read.newIterator(IteratorOptions.builder()
            .prefix(StoreKeys.POSITION_PREFIX).build())) {
      for (it.rewind(); it.valid(); it.next()) {
        Item item = it.item();
        byte[] k = item.key();
        p.withComponent(StoreKeys.topicOf(k), StoreKeys.partitionOf(k),
            StoreKeys.longOf(item.value()));
      }
    }
    return p;
  }

  /**
   * Deletes every key under the prefixes: how window and session stores drop expired segments.
   * The buffer is written first (spilled, see the class notes), so nothing buffered under the
   * prefixes survives; then one write batch of tombstones, which compactions turn into free space
   * as they reach the data. (Sett's {@link Db#dropPrefix} would reclaim the space at once, but it
   * flushes and compacts on the caller's thread, a second or more for a segment; a stream thread
   * should not stop that long.)
   *
   * @return the number of keys deleted
   */
  long dropPrefixes(List<byte[]> prefixes) {
    boolean interrupted = Thread.interrupted(); // set aside: see the class notes
    try {
      checkOpen();
      if (prefixes.isEmpty()) {
        return 0;
      }
      long n = 0;
      try {
        if (buffered > 0) {
          spill();
        }
        closeReadBuffer();
        try (Txn read = db.newTransaction(false); WriteBatch batch = db.newWriteBatch()) {
          for (byte[] prefix : prefixes) {
            try (KvIterator it = read.newIterator(IteratorOptions.builder().prefix(prefix)
                .keysOnly(true).build())) {
              for (it.rewind(); it.valid(); it.next()) {
                batch.delete(it.item().key());
                n++;
              }
            }
          }
          batch.flush();
        }
        return n;
      } catch (DbClosedException e) {
        throw closed(e);
      } catch (KvException e) {
        throw new ProcessorStateException("store " + name + ": dropping expired data failed", e);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---------------------------------------------------------------- lifecycle

  private void checkOpen() {
    if (!open) {
      throw new InvalidStateStoreException("store " + name + " is not open");
    }
  }

  InvalidStateStoreException closed(RuntimeException cause) {
    return new InvalidStateStoreException("store " + name + " is closed", cause);
  }

  /**
   * Closes the iterators still open, then the database. Under at-least-once the buffer is
   * committed first (its data is no less safe than the changelog's); under exactly-once it is
   * dropped, since it may belong to a transaction Kafka aborts.
   */
  @Override
  public void close() {
    boolean interrupted = Thread.interrupted(); // set aside: see the class notes
    try {
      if (!open) {
        return;
      }
      open = false;
      RuntimeException failure = null;
      for (StoreIterator<?> it : iterators.toArray(new StoreIterator<?>[0])) {
        it.close();
      }
      try {
        if (txn != null) {
          Txn t = txn;
          txn = null;
          try (t) {
            if (!exactlyOnce && buffered > 0) {
              t.commit();
            }
          }
        }
      } catch (RuntimeException e) {
        failure = e;
      }
      try {
        db.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
      if (failure != null) {
        throw new ProcessorStateException("store " + name + ": close failed", failure);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "StoreDb[" + name + ", buffered=" + buffered + "]";
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }
}
