package dev.sett.kv.table.cache;

import dev.sett.kv.spi.BlockCache;

/** A cache that holds nothing: every get misses. Stateless, so one instance serves all. */
final class NoBlockCache implements BlockCache {
  static final NoBlockCache INSTANCE = new NoBlockCache();

  private NoBlockCache() {}

  @Override
  public byte[] get(long tableId, int blockIndex) {
    return null;
  }

  @Override
  public void put(long tableId, int blockIndex, byte[] block) {
    java.util.Objects.requireNonNull(block, "block");
  }

  @Override
  public void invalidate(long tableId) {}

  @Override
  public long sizeBytes() {
    return 0;
  }

  @Override
  public long capacityBytes() {
    return 0;
  }

  @Override
  public String toString() {
    return "NoBlockCache";
  }
}
