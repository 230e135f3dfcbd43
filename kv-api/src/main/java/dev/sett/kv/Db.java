package dev.sett.kv;

import dev.sett.kv.internal.Registries;
import dev.sett.kv.spi.EngineProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An open Sett database: an embedded, transactional, ordered key-value store.
 *
 * <pre>{@code
 * try (Db db = Db.open(Path.of("data"))) {
 *   db.update(txn -> txn.set(key, value));
 *   byte[] v = db.view(txn -> {
 *     Item item = txn.get(key);
 *     return item == null ? null : item.value();
 *   });
 * }
 * }</pre>
 *
 * <p>A {@code Db} is thread-safe. Every transaction sees a consistent snapshot taken when it
 * starts; read-write transactions are serializable (snapshot isolation plus read-set conflict
 * detection). Durability follows {@link Options#syncWrites()}: with it on, a commit returns after
 * its data is fsynced; with it off, after the data is handed to the operating system, so a commit
 * survives a crash of the process but not a power loss (which leaves a prefix of the commits). A
 * transaction is atomic across crashes either way.
 *
 * <p>Exactly one {@code Db} may have a directory open for writing at a time, in any process: a
 * second {@link #open} fails with {@link DirectoryLockedException}. Any number may have it open
 * read-only ({@link Options#readOnly()}) while none has it open for writing.
 */
public interface Db extends AutoCloseable {

  /**
   * Opens (creating if needed) the database the options describe, using the engine found through
   * {@link java.util.ServiceLoader} ({@link EngineProvider}, default {@code core}).
   *
   * @param options validated options
   * @return the open database; close it
   * @throws DirectoryLockedException if the directory is open elsewhere
   * @throws CorruptionException if a file fails its checks (other than a torn WAL tail)
   * @throws StorageException if the files cannot be read or written
   * @throws IllegalStateException if no engine or no named provider is installed
   */
  static Db open(Options options) {
    EngineProvider engine = Registries.engines().select(null);
    return engine.open(options);
  }

  /**
   * Opens (creating if needed) the database in {@code dir} with default options.
   *
   * @param dir the database directory
   * @return the open database; close it
   * @see #open(Options)
   */
  static Db open(Path dir) {
    return open(Options.builder(dir).build());
  }

  /**
   * Checks every checksum of a database that is not open: the MANIFEST, every table it lists,
   * every WAL not yet in tables, every value log file, {@code DISCARD} and {@code BANNED}. Reads
   * only: nothing is created, truncated or deleted (a torn tail that the next open would cut is
   * reported as a problem at its offset). Keeps writers out meanwhile with the shared lock of
   * read-only opens (so {@link Options#readOnly()} databases may stay open beside it), so nothing
   * changes underneath. The options name the directory (or storage) and the value log format;
   * tables are read with the format the MANIFEST names for each.
   *
   * @param options the database's options
   * @return what was checked and found; damage is reported there, not thrown
   * @throws DirectoryLockedException if the database is open for writing: call {@link #verify()}
   *     on that {@code Db} instead
   * @throws StorageException if the directory holds no database ({@code MANIFEST} missing) or
   *     cannot be listed
   * @throws IllegalArgumentException if the options describe an in-memory database (nothing
   *     outlives its {@code Db})
   */
  static VerifyReport verify(Options options) {
    EngineProvider engine = Registries.engines().select(null);
    return engine.verify(options);
  }

  /**
   * Starts a transaction at a snapshot of every commit acknowledged so far.
   *
   * @param update {@code true} for a read-write transaction, {@code false} for read-only
   * @return the transaction; close it (closing discards it unless it was committed)
   * @throws IllegalStateException in managed mode ({@link Options#managedTxns()}): use {@link
   *     #newTransactionAt}
   * @throws DbClosedException if the database is closed
   */
  Txn newTransaction(boolean update);

  /**
   * Runs {@code fn} in a read-only transaction and returns what it returns. In managed mode the
   * transaction reads at the newest version ({@link Long#MAX_VALUE}), as Badger's {@code View}.
   *
   * @param fn the reads; it must not keep the transaction or its items beyond the call
   * @param <T> the result type
   * @return the result of {@code fn}
   * @throws DbClosedException if the database is closed
   */
  <T> T view(Function<? super Txn, ? extends T> fn);

  /**
   * Runs {@code fn} in a read-write transaction and commits it when {@code fn} returns normally.
   * If {@code fn} throws, the transaction is discarded and the exception propagates.
   *
   * @param fn the reads and writes
   * @throws ConflictException if a concurrent commit invalidated what {@code fn} read
   * @throws TxnTooBigException if {@code fn} wrote more than one commit can hold
   * @throws IllegalStateException in managed mode: use {@link #newTransactionAt} and {@link
   *     Txn#commitAt}
   * @throws DbClosedException if the database is closed
   */
  void update(Consumer<? super Txn> fn);

  /**
   * Creates a batch that writes any number of entries as a series of transactions, committing
   * whenever one is full. A batch is not atomic as a whole; each of its commits is.
   *
   * @return a new batch; close it
   * @throws IllegalStateException in managed mode: use {@link #newWriteBatchAt}
   * @throws DbClosedException if the database is closed
   */
  WriteBatch newWriteBatch();

  /**
   * Starts a transaction that reads at {@code readTs}, a timestamp the caller chooses (managed
   * mode, {@link Options#managedTxns()}; Badger's {@code NewTransactionAt}). It sees every version
   * at or below {@code readTs}; a read-write one commits with {@link Txn#commitAt}.
   *
   * @param readTs the read timestamp, at least 0
   * @param update {@code true} for a read-write transaction
   * @return the transaction; close it
   * @throws IllegalStateException if the database is not in managed mode
   * @throws IllegalArgumentException if {@code readTs} is negative
   * @throws DbClosedException if the database is closed
   */
  Txn newTransactionAt(long readTs, boolean update);

  /**
   * A write batch whose commits all carry the version {@code commitTs} (managed mode; Badger's
   * {@code NewWriteBatchAt}). Its transactions read nothing, so they never conflict.
   *
   * @param commitTs the version of every write, at least 1
   * @return a new batch; close it
   * @throws IllegalStateException if the database is not in managed mode
   * @throws IllegalArgumentException if {@code commitTs} is below 1
   * @throws DbClosedException if the database is closed
   */
  WriteBatch newWriteBatchAt(long commitTs);

  /**
   * Lets compactions and value log garbage collection drop versions at or below {@code ts} that
   * a newer version at or below {@code ts} shadows beyond {@link Options#numVersionsToKeep()}, or
   * a tombstone or expiry hides (managed mode; Badger's {@code SetDiscardTs}). Until it is
   * called every version is kept. The caller promises not to read at or below {@code ts} any
   * more; the timestamp never moves back (a lower value is ignored).
   *
   * @param ts the discard timestamp, at least 0
   * @throws IllegalStateException if the database is not in managed mode
   * @throws IllegalArgumentException if {@code ts} is negative
   * @throws DbClosedException if the database is closed
   */
  void setDiscardTs(long ts);

  /**
   * A parallel scan of every key (or every key under a prefix) at a snapshot taken when it runs
   * (Badger's {@code NewStream}); see {@link Stream}.
   *
   * @return a new stream to configure and {@link Stream#run() run}
   * @throws IllegalStateException in managed mode: use {@link #newStreamAt}
   * @throws DbClosedException if the database is closed
   */
  Stream newStream();

  /**
   * As {@link #newStream()} at the read timestamp {@code readTs} (managed mode; Badger's {@code
   * NewStreamAt}): the run sees every version at or below it. The run keeps no version from being
   * dropped that {@link #setDiscardTs} already let go, so keep the discard timestamp below
   * {@code readTs} until the run ends.
   *
   * @param readTs the read timestamp, at least 0
   * @return a new stream
   * @throws IllegalStateException if the database is not in managed mode
   * @throws IllegalArgumentException if {@code readTs} is negative
   * @throws DbClosedException if the database is closed
   */
  Stream newStreamAt(long readTs);

  /**
   * Delivers every change committed from now on to a key that one of {@code matches} covers, in
   * commit order, in batches, to {@code callback} on the subscription's own thread (Badger's
   * {@code Subscribe}). Writes of value log garbage collection (which change no value) are not
   * delivered. The subscription buffers at most {@value #DEFAULT_SUBSCRIBER_BUFFER} undelivered
   * changes; see {@link #subscribe(List, Consumer, int)}.
   *
   * @param matches the keys to watch, at least one
   * @param callback receives each batch (a list it may keep); an exception it throws ends the
   *     subscription with that failure
   * @return the subscription; cancel or close it
   * @throws IllegalArgumentException if {@code matches} is empty
   * @throws DbClosedException if the database is closed
   */
  default Subscription subscribe(List<Match> matches, Consumer<List<KeyValue>> callback) {
    return subscribe(matches, callback, DEFAULT_SUBSCRIBER_BUFFER);
  }

  /** Undelivered changes a subscription buffers by default. */
  int DEFAULT_SUBSCRIBER_BUFFER = 100_000;

  /**
   * As {@link #subscribe(List, Consumer)} with a buffer of {@code maxPendingChanges}. A
   * subscriber whose undelivered changes would exceed it is ended at once with a {@link
   * SubscriberOverflowException} (see {@link Subscription#failure()}) and its buffer dropped:
   * writers never wait for a subscriber, and the others go on.
   *
   * @param matches the keys to watch, at least one
   * @param callback receives each batch
   * @param maxPendingChanges the buffer, at least 1
   * @return the subscription
   * @throws IllegalArgumentException if {@code matches} is empty or the buffer below 1
   * @throws DbClosedException if the database is closed
   */
  Subscription subscribe(List<Match> matches, Consumer<List<KeyValue>> callback,
      int maxPendingChanges);

  /**
   * Bans a namespace (Badger's {@code BanNamespace}): from now on, and after every reopen, a read
   * or write of a key whose 8 bytes at {@link Options#namespaceOffset()} (big-endian) equal
   * {@code ns} fails with {@link BannedNamespaceException}, and iterators skip such keys. The ban
   * is on disk (file {@code BANNED}) before this returns. Keys shorter than the offset plus 8 are
   * in no namespace. Idempotent; there is no unban, as in Badger.
   *
   * @param ns the namespace, an unsigned 64-bit number
   * @throws IllegalStateException if {@link Options#namespaceOffset()} is not set
   * @throws StorageException if the ban cannot be written (it is then not in effect)
   * @throws DbClosedException if the database is closed
   */
  void banNamespace(long ns);

  /**
   * A sequence of monotonically increasing numbers stored under {@code key}, leased {@code
   * bandwidth} at a time (Badger's {@code GetSequence}); see {@link Sequence} for what survives a
   * crash. The first lease is taken at once.
   *
   * @param key the key that holds the counter (8 bytes, big-endian)
   * @param bandwidth numbers per lease, at least 1: more means fewer commits and larger gaps after
   *     a crash
   * @return the sequence
   * @throws IllegalArgumentException if the key is invalid or {@code bandwidth} is below 1
   * @throws IllegalStateException if the key holds a value that is not a counter, or in managed
   *     mode (a lease is a commit at a timestamp of the database's choosing)
   * @throws DbClosedException if the database is closed
   */
  Sequence getSequence(byte[] key, long bandwidth);

  /**
   * A stream writer that loads sorted data into this database by writing tables directly
   * (Badger's {@code NewStreamWriter}); see {@link StreamWriter}. {@link #load} uses one when the
   * database is empty.
   *
   * @return the writer; flush or cancel it
   * @throws IllegalStateException if the database is not empty (no table, no memtable entry:
   *     {@link #dropAll} first), another stream writer is open, or it is read-only
   * @throws DbClosedException if the database is closed
   */
  StreamWriter newStreamWriter();

  /**
   * A merge operator for {@code key} (Badger's {@code GetMergeOperator}): values added to it are
   * folded by {@code fn} on {@link MergeOperator#get} and, every {@code interval}, in the
   * background on the operator's own thread (a daemon named {@code sett-merge-N}), until {@link
   * MergeOperator#stop} or the database closes.
   *
   * @param key the key whose values are merged
   * @param fn folds an older value into the merge of the newer ones: {@code fn.apply(older,
   *     merged)}; it must not return null
   * @param interval how often the operands are merged in the background, positive
   * @return the running operator; stop it when done
   * @throws IllegalArgumentException if the key is invalid or the interval is not positive
   * @throws IllegalStateException in managed mode (an operand is a commit at a timestamp of the
   *     database's choosing) or read-only mode
   * @throws DbClosedException if the database is closed
   */
  MergeOperator getMergeOperator(byte[] key, BinaryOperator<byte[]> fn, Duration interval);

  /**
   * Deletes every key (Badger's {@code DropAll}) and reclaims the space; the same as {@code
   * dropPrefix(new byte[0])}.
   *
   * @return the number of keys deleted
   * @see #dropPrefix
   */
  long dropAll();

  /**
   * Deletes every key under any of {@code prefixes} (Badger's {@code DropPrefix}) and reclaims
   * their space: the keys live in one snapshot taken at the call are deleted (tombstones through
   * the write path, in batches), the memtable holding the tombstones is flushed, the prefixes'
   * key ranges are compacted into the last level, where the tombstones and the versions they
   * delete are dropped, and value log garbage collection rounds reclaim the values those
   * compactions freed. Returns once that is done.
   *
   * <p>Unlike Badger, nothing else waits or fails meanwhile. Readers are never blocked, and a
   * transaction that began before the drop still reads the dropped keys (so their space comes
   * back only once it ends, through later compactions and collection rounds). Writers go on: a
   * key that did not exist when the drop began survives it, a write to a key that did may or may
   * not (whichever of it and the tombstone commits last wins), and every write that commits after
   * the call returns survives. Keys in banned namespaces are not touched. Not available in
   * managed mode (the tombstones need a timestamp: write them with {@link #newWriteBatchAt}).
   *
   * @param prefixes the prefixes; an empty one stands for every key
   * @return the number of keys deleted
   * @throws IllegalArgumentException if no prefix is given, or one is longer than {@link
   *     Options#MAX_KEY_SIZE}
   * @throws NullPointerException if {@code prefixes} or one of them is null
   * @throws IllegalStateException in managed mode
   * @throws DbClosedException if the database is closed
   */
  long dropPrefix(byte[]... prefixes);

  /**
   * Writes a backup of every version above {@code sinceTs} to {@code out}, read from one
   * snapshot, and returns the timestamp to pass as {@code sinceTs} for the next (incremental)
   * backup (Badger's {@code Backup}). The versions are the ones the database keeps (what an
   * {@code allVersions} iterator shows): with their TTLs and user meta, tombstones included
   * (without values, as expired versions). Keys in banned namespaces are left out. The format
   * ({@code backup-v1}) has a checksum on every block and an end block, and is documented in
   * {@code docs/formats/backup.md}. Writers are not held up: the backup reads a snapshot. In
   * managed mode the snapshot is at the highest commit timestamp applied so far.
   *
   * @param out where the backup goes; it is flushed, not closed
   * @param sinceTs 0 for a full backup, or what an earlier backup returned
   * @return the snapshot's timestamp: every version at or below it is in this backup or at or
   *     below {@code sinceTs}
   * @throws IllegalArgumentException if {@code sinceTs} is negative
   * @throws StorageException if {@code out} or the database fails (the backup is then incomplete:
   *     it has no end block, and loading it fails)
   * @throws DbClosedException if the database is closed
   */
  long backup(OutputStream out, long sinceTs);

  /**
   * Loads a backup written by {@link #backup} (Badger's {@code Load}): its versions are written
   * at their original timestamps, in batches of which at most {@code maxPendingWrites} are in
   * flight at once, and later commits get newer timestamps. Load a full backup, then its
   * incremental ones in order. A version is written only above the newest one the database
   * already has of its key; the others are skipped and counted (so a database's own newer
   * writes win, and loading the same backup twice writes nothing the second time). Readers are
   * never blocked; a transaction that started before the load does not see it, later ones see
   * its batches as they commit (each atomically). Loaded writes go through the WAL and are not
   * delivered to subscribers.
   *
   * <p>Into an empty database (no table, no memtable entry) the load goes through a {@link
   * StreamWriter} instead: tables are built directly, without the WAL, and installed at the end,
   * so the load is all or nothing, and other writes are refused while it runs.
   *
   * <p>If the backup is damaged or truncated, the load stops with {@link CorruptionException}
   * naming the offset in the stream. What it leaves: into an empty database, nothing; otherwise
   * the batches that committed before it, so some of the records before that offset, none at or
   * after it. Loading the backup again (once repaired, or from another copy) completes it, except
   * for older versions of the key it stopped in.
   *
   * @param in the backup; read to its end, not closed
   * @param maxPendingWrites batches handed to the write path before the load waits for the
   *     oldest, at least 1
   * @return what the load read, wrote and skipped
   * @throws IllegalArgumentException if {@code maxPendingWrites} is below 1
   * @throws CorruptionException if the backup is damaged or truncated
   * @throws UnsupportedFormatException if it is of a format this build does not read
   * @throws StorageException if {@code in} or the database fails
   * @throws DbClosedException if the database is closed
   */
  LoadResult load(InputStream in, int maxPendingWrites);

  /**
   * Forces every acknowledged write to stable storage (fsync of the active WAL), whatever {@link
   * Options#syncWrites()} says.
   *
   * @throws StorageException if the sync fails
   * @throws DbClosedException if the database is closed
   */
  void sync();

  /**
   * Runs one round of value log garbage collection now (Badger's {@code RunValueLogGC}; the
   * background rounds of {@link Options#valueLogGcInterval()} do the same by themselves). The
   * round rewrites, at their original versions, the live values of up to eight value log files
   * whose garbage is at least {@code discardRatio} of their size (most garbage first by the
   * counts compactions keep, then by sampling files whose garbage compactions have not met), then
   * deletes every rewritten file that nothing can read any more: a file stays until the
   * transactions that began before its rewrite have closed (they may still read it). Only one
   * round runs at a time; a call waits for the round in progress. Writers are held up no longer
   * than by a commit of a few MiB.
   *
   * @param discardRatio the share of a file that must be known garbage, in (0, 1); Badger
   *     suggests 0.5
   * @return whether it rewrote or deleted a file; {@code false} when no file had that much
   *     garbage (as Badger's {@code ErrNoRewrite})
   * @throws IllegalArgumentException if {@code discardRatio} is outside (0, 1)
   * @throws DbClosedException if the database is closed
   * @throws StorageException if a value log file cannot be read or written
   */
  boolean runValueLogGc(double discardRatio);

  /**
   * The shape of the LSM tree and the lifetime counters: tables, bytes, target and score per
   * level, bytes written by flushes and compactions (for write amplification), stall times and
   * cache use.
   *
   * @return a snapshot
   * @throws DbClosedException if the database is closed
   */
  DbStats stats();

  /**
   * Compacts until all tables sit in one level, as Badger's {@code Flatten}: stops the background
   * compactors meanwhile, then repeatedly merges the shallowest non-empty level into the next
   * one. Useful before a backup or to drop deleted data after a bulk delete.
   *
   * @param workers how many threads run compactions meanwhile (at least 1)
   * @throws IllegalArgumentException if {@code workers} is less than 1
   * @throws DbClosedException if the database is closed
   * @throws StorageException if a table cannot be written
   */
  void flatten(int workers);

  /**
   * Checks every checksum of every file of this open database, as {@link #verify(Options)} does
   * for a closed one, while reads and writes go on: tables are pinned while they are read, and a
   * WAL or value log file that a flush or garbage collection deletes meanwhile is listed as
   * skipped, not as damaged. Only the file being appended to is read up to what was written when
   * the check reached it. Commits never wait for it; flushes and compactions wait only while
   * the MANIFEST (a few KiB) is read.
   *
   * @return what was checked and found; damage is reported there, not thrown
   * @throws DbClosedException if the database is closed (use {@link #verify(Options)})
   */
  VerifyReport verify();

  /**
   * The options this database was opened with.
   *
   * @return the options
   */
  Options options();

  /**
   * Whether {@link #close()} has been called.
   *
   * @return {@code true} once closed
   */
  boolean isClosed();

  /**
   * Closes the database: blocks new writes, waits for the commits in flight, flushes every
   * memtable to a table (so the next open replays nothing), stops the compactors (after one L0
   * compaction if {@link Options#compactL0OnClose()}), closes the files and releases the directory
   * lock. Idempotent. Transactions and iterators still open throw
   * {@link DbClosedException} on their next use; their {@code close()} still works.
   *
   * @throws StorageException if the final sync fails (the lock is released anyway)
   */
  @Override
  void close();
}
