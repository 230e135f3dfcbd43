package dev.sett.kv.skiplist;

import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;

/**
 * Creates {@link ConcurrentSkipListMemTable}s: provider {@value #NAME}, the baseline the arena
 * skiplist is measured against.
 *
 * <p>Stateless and thread-safe; found by {@link java.util.ServiceLoader}.
 */
public final class ConcurrentSkipListFactory implements MemTableFactory {

  /** The provider name: {@value}. */
  public static final String NAME = "concurrent-skiplist";

  /** Creates the factory (called by {@link java.util.ServiceLoader}). */
  public ConcurrentSkipListFactory() {}

  /**
   * The provider name.
   *
   * @return {@value #NAME}
   */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Creates an empty memtable that accepts entries while the sum of their footprints fits in
   * {@code capacityBytes}.
   *
   * @param capacityBytes the budget, from 0 to {@link ConcurrentSkipListMemTable#MAX_CAPACITY}
   * @return the memtable
   * @throws IllegalArgumentException if the capacity is out of range
   */
  @Override
  public MemTable create(long capacityBytes) {
    return new ConcurrentSkipListMemTable(capacityBytes);
  }

  @Override
  public String toString() {
    return "ConcurrentSkipListFactory[" + NAME + "]";
  }
}
