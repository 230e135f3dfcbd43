package dev.sett.kv.core;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.internal.Uninterruptibles;
import dev.sett.kv.levels.DiscardStats;
import dev.sett.kv.spi.EntryMeta;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.spi.ValueLog;
import dev.sett.kv.spi.ValuePointer;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Value log garbage collection (Badger's {@code RunValueLogGC}, with its known hazards closed):
 * picks the files whose known garbage ({@link DiscardStats}, counted by compactions) is at least a
 * share of their size, rewrites their live values through the write path at their original
 * versions, and deletes each file once nothing can read it any more.
 *
 * <p><b>Which files.</b> First those whose garbage as compactions counted it ({@link
 * DiscardStats}) is at least the ratio, most first. Compactions only see garbage once the old
 * versions reach them: with overwrites that stay in the memtables and level 0 (a small tree, a
 * value log that holds nearly all the bytes) they count nothing, and Badger's GC then does nothing
 * (badger-notes §8.1). So when fewer than {@value #FILES_PER_ROUND} files qualify, a round also
 * samples up to {@value #SAMPLES_PER_ROUND} other sealed files, oldest first: it checks the
 * liveness of their first {@value #SAMPLE_RECORDS} records and rewrites a file whose sampled
 * garbage reaches the ratio. A file sampled below the ratio is not sampled again for {@value
 * #RESAMPLE_AFTER_ROUNDS} rounds. The file being written is never rewritten; with large files
 * it can alone hold more garbage than the live data (the same keys overwritten in it), so each
 * round samples it too, once it holds a quarter of a file (at most 16 MiB), and seals it ({@link
 * WritePipeline#sealValueLog}) when its sample reaches the ratio; the next round, at once, can
 * then collect it.
 *
 * <p><b>Which records are live.</b> A record {@code key@v} at pointer {@code p} is live when,
 * reading at the rewrite's read timestamp, the tree still holds {@code key@v}, unexpired, at
 * {@code p}, and no reader from then on can see it: it is among the {@code numVersionsToKeep}
 * newest versions and no tombstone, expired version or version that discards earlier ones is
 * newer. That is the rule compactions drop versions by, and {@code allVersions} iterators hide
 * what it drops ({@link DbIterator}), so a version may be dead here while it is still in the
 * memtable or a table: garbage is found without waiting for compactions.
 *
 * <p><b>Never a version above a newer one</b> (badger-notes §8.4 item 2). Rewriting a shadowed
 * {@code key@v} alone would put it into the memtable above its newer versions and tombstones in
 * lower levels; a bottom compaction could later drop the tombstone together with the old {@code
 * key@v} and leave the rewritten copy as the newest version: a deleted key would come back. So a
 * rewrite also copies, at their own versions and unchanged (inline values, tombstones and
 * pointers into other files as they are), every newer version of the key up to the read
 * timestamp: the rewritten version never sits above a version newer than it.
 *
 * <p><b>Why the rewrite cannot bring a deleted value back</b> (Badger #2286). The liveness
 * check and the write are one optimistic transaction: the rewrite reads at {@code readTs}, and
 * {@link Oracle#commitRewrite} refuses it if any commit applied after that read (by the write
 * path's order, not by timestamp, which managed mode does not keep in order) wrote one of its keys
 * (the oracle records every commit's keys, with or without conflict detection), naming those
 * keys. A delete or overwrite that lands during the rewrite therefore takes its key out of the
 * batch, which commits without it, and the key's record is checked again at a new read
 * timestamp (usually to find it dead). A
 * rewritten entry sits at its original version, so after the commit nothing newer than it exists
 * for its key except what commits after the rewrite add, above it in the tree.
 *
 * <p><b>Same version twice.</b> The rewrite puts {@code key@v} with a new pointer into the
 * memtable while the old {@code key@v} may still be in an older memtable or table. Every reader
 * and compaction prefers the newer source for an equal key and version: memtables newest first,
 * level-0 tables by their newest commit ({@link MemTableHandle#newestCommit()}, which the rewrite's
 * commit timestamp raises even though its entries are older), then deeper levels. A compaction
 * that meets both keeps only the newer.
 *
 * <p><b>When a file may go.</b> After its live values are rewritten, a file is still read by (a)
 * transactions (and their iterators and items) that began before the rewrite committed, which may
 * hold old pointers or read versions older than the ones rewritten, and (b) WAL replay, for as
 * long as a WAL holding old pointers into it is not flushed (replay checks that every pointer
 * resolves). A transaction that began after the rewrite never reads a version the rewrite left
 * behind: those are dead at its read timestamp too, and {@code allVersions} iterators hide them.
 * So the file waits in {@code pending} until no transaction reads below the rewrite's commit and
 * every memtable that existed at the rewrite has been flushed; a restart before that finds it
 * marked all garbage and collects it again (nothing live is left in it).
 * Reads already under way on a deleted file finish: the value log deletes it after them.
 *
 * <p>Concurrency notes. Rounds run one at a time ({@code roundLock}): the background thread and
 * {@link SettDb#runValueLogGc} callers take turns. A round reads the value log (any thread may),
 * reads the tree like a transaction, and writes like a committer: through the oracle and the write
 * path, in batches of at most {@value #BATCH_ENTRIES} entries and {@value #BATCH_BYTES} bytes,
 * so writers wait for it no longer than for any commit of that size. {@code pending} is guarded
 * by {@code roundLock}; {@link #deletePending} also runs under it.
 */
final class ValueLogGc {
  private static final System.Logger LOG = System.getLogger(ValueLogGc.class.getName());
  /** Entries per rewrite batch: well below any memtable's capacity in pointers. */
  static final int BATCH_ENTRIES = 256;
  /** Value bytes per rewrite batch (the values are held in memory until the commit). */
  static final long BATCH_BYTES = 4L << 20;
  /** Files rewritten per round at most, so a round ends and close is not kept waiting. */
  static final int FILES_PER_ROUND = 8;
  /** Sealed files sampled per round when the discard statistics name too few. */
  static final int SAMPLES_PER_ROUND = 16;
  /** Records checked when sampling a file. */
  static final int SAMPLE_RECORDS = 2000;
  /** Rounds before a file sampled below the ratio is sampled again. */
  static final int RESAMPLE_AFTER_ROUNDS = 2;
  /** Rounds between two samples of the file being written. */
  static final int ACTIVE_RESAMPLE_ROUNDS = 1;
  /** Times a batch is checked again after a commit changed one of its keys. */
  private static final int CONFLICT_RETRIES = 16;

  /** A rewritten file waiting until nothing reads it (see the class notes). */
  private static final class Pending {
    final long fileId;
    final long rewriteTs;
    final long walId;

    Pending(long fileId, long rewriteTs, long walId) {
      this.fileId = fileId;
      this.rewriteTs = rewriteTs;
      this.walId = walId;
    }
  }

  private final SettDb db;
  private final ValueLog log;
  private final DiscardStats discard;
  private final int versionsToKeep;
  private final ReentrantLock roundLock = new ReentrantLock();
  private final List<Pending> pending = new ArrayList<>(); // guarded by roundLock
  /** Files that failed to scan (damage): not tried again until reopen. Guarded by roundLock. */
  private final Set<Long> broken = new HashSet<>();
  private volatile boolean stopping;
  /** Whether files wait for deletion; read without the lock by {@link #flushed()}. */
  private volatile boolean hasPending;
  private final Object wakeLock = new Object();
  private boolean wake; // guarded by wakeLock
  private Thread background;
  /** The round in which each file was last sampled below the ratio. Guarded by roundLock. */
  private final java.util.Map<Long, Long> sampledAt = new java.util.HashMap<>();
  private long rounds; // guarded by roundLock
  private long activeSampledAt = -ACTIVE_RESAMPLE_ROUNDS; // guarded by roundLock
  /** The size from which the file being written is sampled (and sealed if mostly garbage). */
  private final long sealAtBytes;
  /** Whether the last round stopped at {@value #FILES_PER_ROUND} files. Guarded by roundLock. */
  private volatile boolean lastRoundFull;
  private long filesDeleted; // guarded by roundLock
  private long valuesRewritten; // guarded by roundLock

  ValueLogGc(SettDb db, ValueLog log, DiscardStats discard, int versionsToKeep,
      long maxFileSize) {
    this.versionsToKeep = versionsToKeep;
    this.sealAtBytes = Math.min(16L << 20, maxFileSize / 4);
    this.db = db;
    this.log = log;
    this.discard = discard;
  }

  /**
   * Starts the background rounds on a daemon thread, {@code sett-vlog-gc}: one every {@code
   * interval}, and a deletion pass after each flush while rewritten files wait for one.
   */
  void startBackground(java.time.Duration interval, double ratio) {
    long intervalNanos = interval.toNanos();
    background = new Thread(() -> {
      long next = System.nanoTime() + intervalNanos;
      while (!stopping) {
        boolean round;
        synchronized (wakeLock) {
          long left = next - System.nanoTime();
          while (!stopping && !wake && left > 0) {
            try {
              wakeLock.wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
              return; // only close interrupts this thread, after stopping is set
            }
            left = next - System.nanoTime();
          }
          round = left <= 0;
          wake = false;
        }
        if (stopping) {
          return;
        }
        try {
          if (round) {
            runRound(ratio, false);
            // A round that hit its file limit left work: the next one starts at once.
            next = System.nanoTime() + (lastRoundFull ? 0 : intervalNanos);
          } else {
            deletePending();
          }
        } catch (DbClosedException e) {
          return;
        } catch (Throwable e) { // never die silently: log, and try again next round
          LOG.log(System.Logger.Level.WARNING, "value log garbage collection round failed"
              + " (tried again in " + interval + ")", e);
          if (db.isClosed() || db.pipeline().failed()) {
            return;
          }
        }
      }
    }, "sett-vlog-gc");
    background.setDaemon(true);
    background.start();
  }

  /** Called after each flush: rewritten files waiting for it may go now. */
  void flushed() {
    if (hasPending) {
      synchronized (wakeLock) {
        wake = true;
        wakeLock.notifyAll();
      }
    }
  }

  /**
   * Makes rounds end at their next batch and stops the background thread; called at close
   * before the write path stops.
   */
  void stop() {
    stopping = true;
    synchronized (wakeLock) {
      wakeLock.notifyAll();
    }
    Thread t = background;
    if (t != null) {
      Uninterruptibles.join(t);
    }
    roundLock.lock(); // waits for a manual round in progress
    roundLock.unlock();
  }

  /**
   * One round: rewrites up to {@value #FILES_PER_ROUND} files whose garbage is at least {@code
   * ratio} of their size, most counted garbage first (every candidate is considered, not only
   * the one with most garbage: Badger #2334), then sampled ones; seals the file being written
   * if its sample says it is mostly garbage; then deletes what may go.
   *
   * @param ratio the share of garbage, in (0, 1)
   * @param sealForDeletion whether to seal the mutable memtable when a rewritten file waits only
   *     for it to be flushed (a manual call, which wants the space back now)
   * @return whether a file was rewritten or deleted
   */
  boolean runRound(double ratio, boolean sealForDeletion) throws IOException {
    roundLock.lock();
    try {
      rounds++;
      boolean did = deletePending();
      int rewritten = rewriteCounted(ratio, 0);
      did |= rewritten > 0;
      int sampled = 0;
      boolean sealed = false;
      for (long id : log.fileIds()) { // oldest first
        if (stopping || rewritten >= FILES_PER_ROUND || sampled >= SAMPLES_PER_ROUND) {
          break;
        }
        Long at = sampledAt.get(id);
        if ((at != null && rounds - at < RESAMPLE_AFTER_ROUNDS) || !eligible(id, 0, 0)) {
          continue;
        }
        sampled++;
        if (sampledGarbage(id) >= ratio) {
          sampledAt.remove(id);
          if (rewrite(id)) {
            rewritten++;
            did = true;
          }
        } else {
          sampledAt.put(id, rounds);
        }
      }
      if (!pending.isEmpty() && sealForDeletion && !stopping) {
        db.pipeline().sealMemTable();
        db.awaitFlushed(pending.get(pending.size() - 1).walId);
      }
      if (!stopping && rewritten < FILES_PER_ROUND
          && rounds - activeSampledAt >= ACTIVE_RESAMPLE_ROUNDS
          && log.fileSize(log.activeFileId()) >= sealAtBytes) {
        // The file being written is never rewritten; when it is mostly garbage already (the
        // same keys overwritten again and again), seal it so that a later round can.
        activeSampledAt = rounds;
        if (sampledGarbage(log.activeFileId()) >= ratio) {
          db.pipeline().sealValueLog();
          sealed = true; // the next round, at once, can collect it
        }
      }
      did |= deletePending();
      discard.persistQuietly();
      lastRoundFull = rewritten >= FILES_PER_ROUND || sealed;
      return did || sealed;
    } finally {
      roundLock.unlock();
    }
  }

  /**
   * Rewrites files whose counted garbage reaches {@code ratio}, most first, until {@value
   * #FILES_PER_ROUND} were rewritten this round ({@code done} so far); returns how many it did.
   */
  private int rewriteCounted(double ratio, int done) throws IOException {
    int rewritten = 0;
    for (DiscardStats.FileGarbage g : discard.byMostGarbage()) {
      if (stopping || done + rewritten >= FILES_PER_ROUND) {
        break;
      }
      if (eligible(g.fileId(), g.bytes(), ratio) && rewrite(g.fileId())) {
        rewritten++;
      }
    }
    return rewritten;
  }

  /**
   * Whether a file may be rewritten: sealed, not damaged, not waiting for deletion, existing,
   * with {@code garbage} at least {@code ratio} of its size (ratio 0: any such file, to sample).
   */
  private boolean eligible(long id, long garbage, double ratio) throws IOException {
    if (broken.contains(id) || id == log.activeFileId()) {
      return false;
    }
    for (Pending p : pending) {
      if (p.fileId == id) {
        return false;
      }
    }
    long size;
    try {
      size = log.fileSize(id);
    } catch (NoSuchFileException gone) {
      discard.remove(id); // counted by a compaction after the file was collected
      return false;
    }
    return size > 0 && garbage >= ratio * size;
  }

  /**
   * The share of garbage among the first {@value #SAMPLE_RECORDS} records of a file, by record
   * bytes: records that are not live (see the class notes).
   */
  private double sampledGarbage(long fileId) throws IOException {
    long[] bytes = {0, 0}; // all, dead
    int[] seen = {0};
    long readTs = db.oracle().beginRead();
    try {
      log.scan(fileId, rec -> {
        long n = rec.pointer().recordLength();
        bytes[0] += n;
        Candidate c = new Candidate(rec.key(), rec.version(), rec.meta(), rec.userMeta(),
            rec.expiresAt(), rec.pointer());
        if (EntryMeta.isDeletedOrExpired(rec.meta(), rec.expiresAt(), db.nowSeconds())
            || !isLive(c, readTs, new ArrayList<>())) {
          bytes[1] += n;
        }
        return ++seen[0] < SAMPLE_RECORDS && !stopping;
      });
    } catch (CorruptionException e) {
      broken.add(fileId);
      LOG.log(System.Logger.Level.ERROR, "value log garbage collection skips {0} until the next"
          + " open: {1}", log.fileName(fileId), e.getMessage());
      return 0;
    } finally {
      db.oracle().endRead(readTs);
    }
    return bytes[0] == 0 ? 0 : (double) bytes[1] / bytes[0];
  }

  /**
   * Whether {@code version}, with these newer versions (newest first), is one that compactions
   * drop: beyond {@code numVersionsToKeep} (merge operands not counted), or under a tombstone, an
   * expired version or one that discards earlier versions. In managed mode the application may read at any timestamp above
   * its discard timestamp, so only versions at or below it can be shadowed, and only by newer
   * versions also at or below it (as compactions decide).
   */
  private boolean shadowed(long version, List<StoredValue> newer) {
    if (db.oracle().managed()) {
      long discardTs = db.discardTs();
      if (version > discardTs) {
        return false;
      }
      int above = 0;
      while (above < newer.size() && newer.get(above).version() > discardTs) {
        above++;
      }
      newer = newer.subList(above, newer.size());
    }
    long now = db.nowSeconds();
    int counted = 0; // every newer version is at or below the read ts
    for (StoredValue sv : newer) {
      if (EntryMeta.isDeletedOrExpired(sv.meta(), sv.expiresAt(), now)
          || (sv.meta() & EntryMeta.DISCARD_EARLIER_VERSIONS) != 0) {
        return true;
      }
      if (EntryMeta.countsAsVersion(sv.meta()) && ++counted >= versionsToKeep) {
        return true; // merge operands are not counted, as compactions do not count them
      }
    }
    return false;
  }

  /** A record seen in the file, to be checked and maybe rewritten. */
  private record Candidate(byte[] key, long version, byte meta, byte userMeta, long expiresAt,
      ValuePointer pointer) {}

  /**
   * Moves a file's live values into the active file; returns whether the file then waits for
   * deletion (false if it was damaged or the round stopped).
   */
  private boolean rewrite(long fileId) throws IOException {
    List<Candidate> batch = new ArrayList<>();
    long[] batchBytes = {0};
    long[] moved = {0};
    long size = log.fileSize(fileId);
    try {
      log.scan(fileId, rec -> {
        if (stopping) {
          return false;
        }
        if (EntryMeta.isDeletedOrExpired(rec.meta(), rec.expiresAt(), db.nowSeconds())) {
          return true; // expired: no reader sees it
        }
        batch.add(new Candidate(rec.key(), rec.version(), rec.meta(), rec.userMeta(),
            rec.expiresAt(), rec.pointer()));
        batchBytes[0] += rec.pointer().valueSize();
        if (batch.size() >= BATCH_ENTRIES || batchBytes[0] >= BATCH_BYTES) {
          moved[0] += rewriteBatch(batch);
          batch.clear();
          batchBytes[0] = 0;
        }
        return true;
      });
      if (!stopping) {
        moved[0] += rewriteBatch(batch);
      }
    } catch (CorruptionException e) {
      broken.add(fileId);
      LOG.log(System.Logger.Level.ERROR, "value log garbage collection skips {0} until the next"
          + " open: {1}", log.fileName(fileId), e.getMessage());
      return false;
    } catch (KeptConflicting e) {
      // Contention, not a failure: what moved stays moved (each batch is its own commit), the
      // file is not marked garbage, and a later round starts it again.
      valuesRewritten += moved[0];
      LOG.log(System.Logger.Level.INFO, "value log garbage collection leaves {0} for a later"
          + " round: {1}", log.fileName(fileId), e.getMessage());
      return false;
    }
    if (stopping) {
      return false;
    }
    valuesRewritten += moved[0];
    // Everything live has moved: all of the file is garbage now, also after a restart.
    discard.markGarbage(fileId, size);
    pending.add(new Pending(fileId, db.oracle().appliedTs(), db.memTables().mutable.walId()));
    hasPending = true;
    LOG.log(System.Logger.Level.INFO, "value log garbage collection rewrote {0} live value(s)"
        + " of {1} ({2} bytes); it is deleted once no reader needs it", moved[0],
        log.fileName(fileId), size);
    return true;
  }

  /**
   * A batch whose keys kept changing under the rewrite: busy keys, not a failure. The round
   * leaves the file for a later one instead of failing the caller of {@code runValueLogGc}.
   */
  private static final class KeptConflicting extends IOException {
    KeptConflicting(String message) {
      super(message);
    }
  }

  /** A live record and the newer versions of its key, newest first, copied along with it. */
  private record Live(Candidate candidate, List<StoredValue> newer) {}

  /**
   * Checks and rewrites one batch; returns the values rewritten. A commit that conflicts names
   * the keys that newer commits wrote: the rest of the batch is committed without them, and they
   * are checked again at a new read timestamp (most are dead by then: overwritten or deleted).
   * Only a record rewritten or found dead counts as done, so a file is never deleted with a live
   * record left behind; a batch whose keys keep changing ends the file's rewrite after {@value
   * #CONFLICT_RETRIES} checks ({@link KeptConflicting}: a later round starts the file again).
   */
  private int rewriteBatch(List<Candidate> batch) throws IOException {
    int rewritten = 0;
    List<Candidate> toCheck = batch;
    for (int attempt = 0; !toCheck.isEmpty(); attempt++) {
      if (stopping) {
        throw new DbClosedException("the database is closing");
      }
      if (attempt > CONFLICT_RETRIES) {
        throw new KeptConflicting("value log rewrite kept conflicting with commits ("
            + CONFLICT_RETRIES + " checks of " + toCheck.size() + " record(s))");
      }
      List<Candidate> again = new ArrayList<>();
      Oracle.RewriteRead read = db.oracle().beginRewriteRead();
      long readTs = read.readTs();
      try {
        List<Live> live = new ArrayList<>();
        for (Candidate c : toCheck) {
          List<StoredValue> newer = new ArrayList<>();
          if (isLive(c, readTs, newer)) {
            live.add(new Live(c, newer));
          }
        }
        while (!live.isEmpty()) {
          long[] conflicts = commit(live, read);
          if (conflicts.length == 0) {
            rewritten += live.size();
            break;
          }
          Arrays.sort(conflicts);
          for (var it = live.iterator(); it.hasNext(); ) {
            Live l = it.next();
            if (Arrays.binarySearch(conflicts, Oracle.fingerprint(l.candidate().key())) >= 0) {
              it.remove();
              again.add(l.candidate());
            }
          }
        }
      } finally {
        db.oracle().endRewriteRead(read);
      }
      toCheck = again;
    }
    return rewritten;
  }

  /**
   * Whether {@code c} is still in the tree at its pointer (see the class notes); if so, adds the
   * key's newer versions up to {@code readTs} to {@code newer}, newest first.
   */
  private boolean isLive(Candidate c, long readTs, List<StoredValue> newer) {
    int mark = newer.size();
    StoredValue sv = db.find(c.key(), readTs);
    while (sv != null && sv.version() > c.version()) {
      newer.add(sv);
      sv = db.find(c.key(), sv.version() - 1);
    }
    boolean live = sv != null && sv.version() == c.version()
        && (sv.meta() & EntryMeta.VALUE_POINTER) != 0
        && !EntryMeta.isDeletedOrExpired(sv.meta(), sv.expiresAt(), db.nowSeconds())
        && pointsAt(sv, c.pointer())
        && !shadowed(c.version(), newer.subList(mark, newer.size()));
    if (!live) {
      newer.subList(mark, newer.size()).clear();
    }
    return live;
  }

  private static boolean pointsAt(StoredValue sv, ValuePointer p) {
    try {
      return ValuePointer.decode(sv.value()).equals(p);
    } catch (IllegalArgumentException e) {
      return false; // not this record's pointer; the read path reports the damage
    }
  }

  /**
   * Writes the live values at their versions, with copies of their keys' newer versions, as one
   * optimistic transaction; returns the fingerprints of the keys that newer commits wrote, in
   * which case nothing was written. A version both rewritten and copied (it is in this file and
   * newer than another rewritten version of its key) is written once, rewritten: the copy would
   * point into this file.
   */
  private long[] commit(List<Live> live, Oracle.RewriteRead read) throws IOException {
    Set<String> rewritten = new HashSet<>();
    for (Live l : live) {
      rewritten.add(internalKey(l.candidate().key(), l.candidate().version()));
    }
    List<byte[]> copyKeys = new ArrayList<>();
    List<StoredValue> copies = new ArrayList<>();
    Set<String> copied = new HashSet<>();
    for (Live l : live) {
      for (StoredValue sv : l.newer()) {
        String k = internalKey(l.candidate().key(), sv.version());
        if (!rewritten.contains(k) && copied.add(k)) {
          copyKeys.add(l.candidate().key());
          copies.add(sv);
        }
      }
    }
    int n = live.size() + copies.size();
    WriteRequest r = new WriteRequest(n);
    r.versions = new long[n];
    long[] reads = new long[n];
    for (int i = 0; i < live.size(); i++) {
      Candidate c = live.get(i).candidate();
      r.keys[i] = c.key();
      r.values[i] = log.read(c.pointer());
      r.metas[i] = (byte) (c.meta() & ~(EntryMeta.VALUE_POINTER | EntryMeta.TXN));
      r.userMetas[i] = c.userMeta();
      r.expiresAt[i] = c.expiresAt();
      r.separate[i] = true; // it was separated once: the decision stays with the entry
      r.versions[i] = c.version();
      reads[i] = Oracle.fingerprint(c.key());
    }
    for (int j = 0; j < copies.size(); j++) {
      int i = live.size() + j;
      StoredValue sv = copies.get(j);
      r.keys[i] = copyKeys.get(j);
      r.values[i] = sv.value(); // inline bytes, or a pointer into another file, as stored
      r.metas[i] = (byte) (sv.meta() & ~EntryMeta.TXN);
      r.userMetas[i] = sv.userMeta();
      r.expiresAt[i] = sv.expiresAt();
      r.versions[i] = sv.version();
      reads[i] = Oracle.fingerprint(r.keys[i]);
    }
    Arrays.sort(reads);
    return db.commitRewrite(r, read, reads);
  }

  private static String internalKey(byte[] key, long version) {
    return new String(key, java.nio.charset.StandardCharsets.ISO_8859_1) + '@' + version;
  }

  /** Deletes the rewritten files nothing can read any more; returns whether one was deleted. */
  boolean deletePending() {
    return deletePending(false);
  }

  /**
   * As {@link #deletePending()}; {@code allFlushed} says every memtable was just flushed (close).
   */
  boolean deletePending(boolean allFlushed) {
    roundLock.lock();
    try {
      if (pending.isEmpty()) {
        return false;
      }
      long oldestWal = db.oldestMemTableWal();
      boolean deleted = false;
      for (var it = pending.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        // A transaction from before the rewrite may read the file; so may a WAL replay.
        if (!db.oracle().noReadersAtOrBelow(p.rewriteTs - 1)
            || (!allFlushed && oldestWal <= p.walId)) {
          continue;
        }
        // No sync needed: the rewrite's memtable is flushed (a synced table), and the value log
        // was synced when that memtable's WAL was sealed.
        try {
          log.deleteFile(p.fileId);
        } catch (NoSuchFileException gone) {
          // deleted already
        } catch (IOException | RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "cannot delete collected value log file {0}"
              + " (tried again later): {1}", log.fileName(p.fileId), e.toString());
          continue;
        }
        it.remove();
        discard.remove(p.fileId);
        filesDeleted++;
        deleted = true;
      }
      if (deleted) {
        discard.persistQuietly();
      }
      hasPending = !pending.isEmpty();
      return deleted;
    } finally {
      roundLock.unlock();
    }
  }

  /** Files deleted so far (for statistics and tests). */
  long filesDeleted() {
    roundLock.lock();
    try {
      return filesDeleted;
    } finally {
      roundLock.unlock();
    }
  }

  /** Values rewritten so far. */
  long valuesRewritten() {
    roundLock.lock();
    try {
      return valuesRewritten;
    } finally {
      roundLock.unlock();
    }
  }

  /** Files rewritten and waiting for deletion. */
  int pendingFiles() {
    roundLock.lock();
    try {
      return pending.size();
    } finally {
      roundLock.unlock();
    }
  }
}
