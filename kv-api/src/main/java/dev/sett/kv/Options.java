package dev.sett.kv;

import dev.sett.kv.io.Storage;
import dev.sett.kv.spi.BlockCacheFactory;
import dev.sett.kv.spi.CompactionStrategyProvider;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;
import dev.sett.kv.spi.TableFormat;
import dev.sett.kv.spi.ValueLogFormat;
import dev.sett.kv.spi.ValueSeparationPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The immutable settings of a database, made by {@link #builder(Path)} or {@link #inMemory()}.
 * Option names are Badger's in lowerCamelCase, sizes in bytes; defaults are Badger's {@code
 * DefaultOptions}. Each setter checks its argument at once and {@link Builder#build()} checks the
 * rules between options; both throw {@link IllegalArgumentException} naming the option, the value
 * and the allowed range. Options own no resources.
 *
 * <p>Test seams are ordinary options: {@link Builder#storage(Storage)}, {@link
 * Builder#clock(InstantSource)} and provider instances such as {@link
 * Builder#memTableFactory(MemTableFactory)}.
 */
public final class Options {

  /** Default {@link #memTableSize()}: 64 MiB, as Badger. */
  public static final long DEFAULT_MEM_TABLE_SIZE = 64L << 20;
  /** Smallest {@link #memTableSize()}: 64 KiB (tests use small memtables). */
  public static final long MIN_MEM_TABLE_SIZE = 64L << 10;
  /** Largest {@link #memTableSize()}: 1 GiB (an arena is addressed by int offsets). */
  public static final long MAX_MEM_TABLE_SIZE = 1L << 30;
  /**
   * Most memtables the memory budget gives a database when {@link Builder#numMemtables} is not
   * set: 5, Badger's fixed default (see {@link #numMemtables()}).
   */
  public static final int DEFAULT_NUM_MEMTABLES = 5;
  /**
   * Default {@link #memoryBudget()}: 512 MiB. With the default memtable size that is three
   * memtables (227 MiB), a 214 MiB block cache and a 71 MiB index cache, so a default database
   * sits comfortably in a 2 GiB heap beside the application. (Badger's fixed defaults came to 773
   * MiB at most: six 75 MiB arenas with the spare, and 320 MiB of caches. Two memtables let a
   * write wait 300 ms for a flush in sequential loads, and smaller caches cost reads more than they
   * saved in resident memory, which the Java heap's own sizing dominates: see {@code
   * docs/BENCHMARKS.md}.)
   */
  public static final long DEFAULT_MEMORY_BUDGET = 512L << 20;
  /** Largest key in bytes, as Badger. */
  public static final int MAX_KEY_SIZE = 65_000;
  /** Default {@link #blockSize()}: 4 KiB, as Badger. */
  public static final int DEFAULT_BLOCK_SIZE = 4096;
  /**
   * Badger's block cache size, 256 MiB: no longer Sett's default, which comes from the {@link
   * #memoryBudget()}; kept for users who want Badger's sizing ({@code blockCacheSize(
   * DEFAULT_BLOCK_CACHE_SIZE)}).
   */
  public static final long DEFAULT_BLOCK_CACHE_SIZE = 256L << 20;
  /**
   * 64 MiB, the index cache size before the memory budget; kept as a named value like {@link
   * #DEFAULT_BLOCK_CACHE_SIZE}.
   */
  public static final long DEFAULT_INDEX_CACHE_SIZE = 64L << 20;
  /** Default {@link #bloomFalsePositive()}: 1%, as Badger. */
  public static final double DEFAULT_BLOOM_FALSE_POSITIVE = 0.01;
  /** Default {@link #baseTableSize()}: 2 MiB, as Badger. */
  public static final long DEFAULT_BASE_TABLE_SIZE = 2L << 20;
  /** Default {@link #baseLevelSize()}: 10 MiB, as Badger. */
  public static final long DEFAULT_BASE_LEVEL_SIZE = 10L << 20;
  /** Default {@link #maxLevels()}: 7 (L0 to L6), as Badger. */
  public static final int DEFAULT_MAX_LEVELS = 7;
  /** Default {@link #numCompactors()}: 4, as Badger. */
  public static final int DEFAULT_NUM_COMPACTORS = 4;
  /** Default {@link #maxOpenFiles()}: 500 table files open at once. */
  public static final int DEFAULT_MAX_OPEN_FILES = 500;
  /**
   * Default {@link #valueThreshold()}: 1 KiB, chosen from the sweeps in docs/BENCHMARKS.md
   * (values of 1 KiB and more go to the value log; Badger's default is 1 MiB).
   */
  public static final long DEFAULT_VALUE_THRESHOLD = 1L << 10;
  /** Default {@link #maxValueThreshold()}: 1 MiB, Badger's {@code maxValueThreshold}. */
  public static final long DEFAULT_MAX_VALUE_THRESHOLD = 1L << 20;
  /**
   * Largest {@link #valueThreshold()} and {@link #maxValueThreshold()}: {@value}, the largest
   * value length; a threshold this high separates nothing.
   */
  public static final long MAX_VALUE_THRESHOLD_LIMIT = Integer.MAX_VALUE;
  /** Default {@link #vlogPercentile()}: 0, off, as Badger. */
  public static final double DEFAULT_VLOG_PERCENTILE = 0.0;
  /** Default {@link #valueLogFileSize()}: 1 GiB - 1, as Badger. */
  public static final long DEFAULT_VALUE_LOG_FILE_SIZE = (1L << 30) - 1;
  /** Smallest {@link #valueLogFileSize()}: 1 MiB, as Badger. */
  public static final long MIN_VALUE_LOG_FILE_SIZE = 1L << 20;
  /**
   * Largest {@link #valueLogFileSize()}: 2 GiB - 1, as Badger (value pointers hold 32-bit
   * offsets).
   */
  public static final long MAX_VALUE_LOG_FILE_SIZE = (1L << 31) - 1;
  /** Default {@link #bytesPerSync()}: 8 MiB. */
  public static final long DEFAULT_BYTES_PER_SYNC = 8L << 20;
  /** Default {@link #valueLogMaxEntries()}: 1,000,000, as Badger. */
  public static final int DEFAULT_VALUE_LOG_MAX_ENTRIES = 1_000_000;
  /**
   * Default {@link #valueLogGcInterval()}: 10 seconds (a round that finds nothing to do costs a
   * few thousand reads of the tree; one that finds work is followed at once by the next).
   */
  public static final Duration DEFAULT_VALUE_LOG_GC_INTERVAL = Duration.ofSeconds(10);
  /** Default {@link #valueLogGcDiscardRatio()}: 0.5, Badger's recommendation. */
  public static final double DEFAULT_VALUE_LOG_GC_DISCARD_RATIO = 0.5;

  /** The name of the learning value separation policy, chosen by {@link #vlogPercentile()}. */
  private static final String PERCENTILE_POLICY = "percentile";

  private final Path dir;
  private final boolean inMemory;
  private final Storage storage;
  private final boolean syncWrites;
  private final long memTableSize;
  private final int numMemtables;
  private final boolean detectConflicts;
  private final boolean managedTxns;
  private final boolean readOnly;
  private final int namespaceOffset;
  private final InstantSource clock;
  private final String memTable;
  private final MemTableFactory memTableFactory;
  private final int blockSize;
  private final long blockCacheSize;
  private final long indexCacheSize;
  private final long memoryBudget;
  /** What the builder was given (0 or -1: not set), so {@link #toBuilder()} derives again. */
  private final int numMemtablesSet;
  private final long blockCacheSizeSet;
  private final long indexCacheSizeSet;
  private final long memoryBudgetSet;
  private final MemoryBudget sharedMemoryBudget;
  private final double bloomFalsePositive;
  private final Compression compression;
  private final long baseTableSize;
  private final long baseLevelSize;
  private final int levelSizeMultiplier;
  private final int tableSizeMultiplier;
  private final int maxLevels;
  private final int numLevelZeroTables;
  private final int numLevelZeroTablesStall;
  private final int numCompactors;
  private final boolean compactL0OnClose;
  private final int numVersionsToKeep;
  private final int maxOpenFiles;
  private final String tableFormat;
  private final TableFormat tableFormatProvider;
  private final String blockCache;
  private final BlockCacheFactory blockCacheFactory;
  private final String compactionStrategy;
  private final CompactionStrategyProvider compactionStrategyProvider;
  private final long valueThreshold;
  private final long maxValueThreshold;
  private final double vlogPercentile;
  private final long valueLogFileSize;
  private final int valueLogMaxEntries;
  private final long bytesPerSync;
  private final Duration valueLogGcInterval;
  private final double valueLogGcDiscardRatio;
  private final String valueSeparationPolicy;
  private final ValueSeparationPolicy valueSeparationPolicyProvider;
  private final String valueLogFormat;
  private final ValueLogFormat valueLogFormatProvider;

  private Options(Builder b) {
    this.dir = b.dir;
    this.inMemory = b.inMemory;
    this.storage = b.storage;
    this.syncWrites = b.syncWrites;
    this.memTableSize = b.memTableSize;
    MemoryParts parts = b.sharedMemoryBudget != null
        ? MemoryParts.shared(b.numMemtables, b.sharedMemoryBudget)
        : MemoryParts.of(b.memTableSize, b.numMemtables, b.blockCacheSize, b.indexCacheSize,
            b.memoryBudget);
    this.sharedMemoryBudget = b.sharedMemoryBudget;
    this.numMemtables = parts.numMemtables;
    this.numMemtablesSet = b.numMemtables;
    this.blockCacheSizeSet = b.blockCacheSize;
    this.indexCacheSizeSet = b.indexCacheSize;
    this.memoryBudgetSet = b.memoryBudget;
    this.memoryBudget = parts.budget;
    this.detectConflicts = b.detectConflicts;
    this.managedTxns = b.managedTxns;
    this.readOnly = b.readOnly;
    this.namespaceOffset = b.namespaceOffset;
    this.clock = b.clock;
    this.memTable = b.memTable;
    this.memTableFactory = b.memTableFactory;
    this.blockSize = b.blockSize;
    this.blockCacheSize = parts.blockCache;
    this.indexCacheSize = parts.indexCache;
    this.bloomFalsePositive = b.bloomFalsePositive;
    this.compression = b.compression;
    this.baseTableSize = b.baseTableSize;
    this.baseLevelSize = b.baseLevelSize;
    this.levelSizeMultiplier = b.levelSizeMultiplier;
    this.tableSizeMultiplier = b.tableSizeMultiplier;
    this.maxLevels = b.maxLevels;
    this.numLevelZeroTables = b.numLevelZeroTables;
    this.numLevelZeroTablesStall = b.numLevelZeroTablesStall;
    this.numCompactors = b.numCompactors;
    this.compactL0OnClose = b.compactL0OnClose;
    this.numVersionsToKeep = b.numVersionsToKeep;
    this.maxOpenFiles = b.maxOpenFiles;
    this.tableFormat = b.tableFormat;
    this.tableFormatProvider = b.tableFormatProvider;
    this.blockCache = b.blockCache;
    this.blockCacheFactory = b.blockCacheFactory;
    this.compactionStrategy = b.compactionStrategy;
    this.compactionStrategyProvider = b.compactionStrategyProvider;
    this.valueThreshold = b.valueThreshold;
    this.maxValueThreshold = b.maxValueThreshold;
    this.vlogPercentile = b.vlogPercentile;
    this.valueLogFileSize = b.valueLogFileSize;
    this.valueLogMaxEntries = b.valueLogMaxEntries;
    this.bytesPerSync = b.bytesPerSync;
    this.valueLogGcInterval = b.valueLogGcInterval;
    this.valueLogGcDiscardRatio = b.valueLogGcDiscardRatio;
    // As Badger: setting VLogPercentile alone turns the dynamic threshold on.
    this.valueSeparationPolicy = b.valueSeparationPolicy == null
        && b.valueSeparationPolicyProvider == null && b.vlogPercentile > 0
        ? PERCENTILE_POLICY : b.valueSeparationPolicy;
    this.valueSeparationPolicyProvider = b.valueSeparationPolicyProvider;
    this.valueLogFormat = b.valueLogFormat;
    this.valueLogFormatProvider = b.valueLogFormatProvider;
  }

  /**
   * Starts options for a database stored in {@code dir}.
   *
   * @param dir the database directory; created on open if absent
   * @return a builder with the defaults
   */
  public static Builder builder(Path dir) {
    Objects.requireNonNull(dir, "dir");
    Builder b = new Builder();
    b.dir = dir;
    return b;
  }

  /**
   * Starts options for a database held only in memory: nothing is written to disk and everything
   * is lost at close. {@link #syncWrites()} is always off.
   *
   * @return a builder with the defaults
   */
  public static Builder inMemory() {
    Builder b = new Builder();
    b.inMemory = true;
    return b;
  }

  /**
   * The database directory.
   *
   * @return the directory, {@code null} for an in-memory database
   */
  public Path dir() {
    return dir;
  }

  /**
   * Whether the database lives only in memory.
   *
   * @return {@code true} for {@link #inMemory()} options
   */
  public boolean isInMemory() {
    return inMemory;
  }

  /**
   * The storage the engine uses instead of the default one.
   *
   * @return the injected storage, or {@code null} for the default (NIO on {@link #dir()}, or
   *     memory)
   */
  public Storage storage() {
    return storage;
  }

  /**
   * Whether a commit waits for its data to be fsynced. Off (Badger's default): a commit survives a
   * process crash but a power loss may lose the latest commits (a prefix survives).
   *
   * @return {@code true} when every commit is synced
   */
  public boolean syncWrites() {
    return syncWrites;
  }

  /**
   * The size at which the mutable memtable is full and replaced by a fresh one. Also the size of
   * one WAL file.
   *
   * @return bytes, default {@value #DEFAULT_MEM_TABLE_SIZE}
   */
  public long memTableSize() {
    return memTableSize;
  }

  /**
   * How many memtables may be held in memory, the mutable one included. When that many are full,
   * writers wait for a flush. Unless set, the {@link #memoryBudget()} decides: as many memtables
   * of {@link #memTableArenaBytes()} as fit in half of it, at least 2 and at most {@value
   * #DEFAULT_NUM_MEMTABLES}.
   *
   * @return the count; 3 with the default budget and memtable size
   */
  public int numMemtables() {
    return numMemtables;
  }

  /**
   * Whether read-write transactions detect conflicts (serializable snapshot isolation). Off, they
   * run under plain snapshot isolation and never throw {@link ConflictException}.
   *
   * @return {@code true} by default
   */
  public boolean detectConflicts() {
    return detectConflicts;
  }

  /**
   * Managed mode (Badger's {@code managedTxns}): the application chooses every timestamp. Read
   * timestamps are given to {@link Db#newTransactionAt}, commit timestamps to {@link
   * Txn#commitAt} and {@link Db#newWriteBatchAt}, and old versions become collectable only below
   * {@link Db#setDiscardTs}. The calls of the other mode ({@code newTransaction}, {@code update},
   * {@code newWriteBatch}, {@code getSequence}) fail with {@link IllegalStateException}, and those
   * of this mode fail without it. Use it when the timestamps come from elsewhere: a distributed
   * transaction manager, or a replica applying its leader's versions.
   *
   * @return {@code false} by default
   */
  public boolean managedTxns() {
    return managedTxns;
  }

  /**
   * Read-only mode (Badger's {@code ReadOnly}): no file of the directory is created, changed or
   * deleted. The directory is locked shared, so several read-only opens, in this process or
   * others, may read it at once while no read-write open holds it (and a read-write open waits
   * for none: it fails with {@link DirectoryLockedException} while any holds it). WALs a crash
   * left are replayed into memory only; nothing compacts, flushes or collects. Every call that
   * writes ({@code update}, {@code newTransaction(true)} commits, write batches, sequences,
   * drops, {@code load}, {@code banNamespace}, {@code flatten}, {@code runValueLogGc}) fails with
   * {@link IllegalStateException}. Not for in-memory databases.
   *
   * @return {@code false} by default
   */
  public boolean readOnly() {
    return readOnly;
  }

  /**
   * Where in a key its namespace sits (Badger's {@code NamespaceOffset}): the 8 bytes from this
   * offset, big-endian, for {@link Db#banNamespace}. -1 (the default) turns namespaces off.
   *
   * @return the offset, or -1
   */
  public int namespaceOffset() {
    return namespaceOffset;
  }

  /**
   * The clock used for TTLs.
   *
   * @return the clock, the system clock by default
   */
  public InstantSource clock() {
    return clock;
  }

  /**
   * The name of the memtable provider to use.
   *
   * @return the name, or {@code null} for the registry's default ({@code skiplist})
   */
  public String memTable() {
    return memTable;
  }

  /**
   * A memtable provider instance that bypasses the registry.
   *
   * @return the instance, or {@code null}
   */
  public MemTableFactory memTableFactory() {
    return memTableFactory;
  }

  /**
   * The target uncompressed size of a table block.
   *
   * @return bytes, default {@value #DEFAULT_BLOCK_SIZE}
   */
  public int blockSize() {
    return blockSize;
  }

  /**
   * The budget of the cache of decompressed table blocks; 0 caches nothing. Unless set, three
   * quarters of what the {@link #memoryBudget()} leaves after the memtables.
   *
   * @return bytes; about 214 MiB with the default budget and memtable size
   */
  public long blockCacheSize() {
    return blockCacheSize;
  }

  /**
   * The budget of the cache of table indexes and bloom filters, separate from the block cache, so
   * memory stays bounded however many tables exist. Badger keeps every index in memory; we bound
   * it. 0 caches nothing (every lookup reads the index from the file). Unless set, a quarter of
   * what the {@link #memoryBudget()} leaves after the memtables.
   *
   * @return bytes; about 71 MiB with the default budget and memtable size
   */
  public long indexCacheSize() {
    return indexCacheSize;
  }

  /**
   * The memory the database's memtables and caches draw from: {@link #numMemtables()} memtables
   * of {@link #memTableArenaBytes()} each, the {@link #blockCacheSize()} and the {@link
   * #indexCacheSize()} together never exceed it. Parts not set explicitly are derived from it:
   * half for memtables (at least 2), the rest three quarters block cache and one quarter index
   * cache. Parts set explicitly must fit in a budget set explicitly ({@link Builder#build()}
   * fails otherwise); without an explicit budget, the budget grows to hold them. {@link
   * Db#stats()} reports what each part holds ({@link DbStats#memoryBytes()}).
   *
   * <p>Many databases in one process can share one budget instead ({@link
   * Builder#memoryBudget(MemoryBudget)}, see {@link MemoryBudget}): then this is the shared
   * budget's size, and its memtables and caches are shared as that class describes.
   *
   * <p>The process needs more than this: the JVM itself, and the Java heap's headroom for garbage
   * (see {@code docs/BENCHMARKS.md} for how resident memory compares).
   *
   * @return bytes, default {@value #DEFAULT_MEMORY_BUDGET} or the sum of explicit parts if more;
   *     the shared budget's {@link MemoryBudget#bytes()} when one is shared
   */
  public long memoryBudget() {
    return memoryBudget;
  }

  /**
   * The memory one memtable takes: {@link #memTableSize()}, room for one more commit of {@link
   * #maxBatchSize()} (a commit that starts below the size limit is never split) and 1 MiB of
   * slack. The default memtable keeps this in one off-heap arena, allocated whole.
   *
   * @return bytes
   */
  public long memTableArenaBytes() {
    return memTableArenaBytes(memTableSize);
  }

  private static long memTableArenaBytes(long memTableSize) {
    return memTableSize + memTableSize * 15 / 100 + (1L << 20);
  }

  /** The memory budget split into its parts (see {@link #memoryBudget()}). */
  private static final class MemoryParts {
    final int numMemtables;
    final long blockCache;
    final long indexCache;
    final long budget;

    private MemoryParts(int numMemtables, long blockCache, long indexCache, long budget) {
      this.numMemtables = numMemtables;
      this.blockCache = blockCache;
      this.indexCache = indexCache;
      this.budget = budget;
    }

    /** Arguments not set are 0 (counts, budget) or -1 (cache sizes). */
    static MemoryParts of(long memTableSize, int numMemtables, long blockCache,
        long indexCache, long budgetSet) {
      long arena = memTableArenaBytes(memTableSize);
      long budget = budgetSet > 0 ? budgetSet : DEFAULT_MEMORY_BUDGET;
      int n = numMemtables > 0 ? numMemtables
          : (int) Math.max(2, Math.min(DEFAULT_NUM_MEMTABLES, budget / 2 / arena));
      long rest = Math.max(0, budget - n * arena);
      long block = blockCache >= 0 ? blockCache
          : indexCache >= 0 ? Math.max(0, rest - indexCache) : rest / 4 * 3;
      long index = indexCache >= 0 ? indexCache : Math.max(0, rest - block);
      long total = n * arena + block + index;
      if (budgetSet > 0 && total > budgetSet) {
        throw new IllegalArgumentException("memoryBudget " + budgetSet + " is too small for "
            + n + " memtable(s) of " + arena + " bytes (memTableSize " + memTableSize
            + " plus room for one commit) + blockCacheSize " + block + " + indexCacheSize "
            + index + " = " + total + " bytes: raise memoryBudget or lower the parts");
      }
      return new MemoryParts(n, block, index, Math.max(budget, total));
    }

    /** The parts of a database on a shared budget: the caches are the budget's. */
    static MemoryParts shared(int numMemtables, MemoryBudget shared) {
      int n = numMemtables > 0 ? numMemtables : DEFAULT_NUM_MEMTABLES;
      return new MemoryParts(n, shared.blockCacheBytes(), shared.indexCacheBytes(),
          shared.bytes());
    }
  }

  /**
   * The budget this database shares with others, if it was given one with {@link
   * Builder#memoryBudget(MemoryBudget)}: then its memtables draw from that budget's pool and it
   * uses that budget's caches, and {@link #memoryBudget()}, {@link #blockCacheSize()} and {@link
   * #indexCacheSize()} are the shared budget's numbers.
   *
   * @return the shared budget, or {@code null} (default) for a budget of the database's own
   */
  public MemoryBudget sharedMemoryBudget() {
    return sharedMemoryBudget;
  }

  /**
   * The target false-positive rate of each table's bloom filter; 0 writes no bloom filter.
   *
   * @return the rate, default {@value #DEFAULT_BLOOM_FALSE_POSITIVE}
   */
  public double bloomFalsePositive() {
    return bloomFalsePositive;
  }

  /**
   * How blocks of new tables are compressed.
   *
   * @return the compression, {@link Compression#LZ4} by default
   */
  public Compression compression() {
    return compression;
  }

  /**
   * The target size of a table at the base level and above; each level below the base multiplies
   * it by {@link #tableSizeMultiplier()}. (L0 tables are as large as a memtable.)
   *
   * @return bytes, default {@value #DEFAULT_BASE_TABLE_SIZE}
   */
  public long baseTableSize() {
    return baseTableSize;
  }

  /**
   * The smallest target size of a level: the level L0 compacts into (the base level) is the
   * deepest whose target is at most this.
   *
   * @return bytes, default {@value #DEFAULT_BASE_LEVEL_SIZE}
   */
  public long baseLevelSize() {
    return baseLevelSize;
  }

  /**
   * The ratio between the target sizes of adjacent levels.
   *
   * @return the ratio, default 10
   */
  public int levelSizeMultiplier() {
    return levelSizeMultiplier;
  }

  /**
   * The ratio between the table sizes of adjacent levels below the base level.
   *
   * @return the ratio, default 2
   */
  public int tableSizeMultiplier() {
    return tableSizeMultiplier;
  }

  /**
   * The number of levels, L0 included.
   *
   * @return the count, default {@value #DEFAULT_MAX_LEVELS}
   */
  public int maxLevels() {
    return maxLevels;
  }

  /**
   * The number of L0 tables at which L0 is compacted (its score reaches 1).
   *
   * @return the count, default 5
   */
  public int numLevelZeroTables() {
    return numLevelZeroTables;
  }

  /**
   * The number of L0 tables at which flushing stops until compaction catches up; writes slow down
   * gradually on the way there and stop when every memtable is full.
   *
   * @return the count, default 15
   */
  public int numLevelZeroTablesStall() {
    return numLevelZeroTablesStall;
  }

  /**
   * The number of compaction threads; 0 turns compaction off (tables pile up in L0 until
   * flushing stalls).
   *
   * @return the count, default {@value #DEFAULT_NUM_COMPACTORS}
   */
  public int numCompactors() {
    return numCompactors;
  }

  /**
   * Whether {@link Db#close()} compacts L0 into the levels below once after flushing.
   *
   * @return {@code false} by default
   */
  public boolean compactL0OnClose() {
    return compactL0OnClose;
  }

  /**
   * How many versions of a key compaction keeps at or below the oldest read timestamp in use.
   *
   * @return the count, default 1
   */
  public int numVersionsToKeep() {
    return numVersionsToKeep;
  }

  /**
   * How many table files may be open at once; the least recently read idle ones are closed and
   * reopened on demand.
   *
   * @return the count, default {@value #DEFAULT_MAX_OPEN_FILES}
   */
  public int maxOpenFiles() {
    return maxOpenFiles;
  }

  /**
   * The name of the table format for new tables.
   *
   * @return the name, or {@code null} for the registry's default ({@code sst-v1})
   */
  public String tableFormat() {
    return tableFormat;
  }

  /**
   * A table format instance that bypasses the registry.
   *
   * @return the instance, or {@code null}
   */
  public TableFormat tableFormatProvider() {
    return tableFormatProvider;
  }

  /**
   * The name of the block cache provider.
   *
   * @return the name, or {@code null} for the registry's default ({@code caffeine})
   */
  public String blockCache() {
    return blockCache;
  }

  /**
   * A block cache provider instance that bypasses the registry.
   *
   * @return the instance, or {@code null}
   */
  public BlockCacheFactory blockCacheFactory() {
    return blockCacheFactory;
  }

  /**
   * The name of the compaction strategy.
   *
   * @return the name, or {@code null} for the registry's default ({@code leveled})
   */
  public String compactionStrategy() {
    return compactionStrategy;
  }

  /**
   * A compaction strategy provider instance that bypasses the registry.
   *
   * @return the instance, or {@code null}
   */
  public CompactionStrategyProvider compactionStrategyProvider() {
    return compactionStrategyProvider;
  }

  /**
   * The size from which a value is stored in the value log, with a pointer in the tree, rather
   * than in the tree itself: values at least this long are separated (Badger's ValueThreshold).
   * With the {@code percentile} policy it is the lower bound of the learned threshold. The
   * decision is recorded with each entry, so changing this option (or the threshold moving) never
   * affects entries already written. The default, 1 KiB, comes from Sett's threshold sweeps
   * (docs/BENCHMARKS.md): from 1 KiB up, values in the value log loaded 1.3x to 3x faster, read
   * back 2x to 4x faster and took a third of the memory of values in the tree, while smaller
   * values gain little from leaving it (a 16-byte pointer and a second read). Badger's default is
   * 1 MiB. A value kept in the tree is limited by {@link #maxValueSize()}; a separated one only by
   * the value log's file size.
   *
   * @return bytes, default {@value #DEFAULT_VALUE_THRESHOLD}; at most {@link #maxValueThreshold()}
   */
  public long valueThreshold() {
    return valueThreshold;
  }

  /**
   * The upper bound of the threshold the {@code percentile} policy learns; also the largest
   * {@link #valueThreshold()} allowed (as Badger, whose bound is 1 MiB).
   *
   * @return bytes, default {@value #DEFAULT_MAX_VALUE_THRESHOLD}
   */
  public long maxValueThreshold() {
    return maxValueThreshold;
  }

  /**
   * Badger's VLogPercentile: when above 0, the value threshold follows this percentile of the
   * sizes of recently written values, clamped to [{@link #valueThreshold()}, {@link
   * #maxValueThreshold()}] (the {@code percentile} policy). 0.9 keeps roughly the smallest 90% of
   * values in the tree. Setting it above 0 without naming a policy selects {@code percentile}, as
   * in Badger where the option alone turns the dynamic threshold on.
   *
   * @return the percentile in [0, 1], default {@value #DEFAULT_VLOG_PERCENTILE} (off)
   */
  public double vlogPercentile() {
    return vlogPercentile;
  }

  /**
   * The size at which the value log moves on to a new file.
   *
   * @return bytes, default {@value #DEFAULT_VALUE_LOG_FILE_SIZE}
   */
  public long valueLogFileSize() {
    return valueLogFileSize;
  }

  /**
   * The number of entries at which the value log moves on to a new file.
   *
   * @return the count, default {@value #DEFAULT_VALUE_LOG_MAX_ENTRIES}
   */
  public int valueLogMaxEntries() {
    return valueLogMaxEntries;
  }

  /**
   * Bytes written to the WAL, or to a value log file, between background fsyncs of it, when
   * writes are not synced one by one ({@code syncWrites} off); 0 turns them off. They make data
   * durable sooner than it must be, never later, so that the fsync that must come when the file
   * is sealed (at every memtable rotation, and when the value log moves to a new file) finds little
   * dirty data left and commits do not wait behind it (RocksDB's {@code bytes_per_sync} and {@code
   * wal_bytes_per_sync}).
   *
   * @return bytes, default {@value #DEFAULT_BYTES_PER_SYNC}
   */
  public long bytesPerSync() {
    return bytesPerSync;
  }

  /**
   * How often value log garbage collection runs by itself, unlike Badger where the application
   * must call it: each round rewrites the live values of the files whose known garbage is at
   * least {@link #valueLogGcDiscardRatio()} of their size (several files per round) and deletes
   * them. {@link Duration#ZERO} turns the background rounds off; {@link Db#runValueLogGc} works
   * either way.
   *
   * @return the interval, default 10 seconds; zero for off
   */
  public Duration valueLogGcInterval() {
    return valueLogGcInterval;
  }

  /**
   * The share of a value log file that must be known garbage before the background rounds
   * rewrite it. Lower reclaims space sooner and rewrites more live values: with 0.5 every value
   * is rewritten about once over its life (Badger's estimate).
   *
   * @return the ratio in (0, 1), default {@value #DEFAULT_VALUE_LOG_GC_DISCARD_RATIO}
   */
  public double valueLogGcDiscardRatio() {
    return valueLogGcDiscardRatio;
  }

  /**
   * The name of the value separation policy.
   *
   * @return the name, or {@code null} for the registry's default ({@code threshold}); {@code
   *     percentile} when {@link #vlogPercentile()} was set above 0 and no policy was named
   */
  public String valueSeparationPolicy() {
    return valueSeparationPolicy;
  }

  /**
   * A value separation policy instance that bypasses the registry.
   *
   * @return the instance, or {@code null}
   */
  public ValueSeparationPolicy valueSeparationPolicyProvider() {
    return valueSeparationPolicyProvider;
  }

  /**
   * The name of the value log format for new value log files.
   *
   * @return the name, or {@code null} for the registry's default ({@code vlog-v1})
   */
  public String valueLogFormat() {
    return valueLogFormat;
  }

  /**
   * A value log format instance that bypasses the registry.
   *
   * @return the instance, or {@code null}
   */
  public ValueLogFormat valueLogFormatProvider() {
    return valueLogFormatProvider;
  }

  /**
   * The most bytes one commit may carry (15% of {@link #memTableSize()}, as Badger), counting each
   * entry as key + value + {@link MemTable#MAX_ENTRY_OVERHEAD}.
   *
   * @return bytes
   */
  public long maxBatchSize() {
    return memTableSize * 15 / 100; // memTableArenaBytes counts on this share
  }

  /**
   * The most entries one commit may carry.
   *
   * @return {@link #maxBatchSize()} / {@link MemTable#MAX_ENTRY_OVERHEAD}
   */
  public long maxBatchCount() {
    return maxBatchSize() / MemTable.MAX_ENTRY_OVERHEAD;
  }

  /**
   * The largest value kept in the LSM tree itself: what fits in one commit next to a one-byte key.
   * A value the separation policy sends to the value log ({@link #valueThreshold()}) is not bound
   * by it: the tree holds a 16-byte pointer, and the value only has to fit in a value log file of
   * {@link #valueLogFileSize()}. (A large key and a large value together may still exceed {@link
   * #maxBatchSize()}: that is a {@link TxnTooBigException}.)
   *
   * @return bytes
   */
  public long maxValueSize() {
    return maxBatchSize() - 1 - MemTable.MAX_ENTRY_OVERHEAD;
  }

  /**
   * Returns a builder holding these options.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.dir = dir;
    b.inMemory = inMemory;
    b.storage = storage;
    b.syncWrites = syncWrites;
    b.memTableSize = memTableSize;
    b.numMemtables = numMemtablesSet;
    b.memoryBudget = memoryBudgetSet;
    b.sharedMemoryBudget = sharedMemoryBudget;
    b.detectConflicts = detectConflicts;
    b.managedTxns = managedTxns;
    b.readOnly = readOnly;
    b.namespaceOffset = namespaceOffset;
    b.clock = clock;
    b.memTable = memTable;
    b.memTableFactory = memTableFactory;
    b.blockSize = blockSize;
    b.blockCacheSize = blockCacheSizeSet;
    b.indexCacheSize = indexCacheSizeSet;
    b.bloomFalsePositive = bloomFalsePositive;
    b.compression = compression;
    b.baseTableSize = baseTableSize;
    b.baseLevelSize = baseLevelSize;
    b.levelSizeMultiplier = levelSizeMultiplier;
    b.tableSizeMultiplier = tableSizeMultiplier;
    b.maxLevels = maxLevels;
    b.numLevelZeroTables = numLevelZeroTables;
    b.numLevelZeroTablesStall = numLevelZeroTablesStall;
    b.numCompactors = numCompactors;
    b.compactL0OnClose = compactL0OnClose;
    b.numVersionsToKeep = numVersionsToKeep;
    b.maxOpenFiles = maxOpenFiles;
    b.tableFormat = tableFormat;
    b.tableFormatProvider = tableFormatProvider;
    b.blockCache = blockCache;
    b.blockCacheFactory = blockCacheFactory;
    b.compactionStrategy = compactionStrategy;
    b.compactionStrategyProvider = compactionStrategyProvider;
    b.valueThreshold = valueThreshold;
    b.maxValueThreshold = maxValueThreshold;
    b.vlogPercentile = vlogPercentile;
    b.valueLogFileSize = valueLogFileSize;
    b.valueLogMaxEntries = valueLogMaxEntries;
    b.bytesPerSync = bytesPerSync;
    b.valueLogGcInterval = valueLogGcInterval;
    b.valueLogGcDiscardRatio = valueLogGcDiscardRatio;
    b.valueSeparationPolicy = valueSeparationPolicy;
    b.valueSeparationPolicyProvider = valueSeparationPolicyProvider;
    b.valueLogFormat = valueLogFormat;
    b.valueLogFormatProvider = valueLogFormatProvider;
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Options x
        && Objects.equals(dir, x.dir)
        && inMemory == x.inMemory
        && storage == x.storage
        && syncWrites == x.syncWrites
        && memTableSize == x.memTableSize
        && numMemtables == x.numMemtables
        && detectConflicts == x.detectConflicts
        && managedTxns == x.managedTxns
        && readOnly == x.readOnly
        && namespaceOffset == x.namespaceOffset
        && Objects.equals(clock, x.clock)
        && Objects.equals(memTable, x.memTable)
        && memTableFactory == x.memTableFactory
        && blockSize == x.blockSize
        && blockCacheSize == x.blockCacheSize
        && indexCacheSize == x.indexCacheSize
        && memoryBudget == x.memoryBudget
        && numMemtablesSet == x.numMemtablesSet
        && blockCacheSizeSet == x.blockCacheSizeSet
        && indexCacheSizeSet == x.indexCacheSizeSet
        && memoryBudgetSet == x.memoryBudgetSet
        && sharedMemoryBudget == x.sharedMemoryBudget
        && Double.compare(bloomFalsePositive, x.bloomFalsePositive) == 0
        && compression == x.compression
        && baseTableSize == x.baseTableSize
        && baseLevelSize == x.baseLevelSize
        && levelSizeMultiplier == x.levelSizeMultiplier
        && tableSizeMultiplier == x.tableSizeMultiplier
        && maxLevels == x.maxLevels
        && numLevelZeroTables == x.numLevelZeroTables
        && numLevelZeroTablesStall == x.numLevelZeroTablesStall
        && numCompactors == x.numCompactors
        && compactL0OnClose == x.compactL0OnClose
        && numVersionsToKeep == x.numVersionsToKeep
        && maxOpenFiles == x.maxOpenFiles
        && Objects.equals(tableFormat, x.tableFormat)
        && tableFormatProvider == x.tableFormatProvider
        && Objects.equals(blockCache, x.blockCache)
        && blockCacheFactory == x.blockCacheFactory
        && Objects.equals(compactionStrategy, x.compactionStrategy)
        && compactionStrategyProvider == x.compactionStrategyProvider
        && valueThreshold == x.valueThreshold
        && maxValueThreshold == x.maxValueThreshold
        && Double.compare(vlogPercentile, x.vlogPercentile) == 0
        && valueLogFileSize == x.valueLogFileSize
        && valueLogMaxEntries == x.valueLogMaxEntries
        && bytesPerSync == x.bytesPerSync
        && valueLogGcInterval.equals(x.valueLogGcInterval)
        && Double.compare(valueLogGcDiscardRatio, x.valueLogGcDiscardRatio) == 0
        && Objects.equals(valueSeparationPolicy, x.valueSeparationPolicy)
        && valueSeparationPolicyProvider == x.valueSeparationPolicyProvider
        && Objects.equals(valueLogFormat, x.valueLogFormat)
        && valueLogFormatProvider == x.valueLogFormatProvider;
  }

  @Override
  public int hashCode() {
    return Objects.hash(dir, inMemory, syncWrites, memTableSize, numMemtables, detectConflicts,
        managedTxns, readOnly, namespaceOffset,
        memTable, blockSize, blockCacheSize, indexCacheSize, memoryBudget,
        System.identityHashCode(sharedMemoryBudget), compression,
        baseTableSize,
        baseLevelSize, maxLevels, numCompactors, tableFormat, blockCache, compactionStrategy,
        valueThreshold, maxValueThreshold, vlogPercentile, valueLogFileSize, valueLogMaxEntries,
        valueSeparationPolicy, valueLogFormat, bytesPerSync);
  }

  @Override
  public String toString() {
    return "Options[dir=" + (inMemory ? "<in-memory>" : dir)
        + ", storage=" + (storage == null ? "default" : storage.getClass().getSimpleName())
        + ", syncWrites=" + syncWrites
        + ", memTableSize=" + memTableSize
        + ", numMemtables=" + numMemtables
        + ", detectConflicts=" + detectConflicts
        + ", managedTxns=" + managedTxns
        + ", readOnly=" + readOnly
        + ", namespaceOffset=" + namespaceOffset
        + ", clock=" + clock
        + ", memTable=" + (memTableFactory != null
            ? "instance:" + memTableFactory.name() : memTable == null ? "default" : memTable)
        + ", blockSize=" + blockSize
        + ", blockCacheSize=" + blockCacheSize
        + ", indexCacheSize=" + indexCacheSize
        + ", memoryBudget=" + memoryBudget + (sharedMemoryBudget != null ? " (shared)" : "")
        + ", bloomFalsePositive=" + bloomFalsePositive
        + ", compression=" + compression
        + ", baseTableSize=" + baseTableSize
        + ", baseLevelSize=" + baseLevelSize
        + ", levelSizeMultiplier=" + levelSizeMultiplier
        + ", tableSizeMultiplier=" + tableSizeMultiplier
        + ", maxLevels=" + maxLevels
        + ", numLevelZeroTables=" + numLevelZeroTables
        + ", numLevelZeroTablesStall=" + numLevelZeroTablesStall
        + ", numCompactors=" + numCompactors
        + ", compactL0OnClose=" + compactL0OnClose
        + ", numVersionsToKeep=" + numVersionsToKeep
        + ", maxOpenFiles=" + maxOpenFiles
        + ", tableFormat=" + provider(tableFormatProvider, tableFormat)
        + ", blockCache=" + provider(blockCacheFactory, blockCache)
        + ", compactionStrategy=" + provider(compactionStrategyProvider, compactionStrategy)
        + ", valueThreshold=" + valueThreshold
        + ", maxValueThreshold=" + maxValueThreshold
        + ", vlogPercentile=" + vlogPercentile
        + ", valueLogFileSize=" + valueLogFileSize
        + ", valueLogMaxEntries=" + valueLogMaxEntries
        + ", bytesPerSync=" + bytesPerSync
        + ", valueLogGcInterval=" + valueLogGcInterval
        + ", valueLogGcDiscardRatio=" + valueLogGcDiscardRatio
        + ", valueSeparationPolicy="
        + provider(valueSeparationPolicyProvider, valueSeparationPolicy)
        + ", valueLogFormat=" + provider(valueLogFormatProvider, valueLogFormat)
        + "]";
  }

  private static String provider(dev.sett.kv.spi.NamedProvider instance, String name) {
    return instance != null ? "instance:" + instance.name() : name == null ? "default" : name;
  }

  /**
   * Builds {@link Options}. Setters validate their argument at once; {@link #build()} checks the
   * rules between options. Setting an option twice keeps the last value.
   */
  public static final class Builder {
    private Path dir;
    private boolean inMemory;
    private Storage storage;
    private boolean syncWrites;
    private long memTableSize = DEFAULT_MEM_TABLE_SIZE;
    private int numMemtables; // 0: from the memory budget
    private boolean detectConflicts = true;
    private boolean managedTxns;
    private boolean readOnly;
    private int namespaceOffset = -1;
    private InstantSource clock = InstantSource.system();
    private String memTable;
    private MemTableFactory memTableFactory;
    private int blockSize = DEFAULT_BLOCK_SIZE;
    private long blockCacheSize = -1; // -1: from the memory budget
    private long indexCacheSize = -1;
    private long memoryBudget; // 0: the default
    private MemoryBudget sharedMemoryBudget; // null: the database's own
    private double bloomFalsePositive = DEFAULT_BLOOM_FALSE_POSITIVE;
    private Compression compression = Compression.LZ4;
    private long baseTableSize = DEFAULT_BASE_TABLE_SIZE;
    private long baseLevelSize = DEFAULT_BASE_LEVEL_SIZE;
    private int levelSizeMultiplier = 10;
    private int tableSizeMultiplier = 2;
    private int maxLevels = DEFAULT_MAX_LEVELS;
    private int numLevelZeroTables = 5;
    private int numLevelZeroTablesStall = 15;
    private int numCompactors = DEFAULT_NUM_COMPACTORS;
    private boolean compactL0OnClose;
    private int numVersionsToKeep = 1;
    private int maxOpenFiles = DEFAULT_MAX_OPEN_FILES;
    private String tableFormat;
    private TableFormat tableFormatProvider;
    private String blockCache;
    private BlockCacheFactory blockCacheFactory;
    private String compactionStrategy;
    private CompactionStrategyProvider compactionStrategyProvider;
    private long valueThreshold = DEFAULT_VALUE_THRESHOLD;
    private long maxValueThreshold = DEFAULT_MAX_VALUE_THRESHOLD;
    private double vlogPercentile = DEFAULT_VLOG_PERCENTILE;
    private Duration valueLogGcInterval = DEFAULT_VALUE_LOG_GC_INTERVAL;
    private double valueLogGcDiscardRatio = DEFAULT_VALUE_LOG_GC_DISCARD_RATIO;
    private long valueLogFileSize = DEFAULT_VALUE_LOG_FILE_SIZE;
    private int valueLogMaxEntries = DEFAULT_VALUE_LOG_MAX_ENTRIES;
    private long bytesPerSync = DEFAULT_BYTES_PER_SYNC;
    private String valueSeparationPolicy;
    private ValueSeparationPolicy valueSeparationPolicyProvider;
    private String valueLogFormat;
    private ValueLogFormat valueLogFormatProvider;

    private Builder() {}

    /**
     * Sets {@link Options#syncWrites()}.
     *
     * @param syncWrites {@code true} to fsync every commit
     * @return this builder
     */
    public Builder syncWrites(boolean syncWrites) {
      this.syncWrites = syncWrites;
      return this;
    }

    /**
     * Sets {@link Options#memTableSize()}.
     *
     * @param bytes in [{@value Options#MIN_MEM_TABLE_SIZE}, {@value Options#MAX_MEM_TABLE_SIZE}]
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder memTableSize(long bytes) {
      this.memTableSize = checkRange("memTableSize", bytes, MIN_MEM_TABLE_SIZE, MAX_MEM_TABLE_SIZE);
      return this;
    }

    /**
     * Sets {@link Options#numMemtables()}.
     *
     * @param count in [2, 64]
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder numMemtables(int count) {
      this.numMemtables = (int) checkRange("numMemtables", count, 2, 64);
      return this;
    }

    /**
     * Sets {@link Options#detectConflicts()}.
     *
     * @param detectConflicts {@code false} for plain snapshot isolation
     * @return this builder
     */
    public Builder detectConflicts(boolean detectConflicts) {
      this.detectConflicts = detectConflicts;
      return this;
    }

    /**
     * Sets {@link Options#managedTxns()}.
     *
     * @param managedTxns {@code true} for timestamps chosen by the application
     * @return this builder
     */
    public Builder managedTxns(boolean managedTxns) {
      this.managedTxns = managedTxns;
      return this;
    }

    /**
     * Sets {@link Options#readOnly()}.
     *
     * @param readOnly {@code true} to open without changing any file
     * @return this builder
     */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /**
     * Sets {@link Options#namespaceOffset()}.
     *
     * @param offset in [-1, {@value Options#MAX_KEY_SIZE} - 8]; -1 turns namespaces off
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder namespaceOffset(int offset) {
      this.namespaceOffset = (int) checkRange("namespaceOffset", offset, -1, MAX_KEY_SIZE - 8);
      return this;
    }

    /**
     * Sets the clock used for TTLs (a test seam).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Uses this storage instead of the default (a test seam, for example a fault-injecting one).
     *
     * @param storage the storage; the database does not close it
     * @return this builder
     */
    public Builder storage(Storage storage) {
      this.storage = Objects.requireNonNull(storage, "storage");
      return this;
    }

    /**
     * Selects the memtable provider by name.
     *
     * @param name a provider name such as {@code skiplist} or {@code concurrent-skiplist}
     * @return this builder
     * @throws IllegalArgumentException if the name is not a valid provider name
     */
    public Builder memTable(String name) {
      this.memTable = checkProviderName("memTable", name);
      return this;
    }

    /**
     * Uses this memtable provider instance, bypassing the registry.
     *
     * @param factory the provider
     * @return this builder
     */
    public Builder memTableFactory(MemTableFactory factory) {
      this.memTableFactory = Objects.requireNonNull(factory, "memTableFactory");
      return this;
    }

    /**
     * Sets {@link Options#blockSize()}.
     *
     * @param value bytes, in [256, 1 MiB]
     * @return this builder
     */
    public Builder blockSize(int value) {
      this.blockSize = (int) checkRange("blockSize", value, 256, 1 << 20);
      return this;
    }

    /**
     * Sets {@link Options#blockCacheSize()}.
     *
     * @param value bytes, 0 for none, at most 1 TiB
     * @return this builder
     */
    public Builder blockCacheSize(long value) {
      this.blockCacheSize = checkRange("blockCacheSize", value, 0, 1L << 40);
      return this;
    }

    /**
     * Sets {@link Options#indexCacheSize()}.
     *
     * @param value bytes, 0 for none, at most 1 TiB
     * @return this builder
     */
    public Builder indexCacheSize(long value) {
      this.indexCacheSize = checkRange("indexCacheSize", value, 0, 1L << 40);
      return this;
    }

    /**
     * Sets {@link Options#memoryBudget()}: a budget of the database's own, split at open. Replaces
     * a shared budget set before ({@link #memoryBudget(MemoryBudget)}).
     *
     * @param bytes in [16 MiB, 1 TiB]; it must hold the parts set explicitly
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder memoryBudget(long bytes) {
      this.memoryBudget = checkRange("memoryBudget", bytes, 16L << 20, 1L << 40);
      this.sharedMemoryBudget = null;
      return this;
    }

    /**
     * Makes the database share {@code shared} with every other database given the same object,
     * instead of splitting a budget of its own (see {@link MemoryBudget} for how, and for the
     * bound). Replaces a {@link #memoryBudget(long)} set before, and is replaced by one set
     * after. {@link #blockCacheSize(long)} and {@link #indexCacheSize(long)} cannot be set with
     * it (the shared caches are sized from the budget); {@link #numMemtables(int)} may (it caps
     * how many memtables this database holds; default {@value Options#DEFAULT_NUM_MEMTABLES}).
     *
     * @param shared the budget to share
     * @return this builder
     */
    public Builder memoryBudget(MemoryBudget shared) {
      this.sharedMemoryBudget = Objects.requireNonNull(shared, "memoryBudget");
      this.memoryBudget = 0;
      return this;
    }

    /**
     * Sets {@link Options#bloomFalsePositive()}.
     *
     * @param value the rate, in [0, 0.5]; 0 for no bloom filters
     * @return this builder
     */
    public Builder bloomFalsePositive(double value) {
      if (!(value >= 0 && value <= 0.5)) {
        throw new IllegalArgumentException("bloomFalsePositive must be in [0, 0.5], got " + value);
      }
      this.bloomFalsePositive = value;
      return this;
    }

    /**
     * Sets {@link Options#compression()}.
     *
     * @param value the compression of new tables
     * @return this builder
     */
    public Builder compression(Compression value) {
      this.compression = Objects.requireNonNull(value, "compression");
      return this;
    }

    /**
     * Sets {@link Options#baseTableSize()}.
     *
     * @param value bytes, in [4 KiB, 1 GiB]
     * @return this builder
     */
    public Builder baseTableSize(long value) {
      this.baseTableSize = checkRange("baseTableSize", value, 4L << 10, 1L << 30);
      return this;
    }

    /**
     * Sets {@link Options#baseLevelSize()}.
     *
     * @param value bytes, in [16 KiB, 1 TiB]
     * @return this builder
     */
    public Builder baseLevelSize(long value) {
      this.baseLevelSize = checkRange("baseLevelSize", value, 16L << 10, 1L << 40);
      return this;
    }

    /**
     * Sets {@link Options#levelSizeMultiplier()}.
     *
     * @param value the ratio, in [2, 100]
     * @return this builder
     */
    public Builder levelSizeMultiplier(int value) {
      this.levelSizeMultiplier = (int) checkRange("levelSizeMultiplier", value, 2, 100);
      return this;
    }

    /**
     * Sets {@link Options#tableSizeMultiplier()}.
     *
     * @param value the ratio, in [1, 10]
     * @return this builder
     */
    public Builder tableSizeMultiplier(int value) {
      this.tableSizeMultiplier = (int) checkRange("tableSizeMultiplier", value, 1, 10);
      return this;
    }

    /**
     * Sets {@link Options#maxLevels()}.
     *
     * @param value the number of levels, in [2, 16]
     * @return this builder
     */
    public Builder maxLevels(int value) {
      this.maxLevels = (int) checkRange("maxLevels", value, 2, 16);
      return this;
    }

    /**
     * Sets {@link Options#numLevelZeroTables()}.
     *
     * @param value the count, in [1, 1000]
     * @return this builder
     */
    public Builder numLevelZeroTables(int value) {
      this.numLevelZeroTables = (int) checkRange("numLevelZeroTables", value, 1, 1000);
      return this;
    }

    /**
     * Sets {@link Options#numLevelZeroTablesStall()}.
     *
     * @param value the count, in [2, 10000]; more than {@link #numLevelZeroTables(int)}
     * @return this builder
     */
    public Builder numLevelZeroTablesStall(int value) {
      this.numLevelZeroTablesStall = (int) checkRange("numLevelZeroTablesStall", value, 2, 10_000);
      return this;
    }

    /**
     * Sets {@link Options#numCompactors()}.
     *
     * @param value the thread count, in [0, 64]
     * @return this builder
     */
    public Builder numCompactors(int value) {
      this.numCompactors = (int) checkRange("numCompactors", value, 0, 64);
      return this;
    }

    /**
     * Sets {@link Options#compactL0OnClose()}.
     *
     * @param value {@code true} to compact L0 at close
     * @return this builder
     */
    public Builder compactL0OnClose(boolean value) {
      this.compactL0OnClose = value;
      return this;
    }

    /**
     * Sets {@link Options#numVersionsToKeep()}.
     *
     * @param value the count, at least 1
     * @return this builder
     */
    public Builder numVersionsToKeep(int value) {
      this.numVersionsToKeep = (int) checkRange("numVersionsToKeep", value, 1, Integer.MAX_VALUE);
      return this;
    }

    /**
     * Sets {@link Options#maxOpenFiles()}.
     *
     * @param value the count, in [8, 1,000,000]
     * @return this builder
     */
    public Builder maxOpenFiles(int value) {
      this.maxOpenFiles = (int) checkRange("maxOpenFiles", value, 8, 1_000_000);
      return this;
    }

    /**
     * Sets {@link Options#tableFormat()}.
     *
     * @param value a table format name such as {@code sst-v1}
     * @return this builder
     */
    public Builder tableFormat(String value) {
      this.tableFormat = checkProviderName("tableFormat", value);
      return this;
    }

    /**
     * Sets {@link Options#tableFormatProvider()}.
     *
     * @param value the provider, bypassing the registry
     * @return this builder
     */
    public Builder tableFormatProvider(TableFormat value) {
      this.tableFormatProvider = Objects.requireNonNull(value, "tableFormatProvider");
      return this;
    }

    /**
     * Sets {@link Options#blockCache()}.
     *
     * @param value a block cache name such as {@code caffeine} or {@code none}
     * @return this builder
     */
    public Builder blockCache(String value) {
      this.blockCache = checkProviderName("blockCache", value);
      return this;
    }

    /**
     * Sets {@link Options#blockCacheFactory()}.
     *
     * @param value the provider, bypassing the registry
     * @return this builder
     */
    public Builder blockCacheFactory(BlockCacheFactory value) {
      this.blockCacheFactory = Objects.requireNonNull(value, "blockCacheFactory");
      return this;
    }

    /**
     * Sets {@link Options#compactionStrategy()}.
     *
     * @param value a strategy name such as {@code leveled} or {@code tiered}
     * @return this builder
     */
    public Builder compactionStrategy(String value) {
      this.compactionStrategy = checkProviderName("compactionStrategy", value);
      return this;
    }

    /**
     * Sets {@link Options#compactionStrategyProvider()}.
     *
     * @param value the provider, bypassing the registry
     * @return this builder
     */
    public Builder compactionStrategyProvider(CompactionStrategyProvider value) {
      this.compactionStrategyProvider = Objects.requireNonNull(value, "compactionStrategyProvider");
      return this;
    }

    /**
     * Sets {@link Options#valueThreshold()}.
     *
     * @param value bytes, in [0, {@value Options#MAX_VALUE_THRESHOLD_LIMIT}]; at most {@link
     *     #maxValueThreshold(long)}, checked by {@link #build()}
     * @return this builder
     */
    public Builder valueThreshold(long value) {
      this.valueThreshold = checkRange("valueThreshold", value, 0, MAX_VALUE_THRESHOLD_LIMIT);
      return this;
    }

    /**
     * Sets {@link Options#maxValueThreshold()}.
     *
     * @param value bytes, in [0, {@value Options#MAX_VALUE_THRESHOLD_LIMIT}]; at least {@link
     *     #valueThreshold(long)}, checked by {@link #build()}
     * @return this builder
     */
    public Builder maxValueThreshold(long value) {
      this.maxValueThreshold =
          checkRange("maxValueThreshold", value, 0, MAX_VALUE_THRESHOLD_LIMIT);
      return this;
    }

    /**
     * Sets {@link Options#valueLogGcInterval()}.
     *
     * @param value the interval, zero to turn the background rounds off
     * @return this builder
     */
    public Builder valueLogGcInterval(Duration value) {
      Objects.requireNonNull(value, "valueLogGcInterval");
      if (value.isNegative()) {
        throw new IllegalArgumentException("valueLogGcInterval must be zero (off) or positive,"
            + " got " + value);
      }
      this.valueLogGcInterval = value;
      return this;
    }

    /**
     * Sets {@link Options#valueLogGcDiscardRatio()}.
     *
     * @param value the ratio, in (0, 1)
     * @return this builder
     */
    public Builder valueLogGcDiscardRatio(double value) {
      if (!(value > 0 && value < 1)) { // also rejects NaN
        throw new IllegalArgumentException("valueLogGcDiscardRatio must be in (0, 1), got "
            + value);
      }
      this.valueLogGcDiscardRatio = value;
      return this;
    }

    /**
     * Sets {@link Options#vlogPercentile()}.
     *
     * @param value the percentile, in [0, 1]; 0 for a fixed threshold
     * @return this builder
     */
    public Builder vlogPercentile(double value) {
      if (!(value >= 0 && value <= 1)) { // also rejects NaN
        throw new IllegalArgumentException("vlogPercentile must be in [0, 1], got " + value);
      }
      this.vlogPercentile = value;
      return this;
    }

    /**
     * Sets {@link Options#valueLogFileSize()}.
     *
     * @param value bytes, in [{@value Options#MIN_VALUE_LOG_FILE_SIZE}, {@value
     *     Options#MAX_VALUE_LOG_FILE_SIZE}]
     * @return this builder
     */
    public Builder valueLogFileSize(long value) {
      this.valueLogFileSize = checkRange("valueLogFileSize", value, MIN_VALUE_LOG_FILE_SIZE,
          MAX_VALUE_LOG_FILE_SIZE);
      return this;
    }

    /**
     * Sets {@link Options#valueLogMaxEntries()}.
     *
     * @param value the count, in [1, {@value Integer#MAX_VALUE}]
     * @return this builder
     */
    public Builder valueLogMaxEntries(int value) {
      this.valueLogMaxEntries =
          (int) checkRange("valueLogMaxEntries", value, 1, Integer.MAX_VALUE);
      return this;
    }

    /**
     * Sets {@link Options#bytesPerSync()}.
     *
     * @param value bytes, 0 (off) or in [4096, 2^40]
     * @return this builder
     */
    public Builder bytesPerSync(long value) {
      this.bytesPerSync = value == 0 ? 0 : checkRange("bytesPerSync", value, 4096, 1L << 40);
      return this;
    }

    /**
     * Sets {@link Options#valueSeparationPolicy()}.
     *
     * @param value a policy name such as {@code threshold} or {@code percentile}
     * @return this builder
     */
    public Builder valueSeparationPolicy(String value) {
      this.valueSeparationPolicy = checkProviderName("valueSeparationPolicy", value);
      return this;
    }

    /**
     * Sets {@link Options#valueSeparationPolicyProvider()}.
     *
     * @param value the provider, bypassing the registry
     * @return this builder
     */
    public Builder valueSeparationPolicyProvider(ValueSeparationPolicy value) {
      this.valueSeparationPolicyProvider =
          Objects.requireNonNull(value, "valueSeparationPolicyProvider");
      return this;
    }

    /**
     * Sets {@link Options#valueLogFormat()}.
     *
     * @param value a value log format name such as {@code vlog-v1}
     * @return this builder
     */
    public Builder valueLogFormat(String value) {
      this.valueLogFormat = checkProviderName("valueLogFormat", value);
      return this;
    }

    /**
     * Sets {@link Options#valueLogFormatProvider()}.
     *
     * @param value the provider, bypassing the registry
     * @return this builder
     */
    public Builder valueLogFormatProvider(ValueLogFormat value) {
      this.valueLogFormatProvider = Objects.requireNonNull(value, "valueLogFormatProvider");
      return this;
    }

    /**
     * Checks the rules between options and returns the immutable options.
     *
     * @return the options
     * @throws IllegalArgumentException if options contradict each other
     */
    public Options build() {
      if (inMemory && syncWrites) {
        throw new IllegalArgumentException(
            "syncWrites=true is not allowed for an in-memory database (nothing is written to disk)");
      }
      if (inMemory && readOnly) {
        throw new IllegalArgumentException(
            "readOnly=true is not allowed for an in-memory database (it starts empty)");
      }
      if (inMemory && storage != null) {
        throw new IllegalArgumentException(
            "storage cannot be set for an in-memory database (it always uses memory)");
      }
      if (sharedMemoryBudget != null) {
        if (blockCacheSize >= 0 || indexCacheSize >= 0) {
          throw new IllegalArgumentException("blockCacheSize (" + blockCacheSize
              + ") and indexCacheSize (" + indexCacheSize + ") cannot be set with a shared"
              + " memoryBudget: the shared caches are sized from it");
        }
        long commit = memTableSize * 15 / 100; // maxBatchSize
        if (2 * commit > sharedMemoryBudget.memTablePoolBytes()) {
          throw new IllegalArgumentException("memTableSize " + memTableSize + " is too large for"
              + " the shared " + sharedMemoryBudget + ": its largest commit (" + commit
              + " bytes) must fit in half of the memtable pool; lower memTableSize to at most "
              + sharedMemoryBudget.memTablePoolBytes() * 100 / 30 + " or share a larger budget");
        }
      }
      if (numLevelZeroTablesStall <= numLevelZeroTables) {
        throw new IllegalArgumentException("numLevelZeroTablesStall (" + numLevelZeroTablesStall
            + ") must be greater than numLevelZeroTables (" + numLevelZeroTables + ")");
      }
      if (valueThreshold > maxValueThreshold) {
        throw new IllegalArgumentException("valueThreshold must be in [0, maxValueThreshold="
            + maxValueThreshold + "], got " + valueThreshold
            + " (raise maxValueThreshold to use a larger threshold)");
      }
      if (vlogPercentile > 0 && valueSeparationPolicyProvider == null
          && valueSeparationPolicy != null) {
        if (valueSeparationPolicy.equals(ValueSeparationPolicy.DEFAULT_NAME)) {
          throw new IllegalArgumentException("vlogPercentile=" + vlogPercentile
              + " has no effect with valueSeparationPolicy '" + valueSeparationPolicy
              + "' (a fixed threshold): must be 0 (range [0, 1], 0 = off), or name the"
              + " 'percentile' policy");
        }
      }
      return new Options(this);
    }

    private static long checkRange(String option, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            option + " must be in [" + min + ", " + max + "], got " + value);
      }
      return value;
    }

    private static String checkProviderName(String option, String name) {
      Objects.requireNonNull(name, option);
      if (!name.matches("[a-z][a-z0-9-]{0,31}")) {
        throw new IllegalArgumentException(
            option + " must be a provider name (lowercase letters, digits and '-', 1 to 32"
                + " characters, starting with a letter), got '" + name + "'");
      }
      return name;
    }
  }
}
