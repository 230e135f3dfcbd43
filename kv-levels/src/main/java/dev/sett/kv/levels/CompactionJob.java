package dev.sett.kv.levels;

import dev.sett.kv.internal.Keys;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.EntryMeta;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.spi.ValuePointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Executes one compaction: merges the input tables, drops what no reader can see any more and
 * writes the output tables, split into key ranges that run in parallel (Badger's sub-compactions).
 *
 * <p>What is dropped (Badger's rules, levels.go {@code subcompact}): for each key, versions above
 * the discard timestamp are all kept. Among the versions at or below it, newest first, the first
 * tombstone, expired entry, entry marked {@link EntryMeta#DISCARD_EARLIER_VERSIONS}, or the
 * {@code numVersionsToKeep}-th version (merge operands, {@link EntryMeta#MERGE}, are not counted
 * and do not end it) ends the key: every older version is dropped. That last
 * version itself is kept if it is live; a tombstone or expired entry is kept only when a level
 * below the output may still hold an older version of the key ({@code hasOverlap}), since
 * dropping it there would bring the older version back (Badger's #464, #2143).
 *
 * <p>Value log garbage: every dropped entry whose meta has {@link EntryMeta#VALUE_POINTER} adds
 * its pointer's record length to its value log file's count ({@link #discarded()}, Badger's
 * {@code discardStats} in {@code subcompact}). An entry leaves the tree once, when it is dropped,
 * so counting there is exact; the count reaches the shared {@link DiscardStats} only when the
 * compaction is installed, so a failed or cancelled job counts nothing. Entries that are kept,
 * shadowed or not, count nothing.
 *
 * <p>Level-0 output keeps its inputs' place: L0 is ordered by each table's max version, and a
 * flushed table's max version is its memtable's newest commit, which can be above every entry
 * in it (value log GC rewrites old versions at a new commit). The output is therefore marked with
 * the inputs' highest max version ({@link TableWriter#includeVersion}); ordered by its entries
 * alone it could fall below an older table and let that table's stale copy of a rewritten
 * version win.
 *
 * <p>Concurrency: each sub-compaction runs on its own thread over its own iterators and its own
 * count; they share only the immutable inputs. The counts are merged after every sub-compaction
 * ended. The job is not reused.
 */
final class CompactionJob {
  private static final System.Logger LOG = System.getLogger(CompactionJob.class.getName());
  private static final int CANCEL_CHECK_EVERY = 1024;

  private final LevelState state;
  private final List<TableHandle[]> sources; // newest first: L0 tables one by one, then levels
  private final List<TableHandle> bottom; // inputs at the output level, by key
  private final int outputLevel;
  private final long targetTableSize;
  private final long discardTs;
  private final long nowSeconds;
  private final int versionsToKeep;
  private final boolean hasOverlap;
  private final BooleanSupplier cancelled;
  /** The highest max version of the inputs: level-0 output is marked with it (class notes). */
  private final long inputsMaxVersion;
  /** Value log file id to bytes made garbage; complete once {@link #run} returned. */
  private final Map<Long, Long> discarded = new HashMap<>();

  CompactionJob(LevelState state, List<TableHandle[]> sources, List<TableHandle> bottom,
      int outputLevel, long targetTableSize, long discardTs, long nowSeconds, int versionsToKeep,
      boolean hasOverlap, BooleanSupplier cancelled) {
    this.state = state;
    this.sources = sources;
    this.bottom = bottom;
    this.outputLevel = outputLevel;
    this.targetTableSize = targetTableSize;
    this.discardTs = discardTs;
    this.nowSeconds = nowSeconds;
    this.versionsToKeep = versionsToKeep;
    this.hasOverlap = hasOverlap;
    this.cancelled = cancelled;
    long max = 0;
    for (TableHandle[] s : sources) {
      for (TableHandle t : s) {
        max = Math.max(max, t.maxVersion);
      }
    }
    this.inputsMaxVersion = max;
  }

  /**
   * Runs the job; on failure deletes every table it wrote.
   *
   * @param pool runs the sub-compactions; {@code null} to run them on this thread
   * @return the new tables, in key order (for L0 output: one table)
   */
  List<TableHandle> run(ExecutorService pool) throws IOException {
    byte[][] splits = splits();
    List<List<TableHandle>> parts = new ArrayList<>();
    List<Map<Long, Long>> counts = new ArrayList<>();
    for (int i = 0; i <= splits.length; i++) {
      counts.add(new HashMap<>());
    }
    if (splits.length == 0 || pool == null) {
      List<TableHandle> out = new ArrayList<>();
      try {
        for (int i = 0; i <= splits.length; i++) {
          out.addAll(subcompact(i == 0 ? null : splits[i - 1],
              i == splits.length ? null : splits[i], counts.get(i)));
        }
      } catch (IOException | RuntimeException e) {
        discard(out);
        throw e;
      }
      mergeCounts(counts);
      return out;
    }
    List<Future<List<TableHandle>>> futures = new ArrayList<>();
    for (int i = 0; i <= splits.length; i++) {
      byte[] lo = i == 0 ? null : splits[i - 1];
      byte[] hi = i == splits.length ? null : splits[i];
      Map<Long, Long> count = counts.get(i);
      futures.add(pool.submit(() -> subcompact(lo, hi, count)));
    }
    Throwable failure = null;
    for (Future<List<TableHandle>> f : futures) {
      try {
        parts.add(f.get());
      } catch (ExecutionException e) {
        failure = failure == null ? e.getCause() : failure;
      } catch (InterruptedException e) {
        // Keep waiting: a running sub-compaction still reads the inputs and writes tables.
        Thread.currentThread().interrupt();
        failure = failure == null ? e : failure;
        try {
          parts.add(uninterruptibly(f));
        } catch (ExecutionException ee) {
          // already failing
        }
      }
    }
    if (failure != null) {
      for (List<TableHandle> p : parts) {
        discard(p);
      }
      if (failure instanceof IOException io) {
        throw io;
      }
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error err) {
        throw err;
      }
      throw new IOException("compaction interrupted", failure);
    }
    List<TableHandle> out = new ArrayList<>();
    for (List<TableHandle> p : parts) {
      out.addAll(p);
    }
    mergeCounts(counts);
    return out;
  }

  /** Merges the sub-compactions' counts (each complete: its future returned). */
  private void mergeCounts(List<Map<Long, Long>> counts) {
    for (Map<Long, Long> c : counts) {
      c.forEach((id, bytes) -> discarded.merge(id, bytes, Long::sum));
    }
  }

  /**
   * The value log bytes this job made garbage, by value log file id: the record lengths of the
   * pointers of the entries it dropped. Complete once {@link #run} returned; add it to the
   * {@link DiscardStats} only when the job's result is installed.
   *
   * @return file id to bytes, empty if no dropped entry pointed into the value log
   */
  Map<Long, Long> discarded() {
    return discarded;
  }

  /** Counts a dropped entry's value log record, if it has one, as garbage of its file. */
  private static void countDropped(StoredValue v, Map<Long, Long> count) {
    if ((v.meta() & EntryMeta.VALUE_POINTER) == 0) {
      return;
    }
    try {
      ValuePointer p = ValuePointer.decode(v.value());
      count.merge(p.fileId(), (long) p.recordLength(), Long::sum);
    } catch (IllegalArgumentException e) {
      // The bytes passed the table's checksum: a bug or a forged entry. The entry is dropped
      // anyway and the count is only a hint for value log GC, so say it and go on.
      LOG.log(System.Logger.Level.WARNING, "dropped entry version {0} holds a bad value pointer"
          + " ({1}); its value log bytes are not counted as garbage", v.version(),
          e.getMessage());
    }
  }

  private static <T> T uninterruptibly(Future<T> f) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Split keys at the largest key of every width-th bottom table, width = max(3, ceil(n / 5)),
   * as Badger: at most about five ranges, each ending at a user-key boundary. None when the
   * output is L0 (one table).
   */
  private byte[][] splits() {
    if (outputLevel == 0 || bottom.size() < 2) {
      return new byte[0][];
    }
    int width = Math.max(3, (bottom.size() + 4) / 5);
    List<byte[]> keys = new ArrayList<>();
    for (int i = width - 1; i < bottom.size() - 1; i += width) {
      keys.add(bottom.get(i).largest);
    }
    return keys.toArray(new byte[0][]);
  }

  private EntryIterator merged() {
    EntryIterator[] its = new EntryIterator[sources.size()];
    for (int i = 0; i < its.length; i++) {
      TableHandle[] s = sources.get(i);
      its[i] = s.length == 1 ? s[0].table.iterator(false) : new ConcatIterator(s, false);
    }
    return new MergingIterator(its);
  }

  /**
   * Compacts the keys in {@code (lo, hi]} ({@code null} bounds are open), adding the value log
   * records of the entries it drops to {@code count}.
   */
  private List<TableHandle> subcompact(byte[] lo, byte[] hi, Map<Long, Long> count)
      throws IOException {
    List<TableHandle> out = new ArrayList<>();
    TableWriter writer = null;
    try (EntryIterator it = merged()) {
      if (lo == null) {
        it.seekToFirst();
      } else {
        it.seek(lo, 0); // (lo, 0) sorts after every version of lo
      }
      byte[] lastKey = null;
      int versions = 0;
      boolean skipRest = false;
      long n = 0;
      for (; it.valid(); it.next()) {
        if ((++n % CANCEL_CHECK_EVERY) == 0 && cancelled.getAsBoolean()) {
          throw new CancellationException("the database is closing");
        }
        byte[] key = it.key();
        boolean newKey = lastKey == null || !Arrays.equals(key, lastKey);
        if (newKey) {
          if (hi != null && Keys.compare(key, hi) > 0) {
            break;
          }
          lastKey = key;
          versions = 0;
          skipRest = false;
          if (writer != null && writer.estimatedSize() >= targetTableSize) {
            out.add(writer.finish());
            writer = null;
          }
        }
        if (skipRest) {
          countDropped(it.value(), count); // older than the key's last kept version
          continue;
        }
        long version = it.version();
        StoredValue v = it.value();
        if (version <= discardTs && EntryMeta.countsAsVersion(v.meta())) {
          versions++;
          boolean gone = EntryMeta.isDeletedOrExpired(v.meta(), v.expiresAt(), nowSeconds);
          boolean lastValid = (v.meta() & EntryMeta.DISCARD_EARLIER_VERSIONS) != 0
              || versions >= versionsToKeep;
          if (gone || lastValid) {
            skipRest = true;
            if (gone && !hasOverlap) {
              countDropped(v, count); // a tombstone (no pointer) or an expired entry
              continue;
            }
          }
        }
        if (writer == null) {
          writer = new TableWriter(state, state.newFileId());
          if (outputLevel == 0) {
            writer.includeVersion(inputsMaxVersion);
          }
        }
        writer.add(key, v);
      }
      if (writer != null) {
        if (writer.entryCount() > 0) {
          out.add(writer.finish());
        } else {
          writer.abandon();
        }
        writer = null;
      }
      return out;
    } catch (IOException | RuntimeException | Error e) {
      if (writer != null) {
        writer.abandon();
      }
      discard(out);
      throw e;
    }
  }

  /** Deletes tables written by a failed job (the MANIFEST never listed them). */
  private static void discard(List<TableHandle> written) {
    written.forEach(TableHandle::discard);
    written.clear();
  }
}
