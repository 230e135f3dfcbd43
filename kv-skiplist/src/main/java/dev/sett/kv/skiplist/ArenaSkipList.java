package dev.sett.kv.skiplist;

import dev.sett.kv.internal.Keys;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.StoredValue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The default memtable: a lock-free skiplist whose nodes, keys and values all live in one
 * preallocated off-heap arena (a direct {@link ByteBuffer}), after Badger's {@code skl} package
 * (itself after RocksDB's inline skiplist). Provider {@value ArenaSkipListFactory#NAME}.
 *
 * <p>A memtable holds millions of small entries for a few seconds and is then dropped whole, so
 * one buffer addressed by {@code int} offsets beats millions of objects: the garbage collector
 * sees a single object and never scans the entries, nodes cost a few dozen bytes instead of
 * several headers and references, and the memory bound is exact, since the arena is the memory.
 * The arena is direct memory rather than a {@code byte[]} because JDK 22 and later refuse the
 * atomic access modes (CAS, acquire, release) on views of heap byte arrays.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Who writes, who reads.</b> Any number of threads call {@link #put} at once (the engine
 * has one writer thread, replay and bulk loads may have more); any number of threads call {@link
 * #get} and walk iterators at the same time. There are no locks: puts link nodes with CAS, reads
 * only load. A read never waits for a writer and never retries: it only walks forward, and every
 * load moves it closer to its target (new nodes can lengthen the walk, never restart it).
 *
 * <p><b>Arena.</b> Offset 0 is never allocated and stands for "no node" ({@code NIL}); the head
 * node, a sentinel with an empty key and a full tower, sits at offset 8. Allocation bumps {@code
 * allocated} with a CAS loop rather than {@code getAndAdd} so that a refused allocation leaves the
 * pointer where it was: a put that does not fit returns {@code false} and a smaller put after it
 * may still succeed. Every allocation is rounded up to 8 bytes so every node starts 8-aligned,
 * which the atomic access modes of the array views require.
 *
 * <pre>
 * node (8-aligned):
 *   +0  long  value word = valueRegion &lt;&lt; 32 | valueLength    (replaced atomically)
 *   +8  long  version
 *   +16 int   key offset
 *   +20 short key length (unsigned)
 *   +22 byte  height, 1..20
 *   +23 byte  (padding)
 *   +24 int[height] tower: next-node offsets, level 0 first      (CAS)
 * then, in the same allocation, the key bytes and the value region:
 *   +0 meta, +1 userMeta, +2 long expiresAt (maybe misaligned: plain access only), +10 value
 *
 * level 2:  HEAD ---------------------------&gt; c@7 --------------------&gt; NIL
 * level 1:  HEAD --&gt; a@9 -------------------&gt; c@7 --&gt; d@2 ----------&gt; NIL
 * level 0:  HEAD --&gt; a@9 --&gt; a@3 --&gt; b@5 --&gt; c@7 --&gt; d@2 --&gt; e@4 --&gt; NIL
 *           (user key ascending, then version descending: newest first)
 * </pre>
 *
 * <p>A node allocates only the tower levels it uses (Badger's trick): heights follow a geometric
 * distribution with p = 1/3, so the average tower is 1.5 ints, not 20.
 *
 * <p><b>Invariants.</b> (1) Each level is a strictly increasing list in internal order, with no
 * two nodes for one {@code (key, version)}. (2) A node is linked at level i+1 only after it is
 * linked at level i, so every level is a sublist of the one below and a search may descend at any
 * node. (3) Nodes are never unlinked; a node's key, version, height and its position relative to
 * every other node never change after publication; only its value word and the tower slots that
 * point past it do. (4) {@code allocated} only grows and never exceeds the capacity; every byte
 * below it belongs to exactly one allocation. (5) The list height only grows and is raised before
 * a node that needs it is linked, so it bounds the height of every linked node; a reader that
 * reads a stale, lower height just starts its search lower, which is still correct.
 *
 * <p><b>Insert</b> (Badger's algorithm). Search every level from the top (or, when this thread's
 * last put into this skiplist left a splice that still brackets the key at some level, from the
 * lowest such level: see {@link Finger}), recording for each the splice {@code prev < (key,
 * version) < next}; if a node with the same {@code (key, version)}
 * turns up, replace its value instead. Otherwise allocate node, key and value in one bump, fill
 * them with plain writes, raise the list height by CAS if the node is taller, then link bottom-up:
 * set the node's next to {@code next} and CAS {@code prev.next} from {@code next} to the node. A
 * failed CAS means someone inserted between prev and next: search again on that level starting at
 * prev (nodes are never removed, so prev is still before the key). The re-search can find an
 * equal node only at level 0, when a concurrent put of the same {@code (key, version)} won the
 * race; then the value region already written in our allocation becomes that node's value and our
 * node stays unreachable garbage in the arena (at most one footprint per lost race, and counted
 * in {@link #sizeBytes()}, so the capacity bound still holds).
 *
 * <p><b>Linearization points.</b> A put of a new {@code (key, version)}: the successful level-0
 * CAS. A put that replaces: its release store of the value word. A get, seek or step: the acquire
 * load of the level-0 link that reaches the node it returns (or NIL); the value it returns is the
 * one whose word its acquire load of the value word saw. {@link #count()} and {@link
 * #maxVersion()} are raised right after the linearization point, so they include every completed
 * put and may lag one in flight.
 *
 * <p><b>Memory model.</b> Everything a put writes into its allocation (fields, key, value region,
 * its own tower) is written with plain stores before the CAS that publishes the node; that CAS has
 * volatile semantics, and every reader follows links with acquire loads, so a reader that reaches
 * a node sees it complete. A replacement writes a fresh value region with plain stores and
 * publishes it with a release store of the value word, paired with acquire loads in readers. A
 * node's own tower slot at level i is written (plainly) only while the node is not yet linked at
 * level i, and nothing reads it before that: it is reachable at level i or above only through
 * links made later.
 *
 * <p><b>Notation.</b> {@code x}, {@code prev}, {@code next}: node offsets; {@code s}: a splice
 * packed in a long, {@code prev << 32 | next}; {@code bigger}: a node known to sort after the
 * target, whose comparison a search may skip when it meets the node again one level down.
 */
public final class ArenaSkipList implements MemTable {

  /** Tallest tower, as Badger: with p = 1/3 this indexes 3^20 entries well. */
  static final int MAX_HEIGHT = 20;

  /** Smallest capacity: the reserved null word and the head node. */
  public static final int MIN_CAPACITY = 8 + 24 + 4 * MAX_HEIGHT;

  /** Largest capacity: offsets are {@code int}s and the JVM caps array lengths a little below. */
  public static final int MAX_CAPACITY = Integer.MAX_VALUE - 1024;

  /** The offset that means "no node". */
  private static final int NIL = 0;
  /** Offset of the head sentinel: the first aligned offset after NIL. */
  private static final int HEAD = 8;

  // Node layout, see the class notes.
  private static final int VALUE_WORD = 0;
  private static final int VERSION = 8;
  private static final int KEY_OFFSET = 16;
  private static final int KEY_LENGTH = 20;
  private static final int HEIGHT = 22;
  private static final int TOWER = 24;

  // Value region layout.
  private static final int META = 0;
  private static final int USER_META = 1;
  private static final int EXPIRES_AT = 2;
  private static final int VALUE_HEADER = 10;

  /** Bytes of the largest node before its key: header and a full tower. */
  private static final int MAX_NODE = TOWER + 4 * MAX_HEIGHT;

  /** A tower grows one level while a random unsigned int is below this: p = 1/3. */
  private static final int HEIGHT_INCREASE = (int) (0xFFFF_FFFFL / 3);

  /**
   * Views of the arena; only aligned offsets may use the atomic modes. The arena is a direct
   * buffer because from JDK 22 on, views of a heap {@code byte[]} support plain access only (the
   * JVM no longer promises their alignment), while views of direct memory keep the atomic modes.
   */
  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private static final VarHandle LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private static final VarHandle SHORT =
      MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());

  /** Big-endian 8-byte reads for key comparison: unsigned long order is byte order. */
  private static final VarHandle ARENA_BE_LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static final VarHandle KEY_BE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static final VarHandle ALLOCATED;
  private static final VarHandle LIST_HEIGHT;
  private static final VarHandle COUNT;
  private static final VarHandle MAX_VERSION;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      ALLOCATED = l.findVarHandle(ArenaSkipList.class, "allocated", int.class);
      LIST_HEIGHT = l.findVarHandle(ArenaSkipList.class, "listHeight", int.class);
      COUNT = l.findVarHandle(ArenaSkipList.class, "count", long.class);
      MAX_VERSION = l.findVarHandle(ArenaSkipList.class, "maxVersion", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Per-thread splice of the last {@link #put}: {@code prev} of level i at [i], {@code next} at
   * [MAX_HEIGHT + i]. Reused so that a put allocates nothing on the heap; put never re-enters.
   * It also serves as the next put's finger (see {@link Finger}).
   */
  private static final ThreadLocal<Finger> FINGER = ThreadLocal.withInitial(Finger::new);

  /**
   * The last put's splice on this thread, and which skiplist it belongs to. A commit inserts its
   * keys in order, so the next key usually lies just after the last: the search starts at the
   * lowest level whose recorded splice still brackets the new key (RocksDB's splice reuse),
   * rather than at the top. Two comparisons per level, against nodes the last put just touched,
   * replace a descent through the whole list; restores of sorted batches spent half their time
   * comparing keys on that descent.
   *
   * <p>The splice is valid for the skiplist named by {@code owner} (a token, so that a thread's
   * finger never keeps an arena reachable) and only if every level of it came from one search
   * ({@code owner} is cleared when a put ends another way). Brackets are always checked by
   * comparison before use, and nodes are never removed, so a finger made stale by other threads'
   * puts only costs the walk to the true splice, as the CAS retry already handles.
   */
  private static final class Finger {
    final int[] splice = new int[2 * MAX_HEIGHT];
    Object owner; // the skiplist's token, or null
    int height; // the list height the splice was searched with
  }

  /** Identifies this skiplist to the fingers (a new one for a recycled arena). */
  private final Object fingerToken = new Object();

  private final ByteBuffer arena;
  private final int capacity;

  /** Bump pointer: the first free offset. Read volatile, advanced by CAS in {@link #allocate}. */
  private volatile int allocated;
  /** Height of the tallest tower ever linked (1..MAX_HEIGHT); raised by CAS, never lowered. */
  private volatile int listHeight;
  /** Nodes inserted (replacements excluded). */
  private volatile long count;
  /** Highest version put. */
  private volatile long maxVersion;

  /**
   * Creates an empty skiplist and allocates its whole arena.
   *
   * @param capacityBytes the arena size in bytes
   * @throws IllegalArgumentException if not between {@link #MIN_CAPACITY} and {@link
   *     #MAX_CAPACITY}
   */
  ArenaSkipList(long capacityBytes) {
    if (capacityBytes < MIN_CAPACITY || capacityBytes > MAX_CAPACITY) {
      throw new IllegalArgumentException("capacityBytes of the arena skiplist is " + capacityBytes
          + "; allowed: " + MIN_CAPACITY + " to " + MAX_CAPACITY);
    }
    this.capacity = (int) capacityBytes;
    this.arena = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    initHead();
  }

  /**
   * An empty skiplist over a recycled arena (see {@link #recycle()}). Only the head needs
   * clearing: every other allocation writes all of its fields and every tower slot it links
   * before publishing the node, so old bytes above {@code allocated} are never read.
   */
  private ArenaSkipList(ArenaSkipList old) {
    this.capacity = old.capacity;
    this.arena = old.arena;
    for (int level = 0; level < MAX_HEIGHT; level++) {
      INT.set(arena, HEAD + TOWER + 4 * level, NIL);
    }
    initHead();
  }

  private void initHead() {
    // Head: empty key, full tower of NIL links, never compared. The arena is published through the
    // final field, so these plain stores are visible to any thread that sees this object.
    INT.set(arena, HEAD + KEY_OFFSET, HEAD + MAX_NODE);
    arena.put(HEAD + HEIGHT, (byte) MAX_HEIGHT);
    this.allocated = HEAD + MAX_NODE;
    this.listHeight = 1;
  }

  // ---------------------------------------------------------------------------------------------
  // MemTable

  /**
   * Inserts one version of a key, or replaces the value of an existing {@code (key, version)}.
   * Lock-free; allocates nothing on the heap.
   *
   * @throws IllegalArgumentException if the key is empty or longer than 65,000 bytes
   */
  @Override
  public boolean put(byte[] key, long version, byte meta, byte userMeta, long expiresAt,
      byte[] value) {
    Keys.check(key);
    Objects.requireNonNull(value, "value");
    final int keyLength = key.length;
    final Finger finger = FINGER.get();
    final int[] splice = finger.splice;
    final int searchHeight = listHeight;
    int before = HEAD;
    int bigger = NIL;
    int top = searchHeight - 1;
    if (finger.owner == fingerToken && finger.height == searchHeight) {
      // Adjacent levels often share a prev or a next: each node is compared once.
      int comparedPrev = -1; // no node sits at a negative offset
      boolean prevBefore = false;
      int comparedNext = -1;
      boolean nextAfter = false;
      for (int level = 0; level < searchHeight; level++) {
        int prev = splice[level];
        int next = splice[MAX_HEIGHT + level];
        if (prev != comparedPrev) {
          comparedPrev = prev;
          prevBefore = prev == HEAD || compareToNode(key, 0, keyLength, version, prev) > 0;
        }
        if (!prevBefore) {
          continue;
        }
        if (next != comparedNext) {
          comparedNext = next;
          nextAfter = next == NIL || compareToNode(key, 0, keyLength, version, next) < 0;
        }
        if (nextAfter) {
          top = level;
          before = prev;
          bigger = next;
          break;
        }
      }
    }
    finger.owner = null; // until every level below is searched for this key
    for (int level = top; level >= 0; level--) {
      long s = findSpliceForLevel(key, 0, keyLength, version, before, bigger, level);
      int prev = splicePrev(s);
      int next = spliceNext(s);
      if (prev == next) {
        return replaceValue(prev, version, meta, userMeta, expiresAt, value);
      }
      splice[level] = prev;
      splice[MAX_HEIGHT + level] = next;
      before = prev;
      bigger = next;
    }

    final int height = randomHeight();
    final int x = allocate(align8((long) TOWER + 4L * height + keyLength + VALUE_HEADER
        + value.length));
    if (x == NIL) {
      return false;
    }
    // Every level of the splice now brackets this key: the next put may start from it.
    finger.owner = fingerToken;
    finger.height = searchHeight;
    final int keyOffset = x + TOWER + 4 * height;
    final int region = keyOffset + keyLength;
    arena.put(keyOffset, key, 0, keyLength);
    writeValueRegion(region, meta, userMeta, expiresAt, value);
    final long word = valueWord(region, value.length);
    LONG.set(arena, x + VALUE_WORD, word);
    LONG.set(arena, x + VERSION, version);
    INT.set(arena, x + KEY_OFFSET, keyOffset);
    SHORT.set(arena, x + KEY_LENGTH, (short) keyLength);
    arena.put(x + HEIGHT, (byte) height);

    raiseListHeight(height);

    // Bottom-up: once linked at level 0 the node is in the set; upper levels only speed searches.
    for (int level = 0; level < height; level++) {
      int prev;
      int next;
      if (level < searchHeight) {
        prev = splice[level];
        next = splice[MAX_HEIGHT + level];
      } else {
        // Above the height we searched: such levels are sparse, start from the head.
        long s = findSpliceForLevel(key, 0, keyLength, version, HEAD, NIL, level);
        prev = splicePrev(s);
        next = spliceNext(s);
        // Equality here would need another node with this (key, version), which our level-0 CAS
        // ruled out.
        assert prev != next : "duplicate found at level " + level;
      }
      while (true) {
        setNextPlain(x, level, next);
        if (casNext(prev, level, next, x)) {
          if (level < searchHeight) {
            splice[level] = x; // the next key in order starts after this one
            splice[MAX_HEIGHT + level] = next;
          }
          break;
        }
        long s = findSpliceForLevel(key, 0, keyLength, version, prev, NIL, level);
        prev = splicePrev(s);
        next = spliceNext(s);
        if (prev == next) {
          // A concurrent put of the same (key, version) linked its node first. Only level 0 can
          // see this: above it, x is the only node with this key and is not linked there yet.
          assert level == 0 : "duplicate found at level " + level;
          finger.owner = null;
          setValueWordRelease(prev, word);
          raiseMaxVersion(version);
          return true;
        }
      }
    }
    COUNT.getAndAdd(this, 1L);
    raiseMaxVersion(version);
    return true;
  }

  /**
   * Finds the newest version of {@code key} at or below {@code readTs}. Wait-free; allocates only
   * the result.
   */
  @Override
  public StoredValue get(byte[] key, long readTs) {
    int x = findGreaterOrEqual(key, 0, key.length, readTs);
    if (x == NIL || !keyEquals(x, key)) {
      return null;
    }
    return readValue(x);
  }

  /** Creates an iterator; it may run concurrently with puts. */
  @Override
  public EntryIterator iterator() {
    return new Iter();
  }

  /**
   * The most a put of these sizes allocates: a node with the tallest tower, the key, the value
   * region header and the value, rounded up to 8. That is at most {@code keyLength + valueLength
   * + 121}.
   */
  @Override
  public long footprint(int keyLength, int valueLength) {
    return align8((long) MAX_NODE + keyLength + VALUE_HEADER + valueLength);
  }

  /** Arena bytes allocated, the head node and any garbage of lost races included. */
  @Override
  public long sizeBytes() {
    return allocated;
  }

  /** The arena size given at creation. */
  /**
   * Returns an empty skiplist over this one's arena. The engine calls it only once every reader
   * is done with this skiplist (see {@link MemTable#recycle()}); this object must not be used
   * afterwards, since the new one overwrites the arena.
   */
  @Override
  public MemTable recycle() {
    return new ArenaSkipList(this);
  }

  /**
   * Frees the arena now rather than when the garbage collector gets to its buffer object: the
   * engine calls this only when no reader and no list refers to the memtable any more (see
   * {@link MemTable#release()}). A memtable lives long enough for its buffer object to reach the
   * old generation, which may not be collected for a long time; meanwhile the dead arenas of a
   * busy process, hundreds of stores in one JVM, held gigabytes of resident memory.
   */
  @Override
  public void release() {
    DirectMemory.free(arena);
  }

  @Override
  public long capacityBytes() {
    return capacity;
  }

  /** Nodes inserted; replacements of an existing {@code (key, version)} do not count. */
  @Override
  public long count() {
    return count;
  }

  /** Highest version put so far, 0 when empty. */
  @Override
  public long maxVersion() {
    return maxVersion;
  }

  @Override
  public String toString() {
    return "ArenaSkipList[count=" + count + ", bytes=" + allocated + "/" + capacity + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Put helpers

  private boolean replaceValue(int x, long version, byte meta, byte userMeta, long expiresAt,
      byte[] value) {
    int region = allocate(align8((long) VALUE_HEADER + value.length));
    if (region == NIL) {
      return false;
    }
    writeValueRegion(region, meta, userMeta, expiresAt, value);
    setValueWordRelease(x, valueWord(region, value.length));
    // The inserting put may not have raised it yet if it is still in flight.
    raiseMaxVersion(version);
    return true;
  }

  private void writeValueRegion(int region, byte meta, byte userMeta, long expiresAt,
      byte[] value) {
    arena.put(region + META, meta);
    arena.put(region + USER_META, userMeta);
    // Plain mode: the region is unaligned when it follows a key, and it is published later.
    LONG.set(arena, region + EXPIRES_AT, expiresAt);
    arena.put(region + VALUE_HEADER, value, 0, value.length);
  }

  /**
   * Reserves {@code size} arena bytes.
   *
   * @return the offset of the reservation, or NIL if it does not fit (nothing reserved)
   */
  private int allocate(long size) {
    int offset = allocated;
    while (true) {
      long end = offset + size;
      if (end > capacity) {
        return NIL;
      }
      int witness = casAllocated(offset, (int) end);
      if (witness == offset) {
        return offset;
      }
      offset = witness;
    }
  }

  /** Raises the list height to at least {@code height} (never lowers it). */
  private void raiseListHeight(int height) {
    int current = listHeight;
    while (height > current) {
      int witness = casListHeight(current, height);
      if (witness == current) {
        return;
      }
      current = witness;
    }
  }

  private void raiseMaxVersion(long version) {
    long current = maxVersion;
    while (version > current) {
      long witness = casMaxVersion(current, version);
      if (witness == current) {
        return;
      }
      current = witness;
    }
  }

  private static int randomHeight() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int height = 1;
    while (height < MAX_HEIGHT && Integer.compareUnsigned(random.nextInt(), HEIGHT_INCREASE) < 0) {
      height++;
    }
    return height;
  }

  /**
   * Walks right on one level from {@code before} (which sorts before the target) to the splice
   * around the target.
   *
   * @param bigger a node known to sort after the target (or NIL): reaching it ends the walk
   *     without a comparison
   * @return {@code prev << 32 | next} with prev before the target and next after it (NIL for the
   *     end), or prev = next = the node equal to the target
   */
  private long findSpliceForLevel(byte[] key, int keyOff, int keyLen, long version, int before,
      int bigger, int level) {
    int prev = before;
    while (true) {
      int next = getNextAcquire(prev, level);
      if (next == NIL || next == bigger) {
        return splice(prev, next);
      }
      int cmp = compareToNode(key, keyOff, keyLen, version, next);
      if (cmp == 0) {
        return splice(next, next);
      }
      if (cmp < 0) {
        return splice(prev, next);
      }
      prev = next;
    }
  }

  private static long splice(int prev, int next) {
    return ((long) prev << 32) | (next & 0xFFFF_FFFFL);
  }

  private static int splicePrev(long s) {
    return (int) (s >>> 32);
  }

  private static int spliceNext(long s) {
    return (int) s;
  }

  // ---------------------------------------------------------------------------------------------
  // Searches (readers)

  /** The first node at or after the target in internal order, or NIL. */
  private int findGreaterOrEqual(byte[] key, int keyOff, int keyLen, long version) {
    int x = HEAD;
    int level = listHeight - 1;
    int bigger = NIL;
    while (true) {
      int next = getNextAcquire(x, level);
      if (next != NIL && next != bigger) {
        int cmp = compareToNode(key, keyOff, keyLen, version, next);
        if (cmp > 0) {
          x = next;
          continue;
        }
        if (cmp == 0) {
          return next;
        }
        bigger = next;
      }
      if (level == 0) {
        return next;
      }
      level--;
    }
  }

  /**
   * The last node before the target (or at it, if {@code orEqual}) in internal order, or NIL.
   */
  private int findLess(byte[] key, int keyOff, int keyLen, long version, boolean orEqual) {
    int x = HEAD;
    int level = listHeight - 1;
    int bigger = NIL; // here: a node known not to qualify
    while (true) {
      int next = getNextAcquire(x, level);
      if (next != NIL && next != bigger) {
        int cmp = compareToNode(key, keyOff, keyLen, version, next);
        if (cmp > 0 || (cmp == 0 && orEqual)) {
          x = next;
          continue;
        }
        bigger = next;
      }
      if (level == 0) {
        return x == HEAD ? NIL : x;
      }
      level--;
    }
  }

  /** The last node, or NIL when empty. */
  private int findLast() {
    int x = HEAD;
    int level = listHeight - 1;
    while (true) {
      int next = getNextAcquire(x, level);
      if (next != NIL) {
        x = next;
        continue;
      }
      if (level == 0) {
        return x == HEAD ? NIL : x;
      }
      level--;
    }
  }

  /**
   * Compares a target with a node in internal order.
   *
   * @return negative if the target sorts before node {@code x}, 0 if equal, positive if after
   */
  private int compareToNode(byte[] key, int keyOff, int keyLen, long version, int x) {
    int nodeKey = keyOffset(x);
    int c = compareKeys(key, keyOff, keyLen, nodeKey, keyLength(x));
    if (c != 0) {
      return c;
    }
    // Versions descend: a newer target comes first. Unsigned, as Keys.compareInternal.
    return Long.compareUnsigned(nodeVersion(x), version);
  }

  /**
   * Compares {@code key[keyOff, keyOff + keyLen)} with the arena bytes {@code [nodeKey, nodeKey +
   * nodeLen)} as unsigned byte strings, eight bytes at a time (big-endian longs compare like their
   * bytes), without allocating.
   */
  private int compareKeys(byte[] key, int keyOff, int keyLen, int nodeKey, int nodeLen) {
    int n = Math.min(keyLen, nodeLen);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long a = (long) KEY_BE_LONG.get(key, keyOff + i);
      long b = (long) ARENA_BE_LONG.get(arena, nodeKey + i);
      if (a != b) {
        return Long.compareUnsigned(a, b);
      }
    }
    for (; i < n; i++) {
      int a = key[keyOff + i] & 0xFF;
      int b = arena.get(nodeKey + i) & 0xFF;
      if (a != b) {
        return a - b;
      }
    }
    return keyLen - nodeLen;
  }

  private boolean keyEquals(int x, byte[] key) {
    int nodeKey = keyOffset(x);
    return keyLength(x) == key.length
        && compareKeys(key, 0, key.length, nodeKey, key.length) == 0;
  }

  private byte[] copyKey(int x) {
    int nodeKey = keyOffset(x);
    byte[] k = new byte[keyLength(x)];
    arena.get(nodeKey, k, 0, k.length);
    return k;
  }

  private StoredValue readValue(int x) {
    long word = getValueWordAcquire(x);
    int region = (int) (word >>> 32);
    int length = (int) word;
    // Plain reads: the acquire load of the word orders them after the stores that filled the
    // region, which nobody writes again.
    long expiresAt = (long) LONG.get(arena, region + EXPIRES_AT);
    int start = region + VALUE_HEADER;
    byte[] value = new byte[length];
    arena.get(start, value, 0, length);
    return new StoredValue(nodeVersion(x), arena.get(region + META), arena.get(region + USER_META),
        expiresAt, value);
  }

  // ---------------------------------------------------------------------------------------------
  // Arena accessors: one per field and access mode.

  private static long valueWord(int region, int length) {
    return ((long) region << 32) | (length & 0xFFFF_FFFFL);
  }

  private static long align8(long n) {
    return (n + 7) & ~7L;
  }

  /** Acquire: pairs with the release store of a replacement, so the region it names is filled. */
  private long getValueWordAcquire(int x) {
    return (long) LONG.getAcquire(arena, x + VALUE_WORD);
  }

  /** Release: publishes the value region written just before with plain stores. */
  private void setValueWordRelease(int x, long word) {
    LONG.setRelease(arena, x + VALUE_WORD, word);
  }

  /** Plain: immutable after publication, and the node was reached through an acquire load. */
  private long nodeVersion(int x) {
    return (long) LONG.get(arena, x + VERSION);
  }

  /** Plain: immutable after publication. */
  private int keyOffset(int x) {
    return (int) INT.get(arena, x + KEY_OFFSET);
  }

  /** Plain: immutable after publication. */
  private int keyLength(int x) {
    return Short.toUnsignedInt((short) SHORT.get(arena, x + KEY_LENGTH));
  }

  /**
   * Acquire: the node it returns was filled with plain stores before the CAS that linked it; the
   * acquire makes those stores visible to this thread.
   */
  private int getNextAcquire(int x, int level) {
    return (int) INT.getAcquire(arena, x + TOWER + 4 * level);
  }

  /** Plain: x is not yet linked at this level, so no other thread reads this slot yet. */
  private void setNextPlain(int x, int level, int next) {
    INT.set(arena, x + TOWER + 4 * level, next);
  }

  /**
   * Volatile CAS: links {@code x} after {@code prev}; its release half publishes everything the
   * inserting thread wrote into x, and it fails if another node was linked there meanwhile.
   */
  private boolean casNext(int prev, int level, int expected, int x) {
    return INT.compareAndSet(arena, prev + TOWER + 4 * level, expected, x);
  }

  /** Volatile CAS on the bump pointer; returns the witness value. */
  private int casAllocated(int expected, int end) {
    return (int) ALLOCATED.compareAndExchange(this, expected, end);
  }

  /** Volatile CAS: the list height is a hint read by every search; returns the witness value. */
  private int casListHeight(int expected, int height) {
    return (int) LIST_HEIGHT.compareAndExchange(this, expected, height);
  }

  /** Volatile CAS on the statistics; returns the witness value. */
  private long casMaxVersion(long expected, long version) {
    return (long) MAX_VERSION.compareAndExchange(this, expected, version);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * A cursor holding one node offset. Forward steps follow level 0; backward steps search from
   * the top for the last node before the current one (the list has no back links), as Badger does.
   */
  private final class Iter implements EntryIterator {
    private int x = NIL;

    @Override
    public boolean valid() {
      return x != NIL;
    }

    @Override
    public void seekToFirst() {
      x = getNextAcquire(HEAD, 0);
    }

    @Override
    public void seekToLast() {
      x = findLast();
    }

    @Override
    public void seek(byte[] key, long version) {
      x = findGreaterOrEqual(key, 0, key.length, version);
    }

    @Override
    public void seekForPrev(byte[] key, long version) {
      x = findLess(key, 0, key.length, version, true);
    }

    @Override
    public void next() {
      x = getNextAcquire(current(), 0);
    }

    @Override
    public void prev() {
      int cur = current();
      byte[] k = copyKey(cur);
      x = findLess(k, 0, k.length, nodeVersion(cur), false);
    }

    @Override
    public byte[] key() {
      return copyKey(current());
    }

    @Override
    public long version() {
      return nodeVersion(current());
    }

    @Override
    public StoredValue value() {
      return readValue(current());
    }

    @Override
    public void close() {
      x = NIL;
    }

    private int current() {
      if (x == NIL) {
        throw new NoSuchElementException("iterator is not positioned on an entry");
      }
      return x;
    }
  }
}
