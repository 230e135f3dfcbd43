package dev.sett.kv.internal;

import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.BlockCacheFactory;

/**
 * The block cache and the index cache of a shared {@link dev.sett.kv.MemoryBudget}: created by the
 * first database that attaches, dropped when the last one detaches, and seen by each database
 * through a {@link NamespacedBlockCache} of its own, since table ids are per database.
 *
 * <p>Concurrency notes. Databases attach and detach from their opening and closing threads; all
 * state is guarded by this object's monitor. Invariants: the caches exist exactly while {@code
 * attached > 0}; namespaces are never reused while the caches exist (a closed database's blocks
 * stay until evicted, and no later database can read them); they restart when the caches are
 * created again.
 */
public final class SharedCaches {
  private final long blockBytes;
  private final long indexBytes;
  private BlockCache block; // guarded by this
  private BlockCache index; // guarded by this
  private int attached; // guarded by this
  private long nextNamespace; // guarded by this

  /**
   * @param blockBytes the block cache's capacity
   * @param indexBytes the index cache's capacity
   */
  public SharedCaches(long blockBytes, long indexBytes) {
    this.blockBytes = blockBytes;
    this.indexBytes = indexBytes;
  }

  /**
   * One database's view of the shared caches.
   *
   * @param block its block cache
   * @param index its index cache
   */
  public record View(BlockCache block, BlockCache index) {}

  /**
   * Attaches a database; the first creates the caches with {@code factory} (later databases use
   * those, whatever factory they name).
   *
   * @param factory the cache provider
   * @return the database's view; call {@link #detach()} once when it closes
   */
  public synchronized View attach(BlockCacheFactory factory) {
    if (attached == 0) {
      block = factory.create(blockBytes);
      index = factory.create(indexBytes);
      nextNamespace = 0;
    }
    attached++;
    long ns = ++nextNamespace;
    return new View(new NamespacedBlockCache(block, ns), new NamespacedBlockCache(index, ns));
  }

  /** Detaches a database; the last one drops the caches. */
  public synchronized void detach() {
    if (attached == 0) {
      throw new IllegalStateException("detached more often than attached");
    }
    if (--attached == 0) {
      block = null;
      index = null;
    }
  }

  /** @return databases attached */
  public synchronized int attached() {
    return attached;
  }

  /** @return bytes both caches hold now, 0 when they do not exist */
  public synchronized long sizeBytes() {
    return block == null ? 0 : block.sizeBytes() + index.sizeBytes();
  }

  /** @return the block cache's capacity */
  public long blockCapacity() {
    return blockBytes;
  }

  /** @return the index cache's capacity */
  public long indexCapacity() {
    return indexBytes;
  }
}
