package dev.sett.kv.skiplist;

import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;

/**
 * Creates {@link ArenaSkipList}s: provider {@value #NAME}, the default memtable.
 *
 * <p>Stateless and thread-safe; found by {@link java.util.ServiceLoader}.
 */
public final class ArenaSkipListFactory implements MemTableFactory {

  /** The provider name: {@value}. */
  public static final String NAME = "skiplist";

  /** Creates the factory (called by {@link java.util.ServiceLoader}). */
  public ArenaSkipListFactory() {}

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
   * Creates an empty arena skiplist whose arena of {@code capacityBytes} bytes is allocated now.
   *
   * @param capacityBytes the arena size, from {@link ArenaSkipList#MIN_CAPACITY} to {@link
   *     ArenaSkipList#MAX_CAPACITY}
   * @return the memtable
   * @throws IllegalArgumentException if the capacity is out of range
   */
  @Override
  public MemTable create(long capacityBytes) {
    return new ArenaSkipList(capacityBytes);
  }

  @Override
  public String toString() {
    return "ArenaSkipListFactory[" + NAME + "]";
  }
}
