package dev.sett.kv.table.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import dev.sett.kv.spi.BlockCache;
import java.util.Objects;

/**
 * A {@link BlockCache} on Caffeine (W-TinyLFU eviction), weighed in bytes: a block weighs its
 * length plus {@link #ENTRY_OVERHEAD}, an estimate of the key, the map node and the array header
 * it costs on the heap.
 *
 * <p>Caffeine runs its maintenance (eviction) on the threads that use the cache rather than on
 * {@code ForkJoinPool.commonPool()}: an embedded store should not put work on a pool shared with
 * the application, and it keeps the weight bound exact once a put returns. {@link
 * #invalidate(long)} scans the keys, which is linear in the number of cached blocks; it runs once
 * per deleted table.
 */
final class CaffeineBlockCache implements BlockCache {
  /** Heap bytes a cached block costs besides its contents (key record, node, array header). */
  static final int ENTRY_OVERHEAD = 96;

  /** Which block: a record, so hashing and equality are generated and cheap. */
  private record Key(long tableId, int blockIndex) {}

  private final long capacity;
  private final Cache<Key, byte[]> cache;
  private final Policy.Eviction<Key, byte[]> eviction;

  CaffeineBlockCache(long capacityBytes) {
    this.capacity = capacityBytes;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(capacityBytes)
        .weigher((Key k, byte[] block) -> weight(block))
        .executor(Runnable::run)
        .build();
    this.eviction = cache.policy().eviction().orElseThrow();
  }

  private static int weight(byte[] block) {
    return (int) Math.min(Integer.MAX_VALUE, (long) block.length + ENTRY_OVERHEAD);
  }

  @Override
  public byte[] get(long tableId, int blockIndex) {
    return cache.getIfPresent(new Key(tableId, blockIndex));
  }

  @Override
  public void put(long tableId, int blockIndex, byte[] block) {
    Objects.requireNonNull(block, "block");
    if (weight(block) <= capacity) { // a block heavier than the whole cache would evict it all
      cache.put(new Key(tableId, blockIndex), block);
    }
  }

  @Override
  public void invalidate(long tableId) {
    cache.asMap().keySet().removeIf(k -> k.tableId() == tableId);
  }

  @Override
  public long sizeBytes() {
    cache.cleanUp(); // apply pending writes so the weight is current
    return eviction.weightedSize().orElse(0);
  }

  @Override
  public long capacityBytes() {
    return capacity;
  }

  @Override
  public String toString() {
    return "CaffeineBlockCache[" + sizeBytes() + " of " + capacity + " bytes]";
  }
}
