package dev.sett.kv.testkit;

import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.Storage;
import dev.sett.kv.io.StorageLock;
import dev.sett.kv.io.WritableFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A {@link Storage} that wraps another one, injects I/O faults and simulates power loss (after
 * Lucene's {@code MockDirectoryWrapper} and LevelDB's fault-injection environment).
 *
 * <p><b>Durability model.</b> The one {@link Storage} documents: bytes appended to a file survive
 * a power loss only up to the length covered by its last {@link WritableFile#sync()}; a creation,
 * rename or deletion survives only once {@link #syncDirectory()} has run after it. This class
 * tracks, per file, the synced length, and the namespace (name to file) as of the last directory
 * sync. {@link #crash(long)} then rewrites the wrapped storage into one state a real disk could
 * show after power loss: names go back to the durable namespace and each unsynced tail gets a
 * seeded {@link Fate}. Files already in the wrapped storage when they are first seen (at
 * construction, or made behind this wrapper's back, like the NIO lock file) count as durable and
 * fully synced.
 *
 * <p><b>Faults.</b> {@link #failOn} fails the Nth call of an {@link Op} from now, {@link
 * #failRandomly} fails calls with a seeded probability; a failed write first writes a seeded
 * prefix of its bytes (unless {@link #partialWrites(boolean)} is off). {@link #quota(long)} caps
 * the bytes in live files: a write that does not fit writes what fits and throws {@code
 * IOException("No space left on device ...")}. The crash itself never suffers injected faults.
 *
 * <p><b>Simplifications</b>, chosen so the model stays small and errs toward losing data: a
 * truncation is durable at once (the synced length drops with it); a file deleted or replaced
 * while a durable name still points at it is copied to the heap, so tests should keep files small;
 * a failed sync leaves the synced length where it was; writes through a handle whose file was
 * deleted are not part of the restored copy.
 *
 * <p>Handles check for use after close (an {@code IOException}, stricter than {@link
 * dev.sett.kv.io.MemoryStorage}); {@link #openHandles()} and {@link #assertNoOpenHandles()} catch
 * leaks. Instances are independent: nothing is static, so tests can run in parallel.
 */
public final class FaultyStorage implements Storage {

  /*
   * Concurrency notes.
   *
   * Callers: a database's writer thread (append, sync), its background threads (create, rename,
   * delete, syncDirectory), reader threads (positional reads) and the test thread (fault
   * settings, crash()). One private monitor, `mu`, guards every mutable field and is held across
   * each delegated I/O call. That serializes all I/O through this storage, which costs nothing
   * that matters in tests and buys two things: the model (synced lengths, namespaces, quota)
   * always matches the wrapped storage's contents, and crash() is atomic with respect to every
   * other call: an operation either completed before the crash, and is subject to its fates, or
   * runs after it and finds its handle dead.
   *
   * The delegate never calls back into this class, so holding `mu` across delegate calls cannot
   * deadlock. Fault draws happen under `mu` too: a single-threaded workload sees the same faults
   * for the same seed; with several threads, which call draws which number is up to the
   * scheduler. crash() draws from its own Random(seed) in name order, so its fates depend only on
   * the seed and the files.
   *
   * Interrupts: this class neither adds nor hides any. Waiting for `mu` (a monitor) is not
   * interruptible, so an interrupted thread never disturbs another's call here, and whatever the
   * delegate does with an interrupt passes through unchanged: over NioStorage the interrupted
   * read throws InterruptedIOException (the handle stays usable, the flag stays set) and
   * syncDirectory() ignores the interrupt; MemoryStorage ignores interrupts. An interrupted read
   * counts as a READ call, not as an injected fault, and leaves the model as it was. The model's
   * own reads inside rename and delete (sizeOf, readAll) run with the flag cleared: the real
   * calls read nothing, so an interrupt must not fail them here.
   */

  /** The kinds of calls that can be counted and failed. */
  public enum Op {
    /** {@link Storage#create}. */
    CREATE,
    /** {@link Storage#openRead} and {@link Storage#openForAppend}. */
    OPEN,
    /** {@link WritableFile#write}. */
    WRITE,
    /** {@link WritableFile#truncate}. */
    TRUNCATE,
    /** {@link WritableFile#sync}. */
    SYNC,
    /** {@link ReadableFile#readFully}. */
    READ,
    /** {@link Storage#rename}. */
    RENAME,
    /** {@link Storage#delete}. */
    DELETE,
    /** {@link Storage#syncDirectory}. */
    SYNC_DIRECTORY
  }

  /** What a power loss does to the unsynced tail of a file (the bytes past its synced length). */
  public enum Fate {
    /** The tail is lost: the file ends at its synced length. */
    DROP,
    /** The file is cut at a random point inside the tail. */
    TRUNCATE,
    /** The length survives but the last 1 to all bytes of the tail read as zeros. */
    ZERO_TAIL,
    /** The whole tail survives with one random bit flipped. */
    FLIP_BIT,
    /** The tail survives intact. */
    KEEP
  }

  /**
   * The fate one file's unsynced tail met in a crash.
   *
   * @param name the file
   * @param fate what happened to the tail
   * @param syncedLength the length covered by the last sync (kept whatever the fate)
   * @param lengthBefore the length before the crash
   * @param lengthAfter the length after the crash
   * @param detail where the damage is, for messages
   */
  public record FileFate(
      String name, Fate fate, long syncedLength, long lengthBefore, long lengthAfter,
      String detail) {

    @Override
    public String toString() {
      return name + ": " + fate + " (synced " + syncedLength + " of " + lengthBefore
          + " bytes, now " + lengthAfter + (detail.isEmpty() ? "" : "; " + detail) + ")";
    }
  }

  /**
   * What a {@link #crash} did, for assertions and test messages.
   *
   * @param seed the crash seed
   * @param files the fate of every file that had an unsynced tail, by name
   * @param namespace the creations, renames and deletions undone, one sentence each
   */
  public record CrashReport(long seed, List<FileFate> files, List<String> namespace) {

    /**
     * Copies the lists.
     *
     * @param seed the crash seed
     * @param files the file fates
     * @param namespace the namespace changes undone
     */
    public CrashReport {
      files = List.copyOf(files);
      namespace = List.copyOf(namespace);
    }

    /**
     * The fate of one file's unsynced tail.
     *
     * @param name the file
     * @return its fate, empty if it had no unsynced tail (or did not survive)
     */
    public Optional<Fate> fateOf(String name) {
      return files.stream().filter(f -> f.name().equals(name)).map(FileFate::fate).findFirst();
    }

    @Override
    public String toString() {
      return "crash(seed=" + TestSeeds.format(seed) + "): namespace " + namespace + ", files "
          + files;
    }
  }

  private final Object mu = new Object();
  private final Storage delegate;
  private final Random random;

  /** What the delegate holds now, name to file, for every file we know of. */
  private final Map<String, Inode> live = new HashMap<>();
  /** The namespace as of the last directory sync: what a power loss leaves. */
  private Map<String, Inode> durable = new HashMap<>();

  private final Set<Handle> handles = new LinkedHashSet<>();
  private final Set<StorageLock> heldLocks = Collections.newSetFromMap(new IdentityHashMap<>());

  private final long[] counts = new long[Op.values().length];
  private final long[] countdowns = new long[Op.values().length];
  @SuppressWarnings("unchecked")
  private final Predicate<String>[] matching = new Predicate[Op.values().length];
  private final double[] probabilities = new double[Op.values().length];
  private boolean partialWrites = true;
  private long quota = Long.MAX_VALUE;
  private long faultsInjected;

  /**
   * Wraps a storage. Files it already holds count as durable and fully synced.
   *
   * @param delegate the storage to wrap; use it only through this wrapper from now on
   * @param seed seeds the random faults and partial writes (not the crash fates)
   * @throws IOException if the existing files cannot be listed or sized
   */
  public FaultyStorage(Storage delegate, long seed) throws IOException {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.random = new Random(seed);
    for (String name : delegate.list()) {
      track(name);
    }
  }

  /**
   * The wrapped storage, for inspecting files behind the model's back.
   *
   * @return the delegate
   */
  public Storage delegate() {
    return delegate;
  }

  // ---- fault settings -----------------------------------------------------------------------

  /**
   * Makes the {@code n}th call of a kind from now throw an {@link IOException} (once). Replaces an
   * earlier countdown for the same kind.
   *
   * @param op the kind of call
   * @param n 1 for the next call
   * @return this
   */
  public FaultyStorage failOn(Op op, long n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1: " + n);
    }
    synchronized (mu) {
      countdowns[op.ordinal()] = n;
    }
    return this;
  }

  /**
   * Makes each call of a kind fail with a probability, drawn from the constructor's seed.
   *
   * @param op the kind of call
   * @param probability from 0 (never, the default) to 1 (always)
   * @return this
   */
  public FaultyStorage failRandomly(Op op, double probability) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1]: " + probability);
    }
    synchronized (mu) {
      probabilities[op.ordinal()] = probability;
    }
    return this;
  }

  /**
   * Makes every call of a kind on a file whose name matches fail, until {@link #clearFaults()}:
   * a lasting fault of one file (a MANIFEST that cannot be written, a disk region that fails).
   * The predicate runs on the calling thread, so it may also look at which thread calls.
   *
   * @param op the kind of call: one that names a file ({@code CREATE}, {@code OPEN},
   *     {@code WRITE}, {@code SYNC}, {@code TRUNCATE}, {@code READ}, {@code DELETE})
   * @param names which file names fail
   * @return this
   */
  public FaultyStorage failMatching(Op op, Predicate<String> names) {
    Objects.requireNonNull(names, "names");
    synchronized (mu) {
      matching[op.ordinal()] = names;
    }
    return this;
  }

  /**
   * Whether a failed write first writes a seeded prefix (possibly empty) of its bytes. On by
   * default, as {@link WritableFile#write} allows.
   *
   * @param enabled {@code false} to write nothing before failing
   * @return this
   */
  public FaultyStorage partialWrites(boolean enabled) {
    synchronized (mu) {
      partialWrites = enabled;
    }
    return this;
  }

  /**
   * Caps the total length of live files (disk full). Files already over it stay; writes fail.
   *
   * @param bytes the cap; {@link Long#MAX_VALUE} for none (the default)
   * @return this
   */
  public FaultyStorage quota(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("quota must not be negative: " + bytes);
    }
    synchronized (mu) {
      quota = bytes;
    }
    return this;
  }

  /**
   * Disarms every countdown and probability and lifts the quota, typically before reopening a
   * database after a fault.
   *
   * @return this
   */
  public FaultyStorage clearFaults() {
    synchronized (mu) {
      Arrays.fill(countdowns, 0);
      Arrays.fill(matching, null);
      Arrays.fill(probabilities, 0);
      quota = Long.MAX_VALUE;
    }
    return this;
  }

  // ---- observation --------------------------------------------------------------------------

  /**
   * How many calls of a kind were made, failed ones included.
   *
   * @param op the kind of call
   * @return the count since construction
   */
  public long count(Op op) {
    synchronized (mu) {
      return counts[op.ordinal()];
    }
  }

  /**
   * The calls made per kind.
   *
   * @return a snapshot of every counter
   */
  public Map<Op, Long> counts() {
    synchronized (mu) {
      Map<Op, Long> m = new EnumMap<>(Op.class);
      for (Op op : Op.values()) {
        m.put(op, counts[op.ordinal()]);
      }
      return m;
    }
  }

  /**
   * How many faults (countdown, random or quota) were injected; an "fail the Nth call" loop stops
   * when a run injects none.
   *
   * @return the count since construction
   */
  public long faultsInjected() {
    synchronized (mu) {
      return faultsInjected;
    }
  }

  /**
   * The bytes in live files, as counted against the quota.
   *
   * @return bytes
   */
  public long usedBytes() {
    synchronized (mu) {
      return used();
    }
  }

  /**
   * The length of a file that a power loss now would keep for sure.
   *
   * @param name the file
   * @return its synced length, empty if no such live file is known
   */
  public OptionalLong syncedLength(String name) {
    synchronized (mu) {
      Inode inode = live.get(name);
      return inode == null ? OptionalLong.empty() : OptionalLong.of(inode.synced);
    }
  }

  /**
   * The handles opened through this storage and not closed, oldest first.
   *
   * @return one {@code "read NAME"} or {@code "write NAME"} per open handle
   */
  public List<String> openHandles() {
    synchronized (mu) {
      List<String> out = new ArrayList<>();
      for (Handle h : handles) {
        out.add(h.kind + " " + h.name);
      }
      return out;
    }
  }

  /**
   * Fails if any handle is open; each is reported with the stack that opened it.
   *
   * @throws AssertionError if a handle leaked
   */
  public void assertNoOpenHandles() {
    synchronized (mu) {
      if (handles.isEmpty()) {
        return;
      }
      AssertionError e = new AssertionError("open handles on " + describe() + ": " + openHandles());
      handles.forEach(h -> e.addSuppressed(h.openedAt));
      throw e;
    }
  }

  // ---- power loss ---------------------------------------------------------------------------

  /**
   * Simulates a power loss with every {@link Fate} possible. See {@link #crash(long, Set)}.
   *
   * @param seed chooses the fates
   * @return what happened
   * @throws IOException if the wrapped storage fails; this storage is then unusable
   */
  public CrashReport crash(long seed) throws IOException {
    return crash(seed, EnumSet.allOf(Fate.class));
  }

  /**
   * Simulates a power loss: every handle opened before it throws {@link IOException} on use (its
   * {@code close()} does nothing), held locks are released, creations, renames and deletions not
   * made durable by {@link #syncDirectory()} are undone, and each file's unsynced tail gets one
   * fate drawn from {@code fates}. Afterwards everything on the storage counts as durable, and it
   * can be used again (a database reopens on it). Fault settings and counters are kept.
   *
   * @param seed chooses the fates, in file name order
   * @param fates the fates to draw from, not empty
   * @return what happened
   * @throws IOException if the wrapped storage fails; this storage is then unusable
   */
  public CrashReport crash(long seed, Set<Fate> fates) throws IOException {
    if (fates.isEmpty()) {
      throw new IllegalArgumentException("no fates to choose from");
    }
    List<Fate> choices = List.copyOf(EnumSet.copyOf(fates)); // in declaration order: reproducible
    synchronized (mu) {
      Random rnd = new Random(seed);
      List<String> events = new ArrayList<>();
      List<FileFate> files = new ArrayList<>();

      // The power goes: every handle and lock dies with the process.
      for (Handle h : handles) {
        h.crashed = true;
        closeQuietly(h::closeFile);
      }
      handles.clear();
      heldLocks.forEach(FaultyStorage::closeQuietly);
      heldLocks.clear();

      // Undo what the directory never recorded. Files living under a name other than their
      // durable one go through temporary names first, so renames that swapped names unwind.
      Map<Inode, String> home = new IdentityHashMap<>();
      durable.forEach((name, inode) -> home.put(inode, name));
      Map<String, Inode> parked = new TreeMap<>();
      for (Map.Entry<String, Inode> e : new TreeMap<>(live).entrySet()) {
        String name = e.getKey();
        String durableName = home.get(e.getValue());
        if (durableName == null) {
          delegate.delete(name);
          events.add(name + ": vanished (its creation was never made durable)");
        } else if (!durableName.equals(name)) {
          String tmp = ".faulty-crash-" + parked.size();
          delegate.rename(name, tmp);
          parked.put(tmp, e.getValue());
          events.add(name + ": rename undone, back to " + durableName);
        }
      }
      for (Map.Entry<String, Inode> e : parked.entrySet()) {
        delegate.rename(e.getKey(), home.get(e.getValue()));
      }
      Set<Inode> alive = Collections.newSetFromMap(new IdentityHashMap<>());
      alive.addAll(live.values());
      for (Map.Entry<String, Inode> e : new TreeMap<>(durable).entrySet()) {
        if (!alive.contains(e.getValue())) {
          byte[] saved = e.getValue().saved;
          try (WritableFile w = delegate.create(e.getKey())) {
            w.write(saved, 0, saved.length);
          }
          events.add(e.getKey() + ": restored (its removal was never made durable)");
        }
      }

      // Give each unsynced tail its fate.
      Map<String, Inode> after = new HashMap<>();
      for (Map.Entry<String, Inode> e : new TreeMap<>(durable).entrySet()) {
        String name = e.getKey();
        long length = sizeOf(name);
        long synced = Math.min(e.getValue().synced, length);
        if (length > synced) {
          Fate fate = choices.get(rnd.nextInt(choices.size()));
          FileFate f = applyFate(name, synced, length, fate, rnd);
          files.add(f);
          length = f.lengthAfter();
        }
        after.put(name, new Inode(length, length));
      }
      delegate.syncDirectory();
      live.clear();
      live.putAll(after);
      durable = new HashMap<>(after);
      return new CrashReport(seed, files, events);
    }
  }

  private FileFate applyFate(String name, long synced, long length, Fate fate, Random rnd)
      throws IOException {
    byte[] tail = new byte[Math.toIntExact(length - synced)];
    try (ReadableFile r = delegate.openRead(name)) {
      r.readFully(synced, tail, 0, tail.length);
    }
    String detail = "";
    switch (fate) {
      case DROP -> tail = new byte[0];
      case TRUNCATE -> tail = Arrays.copyOf(tail, rnd.nextInt(tail.length));
      case ZERO_TAIL -> {
        int from = tail.length - 1 - rnd.nextInt(tail.length);
        Arrays.fill(tail, from, tail.length, (byte) 0);
        detail = "zeros from byte " + (synced + from);
      }
      case FLIP_BIT -> {
        int at = rnd.nextInt(tail.length);
        int bit = rnd.nextInt(8);
        tail[at] ^= (byte) (1 << bit);
        detail = "bit " + bit + " of byte " + (synced + at) + " flipped";
      }
      case KEEP -> { }
    }
    if (fate != Fate.KEEP) {
      try (WritableFile w = delegate.openForAppend(name)) {
        w.truncate(synced);
        w.write(tail, 0, tail.length);
        w.sync();
      }
    }
    return new FileFate(name, fate, synced, length, synced + tail.length, detail);
  }

  // ---- Storage ------------------------------------------------------------------------------

  @Override
  public WritableFile create(String name) throws IOException {
    synchronized (mu) {
      check(Op.CREATE, name);
      WritableFile f = delegate.create(name);
      Inode inode = new Inode(0, 0);
      live.put(name, inode);
      return register(new Writable(name, inode, f));
    }
  }

  @Override
  public WritableFile openForAppend(String name) throws IOException {
    synchronized (mu) {
      check(Op.OPEN, name);
      WritableFile f = delegate.openForAppend(name);
      Inode inode = live.get(name);
      return register(new Writable(name, inode != null ? inode : adopt(name, f.size()), f));
    }
  }

  @Override
  public ReadableFile openRead(String name) throws IOException {
    synchronized (mu) {
      check(Op.OPEN, name);
      return register(new Readable(name, delegate.openRead(name)));
    }
  }

  @Override
  public boolean exists(String name) throws IOException {
    synchronized (mu) {
      return delegate.exists(name);
    }
  }

  @Override
  public List<String> list() throws IOException {
    synchronized (mu) {
      return delegate.list();
    }
  }

  @Override
  public void rename(String from, String to) throws IOException {
    synchronized (mu) {
      check(Op.RENAME, from + " -> " + to);
      Inode src = track(from);
      Inode dst = from.equals(to) ? null : track(to);
      // A replaced file that a durable name still points at comes back after a crash.
      byte[] keep = dst != null && durable.containsValue(dst) ? readAll(to) : null;
      delegate.rename(from, to);
      if (src != null && dst != src) {
        live.remove(from);
        live.put(to, src);
      }
      if (keep != null) {
        dst.saved = keep;
      }
    }
  }

  @Override
  public void delete(String name) throws IOException {
    synchronized (mu) {
      check(Op.DELETE, name);
      Inode inode = track(name);
      byte[] keep = inode != null && durable.containsValue(inode) ? readAll(name) : null;
      delegate.delete(name);
      live.remove(name);
      if (keep != null) {
        inode.saved = keep;
      }
    }
  }

  @Override
  public void syncDirectory() throws IOException {
    synchronized (mu) {
      check(Op.SYNC_DIRECTORY, delegate.describe());
      delegate.syncDirectory();
      // Files unlinked so far lose their last durable name here; their saved bytes go with them.
      durable = new HashMap<>(live);
    }
  }

  @Override
  public StorageLock lock(String name) throws IOException {
    synchronized (mu) {
      StorageLock held = delegate.lock(name);
      heldLocks.add(held);
      return () -> {
        synchronized (mu) {
          if (heldLocks.remove(held)) { // else already released, by close() or crash()
            held.close();
          }
        }
      };
    }
  }

  @Override
  public String describe() {
    return "faulty " + delegate.describe();
  }

  @Override
  public String toString() {
    return "FaultyStorage[" + delegate + "]";
  }

  // ---- internals (all under mu) -------------------------------------------------------------

  /** Counts a call and throws if a fault is due. */
  private void check(Op op, String what) throws IOException {
    if (faultDue(op, what)) {
      throw injected(op, what);
    }
  }

  private boolean faultDue(Op op, String name) {
    int i = op.ordinal();
    counts[i]++;
    boolean due = countdowns[i] > 0 && --countdowns[i] == 0;
    due |= matching[i] != null && matching[i].test(name);
    // Draw only when a probability is set, so arming one kind leaves the others' draws alone.
    due |= probabilities[i] > 0 && random.nextDouble() < probabilities[i];
    if (due) {
      faultsInjected++;
    }
    return due;
  }

  private IOException injected(Op op, String what) {
    return new IOException("injected fault: " + op + " call #" + counts[op.ordinal()] + " ("
        + what + ") on " + describe());
  }

  private long used() {
    long sum = 0;
    for (Inode inode : live.values()) {
      sum += inode.size;
    }
    return sum;
  }

  /** The model of a live file, adopting one the delegate holds but we never saw as durable. */
  private Inode track(String name) throws IOException {
    Inode inode = live.get(name);
    return inode != null || !delegate.exists(name) ? inode : adopt(name, sizeOf(name));
  }

  private Inode adopt(String name, long size) {
    Inode inode = new Inode(size, size);
    live.put(name, inode);
    durable.putIfAbsent(name, inode); // never shadow a deleted file that must come back
    return inode;
  }

  /*
   * sizeOf and readAll are the model's own reads, done inside a caller's rename or delete (and by
   * crash). A real rename or delete reads nothing, so an interrupted caller must not fail here:
   * they run with the caller's interrupt flag cleared and set it again afterwards.
   */

  private long sizeOf(String name) throws IOException {
    boolean interrupted = Thread.interrupted();
    try (ReadableFile r = delegate.openRead(name)) {
      return r.size();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private byte[] readAll(String name) throws IOException {
    boolean interrupted = Thread.interrupted();
    try (ReadableFile r = delegate.openRead(name)) {
      byte[] b = new byte[Math.toIntExact(r.size())];
      r.readFully(0, b, 0, b.length);
      return b;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private <H extends Handle> H register(H h) {
    handles.add(h);
    return h;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // The power is gone: nothing that fails while dropping a handle matters any more.
    }
  }

  /** One file independent of its name: a rename moves it, a delete unlinks it. */
  private static final class Inode {
    long size;
    long synced;
    /** The content when it was unlinked while a durable name still pointed at it. */
    byte[] saved;

    Inode(long size, long synced) {
      this.size = size;
      this.synced = synced;
    }
  }

  /** What both kinds of handle share; the flags are guarded by mu. */
  private abstract class Handle implements AutoCloseable {
    final String name;
    final String kind;
    final Throwable openedAt;
    boolean closed;
    boolean crashed;

    Handle(String name, String kind) {
      this.name = name;
      this.kind = kind;
      this.openedAt = new Throwable(kind + " " + name + " opened here");
    }

    /** Closes the delegate's handle. */
    abstract void closeFile() throws IOException;

    public String name() {
      return name;
    }

    void ensureUsable() throws IOException {
      if (crashed) {
        throw new IOException(name + ": handle opened before a simulated crash of " + describe());
      }
      if (closed) {
        throw new IOException(name + ": handle is closed");
      }
    }

    /** Idempotent; does nothing after a crash, so abandoned databases can still be closed. */
    @Override
    public void close() throws IOException {
      synchronized (mu) {
        if (!closed && !crashed) {
          closed = true;
          handles.remove(this);
          closeFile();
        }
      }
    }
  }

  private final class Writable extends Handle implements WritableFile {
    private final Inode inode;
    private final WritableFile file;

    Writable(String name, Inode inode, WritableFile file) {
      super(name, "write");
      this.inode = inode;
      this.file = file;
    }

    @Override
    void closeFile() throws IOException {
      file.close();
    }

    @Override
    public long size() {
      synchronized (mu) {
        return file.size();
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      synchronized (mu) {
        ensureUsable();
        boolean fault = faultDue(Op.WRITE, name);
        int n = !fault ? len : partialWrites && len > 0 ? random.nextInt(len) : 0;
        long room = quota - used();
        boolean full = n > room;
        if (full) {
          n = (int) Math.max(0, room);
          if (!fault) {
            faultsInjected++;
          }
        }
        long before = file.size();
        try {
          file.write(b, off, n);
        } finally {
          inode.size += file.size() - before;
        }
        if (fault) {
          throw injected(Op.WRITE, name);
        }
        if (full) {
          throw new IOException("No space left on device: " + name + " wanted " + len
              + " bytes, quota " + quota + " bytes on " + describe());
        }
      }
    }

    @Override
    public void sync() throws IOException {
      synchronized (mu) {
        ensureUsable();
        check(Op.SYNC, name);
        file.sync();
        inode.synced = file.size();
      }
    }

    @Override
    public void truncate(long size) throws IOException {
      synchronized (mu) {
        ensureUsable();
        check(Op.TRUNCATE, name);
        file.truncate(size);
        inode.size = file.size();
        inode.synced = Math.min(inode.synced, inode.size);
      }
    }
  }

  private final class Readable extends Handle implements ReadableFile {
    private final ReadableFile file;

    Readable(String name, ReadableFile file) {
      super(name, "read");
      this.file = file;
    }

    @Override
    void closeFile() throws IOException {
      file.close();
    }

    @Override
    public long size() throws IOException {
      synchronized (mu) {
        ensureUsable();
        return file.size();
      }
    }

    @Override
    public void readFully(long position, byte[] dst, int off, int len) throws IOException {
      synchronized (mu) {
        ensureUsable();
        check(Op.READ, name);
        file.readFully(position, dst, off, len);
      }
    }
  }
}
