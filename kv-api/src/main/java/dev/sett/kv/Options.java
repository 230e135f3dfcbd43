package dev.sett.kv;

import dev.sett.kv.io.Storage;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;
import java.nio.file.Path;
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
  /** Default {@link #numMemtables()}: 5, as Badger. */
  public static final int DEFAULT_NUM_MEMTABLES = 5;
  /** Largest key in bytes, as Badger. */
  public static final int MAX_KEY_SIZE = 65_000;

  private final Path dir;
  private final boolean inMemory;
  private final Storage storage;
  private final boolean syncWrites;
  private final long memTableSize;
  private final int numMemtables;
  private final boolean detectConflicts;
  private final InstantSource clock;
  private final String memTable;
  private final MemTableFactory memTableFactory;

  private Options(Builder b) {
    this.dir = b.dir;
    this.inMemory = b.inMemory;
    this.storage = b.storage;
    this.syncWrites = b.syncWrites;
    this.memTableSize = b.memTableSize;
    this.numMemtables = b.numMemtables;
    this.detectConflicts = b.detectConflicts;
    this.clock = b.clock;
    this.memTable = b.memTable;
    this.memTableFactory = b.memTableFactory;
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
   * writers wait for a flush.
   *
   * @return the count, default {@value #DEFAULT_NUM_MEMTABLES}
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
   * The most bytes one commit may carry (15% of {@link #memTableSize()}, as Badger), counting each
   * entry as key + value + {@link MemTable#MAX_ENTRY_OVERHEAD}.
   *
   * @return bytes
   */
  public long maxBatchSize() {
    return memTableSize * 15 / 100;
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
   * The largest value a single entry may hold until the value log exists: what fits in one commit
   * next to a one-byte key. (A large key and a large value together may still exceed {@link
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
    b.numMemtables = numMemtables;
    b.detectConflicts = detectConflicts;
    b.clock = clock;
    b.memTable = memTable;
    b.memTableFactory = memTableFactory;
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
        && Objects.equals(clock, x.clock)
        && Objects.equals(memTable, x.memTable)
        && memTableFactory == x.memTableFactory;
  }

  @Override
  public int hashCode() {
    return Objects.hash(dir, inMemory, syncWrites, memTableSize, numMemtables, detectConflicts,
        memTable);
  }

  @Override
  public String toString() {
    return "Options[dir=" + (inMemory ? "<in-memory>" : dir)
        + ", storage=" + (storage == null ? "default" : storage.getClass().getSimpleName())
        + ", syncWrites=" + syncWrites
        + ", memTableSize=" + memTableSize
        + ", numMemtables=" + numMemtables
        + ", detectConflicts=" + detectConflicts
        + ", clock=" + clock
        + ", memTable=" + (memTableFactory != null
            ? "instance:" + memTableFactory.name() : memTable == null ? "default" : memTable)
        + "]";
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
    private int numMemtables = DEFAULT_NUM_MEMTABLES;
    private boolean detectConflicts = true;
    private InstantSource clock = InstantSource.system();
    private String memTable;
    private MemTableFactory memTableFactory;

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
      if (inMemory && storage != null) {
        throw new IllegalArgumentException(
            "storage cannot be set for an in-memory database (it always uses memory)");
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
