package dev.sett.kv.spi;

/**
 * Creates memtables. Implementations: {@code skiplist} (the arena skiplist, default) and {@code
 * concurrent-skiplist} (on {@link java.util.concurrent.ConcurrentSkipListMap}, a baseline).
 */
public interface MemTableFactory extends NamedProvider {

  /** The provider used when none is named: {@value}. */
  String DEFAULT_NAME = "skiplist";

  /**
   * Creates an empty memtable.
   *
   * @param capacityBytes the most bytes it may use; at most {@code Integer.MAX_VALUE - 1024}
   * @return the memtable
   */
  MemTable create(long capacityBytes);
}
