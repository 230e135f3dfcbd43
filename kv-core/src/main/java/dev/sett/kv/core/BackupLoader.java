package dev.sett.kv.core;

import dev.sett.kv.KvException;
import dev.sett.kv.LoadResult;
import dev.sett.kv.Options;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.spi.EntryMeta;
import dev.sett.kv.spi.StoredValue;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads a backup ({@code db.load}): writes its records at their original versions, in batches
 * that commit like value log rewrites ({@link SettDb#startRewrite}), up to {@code
 * maxPendingWrites} of them in flight.
 *
 * <p><b>Which versions are written.</b> The tree keeps every key's versions newest in the upper
 * levels (a point read stops at the first level that has the key), so a version must never be
 * written below one the database already has: it would shadow it once flushed. For each key the
 * loader reads the newest version the database holds (its floor) and writes only the backup's
 * versions above it; the others are skipped and counted. An empty database, or one that holds
 * only what earlier backups of the same source loaded (a full backup, then its incremental ones
 * in order), takes every version.
 *
 * <p><b>Commits while it runs.</b> Before a batch, the oracle's timestamps are raised above the
 * batch's versions, so every commit from then on is newer than what the load writes. A batch
 * commits only if no commit it may not have seen wrote one of its keys (the rewrite conflict
 * check); keys such a commit wrote are skipped from then on, the commit's version being newer.
 * A key whose versions span two batches is read again at the second: a version newer than the
 * ones loaded for it means a commit came between them, and its older versions are skipped too.
 * The load's batches are recorded as commits, so a transaction that read one of their keys
 * before them and commits after them fails with a conflict.
 *
 * <p>Single-threaded: one loader per {@code load} call.
 */
final class BackupLoader {
  private final SettDb db;
  private final int maxPending;
  private final int maxCount;
  private final long maxBytes;
  private final ArrayDeque<WriteRequest> inFlight = new ArrayDeque<>();
  private long records;
  private long loaded;
  private long skipped;
  // The key being loaded (versions arrive newest first) and what is known of it.
  private byte[] key;
  private long floor; // newest version the database held, -1 for none
  private long newestLoaded; // -1 until one of its versions is committed
  private boolean skipKey;

  BackupLoader(SettDb db, int maxPendingWrites) {
    this.db = db;
    this.maxPending = maxPendingWrites;
    Options o = db.options();
    this.maxCount = (int) Math.min(o.maxBatchCount(), 10_000);
    // Values wait in memory until their batch commits: keep a batch small whatever the limits.
    this.maxBytes = Math.min(o.maxBatchSize(), 4L << 20);
  }

  LoadResult run(InputStream in) throws IOException {
    BackupReader reader = new BackupReader(in);
    try {
      List<BackupReader.Record> batch = new ArrayList<>();
      long bytes = 0;
      for (BackupReader.Record r; (r = reader.next()) != null; ) {
        records++;
        batch.add(r);
        bytes += r.key().length + r.value().length + 32;
        if (batch.size() >= maxCount || bytes >= maxBytes) {
          commit(batch);
          batch.clear();
          bytes = 0;
        }
      }
      commit(batch);
      while (!inFlight.isEmpty()) {
        db.awaitCommit(inFlight.poll());
      }
    } catch (IOException | RuntimeException | Error e) {
      // What was handed to the write path is written (or fails) whatever happens here: wait
      // for it, so that what the failed load leaves is settled when it returns.
      while (!inFlight.isEmpty()) {
        try {
          db.awaitCommit(inFlight.poll());
        } catch (RuntimeException other) {
          e.addSuppressed(other);
        }
      }
      throw e;
    }
    BackupFormat.Header h = reader.header();
    return new LoadResult(records, loaded, skipped, h.sinceTs(), h.readTs());
  }

  private void commit(List<BackupReader.Record> batch) {
    if (batch.isEmpty()) {
      return;
    }
    long maxVersion = 0;
    for (BackupReader.Record r : batch) {
      maxVersion = Math.max(maxVersion, r.version());
    }
    db.oracle().raiseAbove(maxVersion);
    // The key state as the batch found it: each attempt decides from it again.
    byte[] key0 = key;
    long floor0 = floor;
    long newest0 = newestLoaded;
    boolean skip0 = skipKey;
    long[] conflicted = new long[0];
    while (true) {
      key = key0;
      floor = floor0;
      newestLoaded = newest0;
      skipKey = skip0;
      Oracle.RewriteRead read = db.oracle().beginRewriteRead();
      try {
        List<BackupReader.Record> chosen = new ArrayList<>(batch.size());
        boolean recheck = key != null; // the first key may continue from the last batch
        for (BackupReader.Record r : batch) {
          if (choose(r, read.readTs(), recheck, conflicted)) {
            chosen.add(r);
          }
          recheck = false;
        }
        if (chosen.isEmpty()) {
          skipped += batch.size();
          return;
        }
        WriteRequest req = request(chosen);
        long[] fingerprints = new long[chosen.size()];
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
          byte[] k = chosen.get(i).key();
          fingerprints[i] = Oracle.fingerprint(k);
          if (keys.isEmpty() || !Arrays.equals(keys.get(keys.size() - 1), k)) {
            keys.add(k);
          }
        }
        Arrays.sort(fingerprints);
        long[] c = db.startRewrite(req, read, fingerprints, keys.toArray(new byte[0][]));
        if (c.length == 0) {
          loaded += chosen.size();
          skipped += batch.size() - chosen.size();
          inFlight.add(req);
          if (inFlight.size() > maxPending) {
            db.awaitCommit(inFlight.poll());
          }
          return;
        }
        conflicted = merge(conflicted, c);
      } finally {
        db.oracle().endRewriteRead(read);
      }
    }
  }

  /** Whether record {@code r} is written (see the class notes); updates the key state. */
  private boolean choose(BackupReader.Record r, long readTs, boolean recheck,
      long[] conflicted) {
    byte[] k = r.key();
    if (key == null || !Arrays.equals(key, k)) {
      key = k;
      skipKey = db.banned().isBanned(k);
      StoredValue e = skipKey ? null : db.find(k, readTs);
      floor = e == null ? -1 : e.version();
      newestLoaded = -1;
    } else if (recheck && !skipKey) {
      StoredValue e = db.find(k, readTs);
      if (e != null && e.version() > Math.max(floor, newestLoaded)) {
        skipKey = true; // a commit wrote the key since its first versions were loaded
      }
    }
    if (!skipKey && Arrays.binarySearch(conflicted, Oracle.fingerprint(k)) >= 0) {
      skipKey = true;
    }
    if (skipKey || r.version() <= floor) {
      return false;
    }
    if (newestLoaded < 0) {
      newestLoaded = r.version();
    }
    return true;
  }

  private WriteRequest request(List<BackupReader.Record> chosen) {
    SeparatedValues values = db.values();
    Options o = db.options();
    WriteRequest req = new WriteRequest(chosen.size());
    req.versions = new long[chosen.size()];
    for (int i = 0; i < chosen.size(); i++) {
      BackupReader.Record r = chosen.get(i);
      int len = r.value().length;
      boolean separate = values.separate(r.key().length, len, r.meta());
      if (!separate && len > o.maxValueSize() && (r.meta() & EntryMeta.DELETE) == 0) {
        separate = true; // too large for the tree here: this database's limits, not the source's
      }
      if (separate && len > values.maxSeparatedValue()) {
        throw new KvException("the value of " + Keys.describe(r.key()) + "@" + r.version()
            + " at offset " + r.offset() + " of the backup has " + len + " bytes, more than"
            + " this database's value log files hold (" + values.maxSeparatedValue()
            + " bytes with valueLogFileSize=" + o.valueLogFileSize() + ")");
      }
      req.keys[i] = r.key();
      req.values[i] = r.value();
      req.metas[i] = r.meta();
      req.userMetas[i] = r.userMeta();
      req.expiresAt[i] = r.expiresAt();
      req.separate[i] = separate;
      req.versions[i] = r.version();
    }
    return req;
  }

  private static long[] merge(long[] sorted, long[] more) {
    long[] m = Arrays.copyOf(sorted, sorted.length + more.length);
    System.arraycopy(more, 0, m, sorted.length, more.length);
    Arrays.sort(m);
    return m;
  }
}
