package dev.sett.kv.io;

import dev.sett.kv.DirectoryLockedException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The default {@link Storage}: files in one directory of the default file system.
 *
 * <p>Interrupts. NIO closes a {@link FileChannel} when a thread is interrupted during an I/O call
 * on it (or starts one with its interrupt flag set), for every thread that uses the channel. Here
 * an interrupt affects only the interrupted call, never the file and never another thread:
 *
 * <ul>
 *   <li>Appends go through {@link RandomAccessFile#write(byte[], int, int)}, which interrupts do
 *       not touch, so a user thread interrupted while it leads a group commit cannot kill the WAL.
 *   <li>Reads are positional {@link FileChannel} reads (table files are shared by every reader);
 *       a {@link ReadableFile} reopens its channel when an interrupt closed it. The interrupted
 *       thread gets an {@link InterruptedIOException} and keeps its interrupt flag; every other
 *       thread's read goes on, on the new channel. See the notes in {@code NioReadableFile}.
 *   <li>{@link #syncDirectory()}, {@link #lock} and the lock's release run with the caller's
 *       interrupt flag cleared, retry if an interrupt arrives meanwhile, and restore the flag.
 * </ul>
 */
public final class NioStorage implements Storage {
  private final Path dir;

  /**
   * Opens (creating if needed) a directory.
   *
   * @param dir the directory
   * @throws IOException if it cannot be created or is not a directory
   */
  public NioStorage(Path dir) throws IOException {
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
    Files.createDirectories(this.dir);
  }

  /**
   * The directory.
   *
   * @return its absolute path
   */
  public Path dir() {
    return dir;
  }

  private Path resolve(String name) {
    if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0
        || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not a plain file name: '" + name + "'");
    }
    return dir.resolve(name);
  }

  @Override
  public WritableFile create(String name) throws IOException {
    Path p = resolve(name);
    Files.createFile(p); // fails with FileAlreadyExistsException: files are write-once
    return new NioWritableFile(name, new RandomAccessFile(p.toFile(), "rw"));
  }

  @Override
  public WritableFile openForAppend(String name) throws IOException {
    Path p = resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new NoSuchFileException(p.toString());
    }
    RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw");
    raf.seek(raf.length());
    return new NioWritableFile(name, raf);
  }

  @Override
  public ReadableFile openRead(String name) throws IOException {
    Path p = resolve(name);
    return new NioReadableFile(name, p, FileChannel.open(p, StandardOpenOption.READ));
  }

  @Override
  public boolean exists(String name) {
    return Files.exists(resolve(name));
  }

  @Override
  public List<String> list() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
    }
    names.sort(null);
    return names;
  }

  @Override
  public void rename(String from, String to) throws IOException {
    Files.move(resolve(from), resolve(to), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void delete(String name) throws IOException {
    Files.deleteIfExists(resolve(name));
  }

  /**
   * Forces the directory. An interrupt does not make it fail: the caller's interrupt flag is
   * cleared for the duration (a set flag would close the channel at {@code force}), a channel that
   * an interrupt arriving meanwhile closes is replaced and the force repeated, and the flag is set
   * again on return if it was set at entry or an interrupt arrived.
   */
  @Override
  public void syncDirectory() throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
          ch.force(true);
          return;
        } catch (ClosedByInterruptException e) {
          interrupted = true;
          Thread.interrupted(); // and force again: this call must not fail for an interrupt
        } catch (IOException e) {
          // Some platforms (Windows) cannot open or sync a directory; there renames are durable.
          if (!System.getProperty("os.name", "").startsWith("Windows")) {
            throw e;
          }
          return;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Takes the lock. Like {@link #syncDirectory()}, an interrupt does not make it fail: the
   * caller's flag is cleared while the lock file's channel is used and restored on return, and an
   * interrupt arriving meanwhile (which closes the channel, releasing any lock on it) starts over.
   */
  @Override
  public StorageLock lock(String name) throws IOException {
    Path p = resolve(name);
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try {
          return lockOnce(p);
        } catch (ClosedByInterruptException e) {
          interrupted = true;
          Thread.interrupted();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private StorageLock lockOnce(Path p) throws IOException {
    FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
      if (lock == null) {
        String holder = readHolder(ch);
        throw new DirectoryLockedException(p.toString(),
            "the database directory " + dir + " is already open in another process"
                + (holder.isEmpty() ? "" : " (pid " + holder + ")"));
      }
      // Record who holds the lock, for the message above; the lock itself is the OS file lock.
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(pid), 0);
    } catch (OverlappingFileLockException e) {
      ch.close();
      throw new DirectoryLockedException(p.toString(),
          "the database directory " + dir + " is already open in this process");
    } catch (IOException | RuntimeException e) {
      ch.close(); // releases the lock if it was taken
      throw e;
    }
    return new StorageLock() {
      private boolean released;

      @Override
      public synchronized void close() throws IOException {
        if (released) {
          return;
        }
        released = true;
        boolean interrupted = Thread.interrupted();
        try {
          lock.release();
        } catch (ClosedChannelException e) {
          // An interrupt closed the channel during release; closing it released the lock.
          interrupted |= e instanceof ClosedByInterruptException;
        } finally {
          try {
            ch.close();
          } finally {
            if (interrupted) {
              Thread.currentThread().interrupt();
            }
          }
        }
      }
    };
  }

  /**
   * The shared locks this process holds, by lock file. The OS locks a file for a whole process
   * (a second lock on it from this JVM throws {@link OverlappingFileLockException}), so the
   * read-only opens of one directory in this process share one OS lock, released by the last.
   * Guarded by itself.
   */
  private static final Map<Path, SharedHold> SHARED = new HashMap<>();

  /** One OS shared lock and how many opens of this process hold it. */
  private static final class SharedHold {
    final FileChannel channel;
    final FileLock lock;
    int holders;

    SharedHold(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }
  }

  @Override
  public StorageLock lockShared(String name) throws IOException {
    Path p = resolve(name);
    SharedHold h;
    synchronized (SHARED) {
      h = SHARED.get(p);
      if (h == null) {
        h = takeShared(p);
        SHARED.put(p, h);
      }
      h.holders++;
    }
    SharedHold held = h;
    return new StorageLock() {
      private boolean released;

      @Override
      public void close() throws IOException {
        synchronized (SHARED) {
          if (released) {
            return;
          }
          released = true;
          if (--held.holders > 0) {
            return;
          }
          SHARED.remove(p);
        }
        try {
          held.lock.release();
        } catch (ClosedChannelException e) {
          // closed already: the lock went with it
        } finally {
          held.channel.close();
        }
      }
    };
  }

  private SharedHold takeShared(Path p) throws IOException {
    boolean interrupted = Thread.interrupted(); // a lock must not fail for an interrupt
    FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
    try {
      FileLock lock = ch.tryLock(0, Long.MAX_VALUE, true);
      if (lock == null) {
        String holder = readHolder(ch);
        throw new DirectoryLockedException(p.toString(), "the database directory " + dir
            + " is open for writing in another process" + (holder.isEmpty() ? ""
                : " (pid " + holder + ")") + "; a read-only open needs it closed");
      }
      return new SharedHold(ch, lock);
    } catch (OverlappingFileLockException e) {
      ch.close();
      throw new DirectoryLockedException(p.toString(), "the database directory " + dir
          + " is open for writing in this process; a read-only open needs it closed");
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String readHolder(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate(32);
      ch.read(b, 0);
      return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public String describe() {
    return dir.toString();
  }

  @Override
  public String toString() {
    return "NioStorage[" + dir + "]";
  }

  private static final class NioWritableFile implements WritableFile {
    private final String name;
    private final RandomAccessFile raf;
    private long size;

    NioWritableFile(String name, RandomAccessFile raf) throws IOException {
      this.name = name;
      this.raf = raf;
      this.size = raf.length();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      raf.write(b, off, len);
      size += len;
    }

    @Override
    public void sync() throws IOException {
      raf.getFD().sync();
    }

    @Override
    public void truncate(long newSize) throws IOException {
      if (newSize > size || newSize < 0) {
        throw new IllegalArgumentException(
            "cannot truncate " + name + " of " + size + " bytes to " + newSize);
      }
      raf.setLength(newSize);
      raf.seek(newSize);
      size = newSize;
    }

    @Override
    public void close() throws IOException {
      raf.close();
    }
  }

  private static final class NioReadableFile implements ReadableFile {

    /*
     * Concurrency notes.
     *
     * Who reads: any thread. A table file is opened once and shared by every reader of the
     * database (point reads that miss the block cache, iterators, compactions), so its channel is
     * used by many threads at once; positional reads need no lock.
     *
     * The hazard: NIO closes a channel for everyone when a thread is interrupted in an I/O call on
     * it, or starts one with its interrupt flag already set (the interrupted thread gets
     * ClosedByInterruptException, threads inside a call on it AsynchronousCloseException, threads
     * calling later ClosedChannelException). Unhandled, one interrupted reader broke every later
     * read of the table, from every thread, and compactions over it.
     *
     * Who reopens: whichever thread first sees a ClosedChannelException from the channel that is
     * still current; under this object's monitor it checks `ch == seen` (a compare-and-swap in
     * effect), opens a fresh channel by path, publishes it in the volatile `ch` and closes the old
     * one (already closed; close is idempotent). A thread that saw an older channel finds `ch`
     * changed and just retries: N threads racing after one closing open one channel, not N.
     *
     * Who fails: only the interrupted thread. It throws InterruptedIOException naming the file and
     * position, with its interrupt flag still set (we never clear it), after reopening, so the
     * next read by anyone finds an open channel. Every other thread retries its read on the new
     * channel; a read is positional, so the retry continues at the buffer's position. A thread
     * that is interrupted while retrying is an interrupted thread from then on.
     *
     * Invariants, all under the monitor: `closed` is set once, by close(), and is never undone; no
     * channel is opened once `closed` is set (reopen checks it first), so close(), which sets
     * `closed` and then closes the current channel, leaves no channel open whatever reopens raced
     * it; a reader that finds the channel closed after close() rethrows ClosedChannelException,
     * as before. At most one channel is open at a time.
     *
     * Reopening needs the path to name the same file: true for table files, which are deleted
     * only after their table is closed (and the file handle pool reopens by name already). If the
     * reopen itself fails, that reader gets the open's IOException and the next read tries again.
     *
     * Why reopen rather than mmap: a mapping is not closed by interrupts, but JDK 17 cannot unmap
     * one deterministically without Unsafe (the pages stay mapped until the buffer is garbage
     * collected, so deleted tables would hold disk space and address space), and mapped pages
     * count toward the process RSS, which the performance work bounds against RocksDB. Reopening
     * costs one open(2) per interrupt, and nothing on the read path otherwise: one volatile read.
     */

    private final String name;
    private final Path path;
    private volatile FileChannel ch;
    private boolean closed; // guarded by this

    NioReadableFile(String name, Path path, FileChannel ch) {
      this.name = name;
      this.path = path;
      this.ch = ch;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public long size() throws IOException {
      while (true) {
        FileChannel c = ch;
        try {
          return c.size();
        } catch (ClosedChannelException e) {
          recover(c, e, "size of " + name);
        }
      }
    }

    @Override
    public void readFully(long position, byte[] dst, int off, int len) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(dst, off, len);
      while (b.hasRemaining()) {
        long pos = position + (b.position() - off);
        FileChannel c = ch;
        int n;
        try {
          n = c.read(b, pos);
        } catch (ClosedChannelException e) {
          recover(c, e, "read of " + len + " bytes of " + name + " at position " + position);
          continue;
        }
        if (n < 0) {
          throw new EOFException(
              name + ": wanted " + len + " bytes at " + position + ", file ends at " + size());
        }
      }
    }

    /**
     * Handles a closed channel: rethrows if the owner closed the file; otherwise an interrupt
     * closed it, so makes sure a fresh channel is current, then throws {@link
     * InterruptedIOException} if this thread is the interrupted one, or returns so that the caller
     * retries.
     *
     * @param seen the channel the failed call used
     */
    private void recover(FileChannel seen, ClosedChannelException e, String what)
        throws IOException {
      // Read the flag before anything else: whether this thread was interrupted decides whether
      // it fails; nothing here clears it.
      boolean interrupted =
          e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted();
      synchronized (this) {
        if (closed) {
          throw e;
        }
        if (ch == seen) {
          FileChannel fresh;
          try {
            fresh = FileChannel.open(path, StandardOpenOption.READ); // never interrupted
          } catch (IOException openFailure) {
            openFailure.addSuppressed(e);
            throw openFailure;
          }
          ch = fresh;
          closeQuietly(seen);
        }
      }
      if (interrupted) {
        InterruptedIOException ie = new InterruptedIOException(
            what + " interrupted (the file stays open for other reads)");
        ie.initCause(e);
        throw ie;
      }
    }

    private static void closeQuietly(FileChannel c) {
      try {
        c.close();
      } catch (IOException e) {
        // It was closed by the interrupt already; nothing to release.
      }
    }

    @Override
    public void close() throws IOException {
      FileChannel c;
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        c = ch;
      }
      c.close();
    }

    @Override
    public String toString() {
      return "NioReadableFile[" + name + "]";
    }
  }
}
