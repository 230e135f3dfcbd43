package dev.sett.kv.skiplist;

import dev.sett.kv.internal.Keys;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.StoredValue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A memtable on {@link ConcurrentSkipListMap}: provider {@value ConcurrentSkipListFactory#NAME},
 * the baseline the arena skiplist is benchmarked against. Same contract, ordinary heap objects.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Who writes, who reads.</b> Any number of threads put, get and iterate at once; the map
 * does all the synchronisation. The capacity is a budget, not memory: {@code used} is the sum of
 * the {@linkplain #footprint footprints} of the puts accepted so far, reserved by a CAS loop
 * before the map is touched, so a refused put changes nothing and concurrent puts never overshoot
 * the budget together.
 *
 * <p><b>Invariants.</b> {@code used <= capacity}; {@code count} equals the number of distinct
 * {@code (key, version)} in the map once no put is in flight; a put's key and value arrays are
 * private copies that nothing mutates after insertion.
 *
 * <p><b>Linearization points.</b> A put: the map's {@code put}. A get or iterator step: the map's
 * {@code ceilingEntry}/{@code higherEntry}/... call, whose entry snapshot the iterator then keeps.
 * {@code count} and {@code maxVersion} are raised after the map put, so they include every
 * completed put and may lag one in flight.
 *
 * <p><b>Value encoding.</b> Each value is one array, {@code meta, userMeta, expiresAt (8 bytes),
 * value}, rather than a {@link StoredValue} holding a separate array: one object fewer per entry,
 * which keeps the footprint under the SPI's {@link MemTable#MAX_ENTRY_OVERHEAD}.
 */
public final class ConcurrentSkipListMemTable implements MemTable {

  /** Largest capacity, the same as the arena skiplist's so the engine can swap them freely. */
  public static final long MAX_CAPACITY = Integer.MAX_VALUE - 1024L;

  // Heap estimate per entry, 64-bit JVM with compressed references (the default below 32 GiB):
  // arrays have a 16-byte header, objects a 12-byte one, everything is padded to 8 bytes.
  /** Header of a {@code byte[]}. */
  private static final int ARRAY_HEADER = 16;
  /** {@link InternalKey}: header, reference, long. */
  private static final int INTERNAL_KEY = 24;
  /** The map's node: header and three references. */
  private static final int MAP_NODE = 24;
  /** The map's index nodes: one in four entries gets ~2 index objects of 24 bytes; rounded up. */
  private static final int MAP_INDEX = 16;
  /** meta, userMeta, expiresAt. */
  private static final int VALUE_HEADER = 10;

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final ConcurrentSkipListMap<InternalKey, byte[]> map = new ConcurrentSkipListMap<>();
  private final long capacity;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong maxVersion = new AtomicLong();

  /**
   * Creates an empty memtable.
   *
   * @param capacityBytes the footprint budget
   * @throws IllegalArgumentException if negative or above {@link #MAX_CAPACITY}
   */
  ConcurrentSkipListMemTable(long capacityBytes) {
    if (capacityBytes < 0 || capacityBytes > MAX_CAPACITY) {
      throw new IllegalArgumentException("capacityBytes of the concurrent-skiplist memtable is "
          + capacityBytes + "; allowed: 0 to " + MAX_CAPACITY);
    }
    this.capacity = capacityBytes;
  }

  /**
   * Inserts one version of a key, or replaces the value of an existing {@code (key, version)}.
   * Every put, replacements included, is charged its full footprint: the replaced value becomes
   * garbage the budget cannot see reclaimed.
   *
   * @throws IllegalArgumentException if the key is empty or longer than 65,000 bytes
   */
  @Override
  public boolean put(byte[] key, long version, byte meta, byte userMeta, long expiresAt,
      byte[] value) {
    Keys.check(key);
    Objects.requireNonNull(value, "value");
    if (!reserve(footprint(key.length, value.length))) {
      return false;
    }
    byte[] encoded = new byte[VALUE_HEADER + value.length];
    encoded[0] = meta;
    encoded[1] = userMeta;
    LONG.set(encoded, 2, expiresAt);
    System.arraycopy(value, 0, encoded, VALUE_HEADER, value.length);
    if (map.put(new InternalKey(key.clone(), version), encoded) == null) {
      count.incrementAndGet();
    }
    maxVersion.accumulateAndGet(version, Math::max);
    return true;
  }

  @Override
  public StoredValue get(byte[] key, long readTs) {
    Map.Entry<InternalKey, byte[]> e = map.ceilingEntry(new InternalKey(key, readTs));
    if (e == null || !Arrays.equals(e.getKey().key(), key)) {
      return null;
    }
    return decode(e.getKey().version(), e.getValue());
  }

  @Override
  public EntryIterator iterator() {
    return new Iter();
  }

  /**
   * An estimate of the heap an entry takes: key array, {@link InternalKey}, encoded value array,
   * the map's node and a share of its index nodes, assuming compressed references. At most {@code
   * keyLength + valueLength + 120}, within the SPI's bound.
   */
  @Override
  public long footprint(int keyLength, int valueLength) {
    return align8((long) ARRAY_HEADER + keyLength) + INTERNAL_KEY
        + align8((long) ARRAY_HEADER + VALUE_HEADER + valueLength) + MAP_NODE + MAP_INDEX;
  }

  /** Sum of the footprints of the accepted puts. */
  @Override
  public long sizeBytes() {
    return used.get();
  }

  /** The budget given at creation. */
  @Override
  public long capacityBytes() {
    return capacity;
  }

  /** Distinct {@code (key, version)} pairs inserted. */
  @Override
  public long count() {
    return count.get();
  }

  /** Highest version put so far, 0 when empty. */
  @Override
  public long maxVersion() {
    return maxVersion.get();
  }

  @Override
  public String toString() {
    return "ConcurrentSkipListMemTable[count=" + count.get() + ", bytes=" + used.get() + "/"
        + capacity + "]";
  }

  /** Takes {@code bytes} from the budget unless that would exceed it. */
  private boolean reserve(long bytes) {
    long current = used.get();
    while (true) {
      if (current + bytes > capacity) {
        return false;
      }
      long witness = used.compareAndExchange(current, current + bytes);
      if (witness == current) {
        return true;
      }
      current = witness;
    }
  }

  private static long align8(long n) {
    return (n + 7) & ~7L;
  }

  private static StoredValue decode(long version, byte[] encoded) {
    return new StoredValue(version, encoded[0], encoded[1], (long) LONG.get(encoded, 2),
        Arrays.copyOfRange(encoded, VALUE_HEADER, encoded.length));
  }

  /**
   * A user key and a version, ordered as internal entries: key ascending (unsigned), then version
   * descending. Equality agrees with that order (array contents, not identity).
   */
  record InternalKey(byte[] key, long version) implements Comparable<InternalKey> {

    @Override
    public int compareTo(InternalKey o) {
      return Keys.compareInternal(key, version, o.key, o.version);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof InternalKey other && version == other.version
          && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(key) + Long.hashCode(version);
    }

    @Override
    public String toString() {
      return "InternalKey[" + Arrays.toString(key) + "@" + version + "]";
    }
  }

  /**
   * A cursor holding the current entry (a snapshot the map handed out). Runs of {@link #next}
   * share one map iterator; any other move drops it and asks the map afresh.
   */
  private final class Iter implements EntryIterator {
    private Map.Entry<InternalKey, byte[]> current;
    private Iterator<Map.Entry<InternalKey, byte[]>> forward;

    @Override
    public boolean valid() {
      return current != null;
    }

    @Override
    public void seekToFirst() {
      position(map.firstEntry());
    }

    @Override
    public void seekToLast() {
      position(map.lastEntry());
    }

    @Override
    public void seek(byte[] key, long version) {
      position(map.ceilingEntry(new InternalKey(key, version)));
    }

    @Override
    public void seekForPrev(byte[] key, long version) {
      position(map.floorEntry(new InternalKey(key, version)));
    }

    @Override
    public void next() {
      InternalKey at = current().getKey();
      if (forward == null) {
        forward = map.tailMap(at, false).entrySet().iterator();
      }
      current = forward.hasNext() ? forward.next() : null;
      if (current == null) {
        forward = null;
      }
    }

    @Override
    public void prev() {
      position(map.lowerEntry(current().getKey()));
    }

    @Override
    public byte[] key() {
      return current().getKey().key().clone();
    }

    @Override
    public long version() {
      return current().getKey().version();
    }

    @Override
    public StoredValue value() {
      Map.Entry<InternalKey, byte[]> e = current();
      return decode(e.getKey().version(), e.getValue());
    }

    @Override
    public void close() {
      position(null);
    }

    private void position(Map.Entry<InternalKey, byte[]> e) {
      current = e;
      forward = null;
    }

    private Map.Entry<InternalKey, byte[]> current() {
      if (current == null) {
        throw new NoSuchElementException("iterator is not positioned on an entry");
      }
      return current;
    }
  }
}
