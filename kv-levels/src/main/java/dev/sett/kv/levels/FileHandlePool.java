package dev.sett.kv.levels;

import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.Storage;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the number of table files open at once. Each table reads through a {@link PooledFile},
 * which opens its file on first use; when more than {@code maxOpen} are open, the least recently
 * used idle ones are closed, to be reopened on their next read.
 *
 * <p>Concurrency notes. Readers: any thread, through {@link PooledFile#readFully}. A read marks
 * the file in use by incrementing {@code users}; an evictor may close a file only by moving
 * {@code users} from 0 to -1 with a CAS, so a file in use is never closed under a reader, and a
 * reader that finds -1 waits (briefly: the close is in progress) for the handle to be gone before
 * opening it again. Opening and closing a handle happen under the file's monitor; {@code open}
 * counts open handles. Most reads never get here: blocks come from the block cache.
 *
 * <p>Interrupts touch nothing here: no step of {@code acquire} waits interruptibly, {@code users}
 * is given back in a {@code finally}, and a reader's interrupt never closes a pooled handle for
 * the others, because the storage's {@link ReadableFile} reopens what an interrupt closed (see
 * {@code NioStorage}); the interrupted reader alone gets an {@code InterruptedIOException}. Only
 * an evictor and {@link PooledFile#close()} close handles.
 */
final class FileHandlePool {
  private static final System.Logger LOG = System.getLogger(FileHandlePool.class.getName());

  private final Storage storage;
  private final int maxOpen;
  private final Set<PooledFile> files = ConcurrentHashMap.newKeySet();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong clock = new AtomicLong();

  FileHandlePool(Storage storage, int maxOpen) {
    this.storage = storage;
    this.maxOpen = maxOpen;
  }

  /**
   * A file read through the pool; nothing is opened until the first read.
   *
   * @param name the file's name
   * @return the file; close it when the table is closed
   * @throws IOException if the file cannot be opened to learn its size
   */
  PooledFile file(String name) throws IOException {
    PooledFile f = new PooledFile(name);
    files.add(f);
    return f;
  }

  /** Open handles now. */
  int openCount() {
    return open.get();
  }

  private void evictIfNeeded() {
    while (open.get() > maxOpen) {
      PooledFile victim = null;
      for (PooledFile f : files) {
        if (f.handle != null && f.users.get() == 0
            && (victim == null || f.lastUse < victim.lastUse)) {
          victim = f;
        }
      }
      if (victim == null || !victim.tryCloseIdle()) {
        return; // every open file is in use: go over the limit rather than block a reader
      }
    }
  }

  /** A table file whose handle the pool may close while it is idle. */
  final class PooledFile implements ReadableFile {
    private final String name;
    private final AtomicInteger users = new AtomicInteger();
    private volatile ReadableFile handle;
    private volatile long lastUse;
    private volatile long size = -1;
    private boolean closed; // guarded by this

    private PooledFile(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public long size() throws IOException {
      long s = size;
      if (s < 0) {
        ReadableFile h = acquire();
        try {
          s = h.size();
          size = s;
        } finally {
          users.decrementAndGet();
        }
      }
      return s;
    }

    @Override
    public void readFully(long position, byte[] dst, int off, int len) throws IOException {
      ReadableFile h = acquire();
      try {
        h.readFully(position, dst, off, len);
      } finally {
        users.decrementAndGet();
      }
    }

    /** Marks the file in use and returns an open handle; the caller decrements users. */
    private ReadableFile acquire() throws IOException {
      while (true) {
        int u = users.get();
        if (u < 0) {
          Thread.onSpinWait(); // an evictor is closing the handle right now
        } else if (users.compareAndSet(u, u + 1)) {
          break;
        }
      }
      lastUse = clock.incrementAndGet();
      ReadableFile h = handle;
      if (h != null) {
        return h;
      }
      boolean opened = false;
      try {
        synchronized (this) {
          if (closed) {
            throw new IOException(name + " is closed");
          }
          h = handle;
          if (h == null) {
            h = storage.openRead(name);
            handle = h;
            open.incrementAndGet();
            opened = true;
          }
        }
      } catch (IOException | RuntimeException e) {
        users.decrementAndGet();
        throw e;
      }
      if (opened) {
        evictIfNeeded();
      }
      return h;
    }

    /** Closes the handle if nobody uses it; returns whether it did. */
    private boolean tryCloseIdle() {
      if (!users.compareAndSet(0, -1)) {
        return false;
      }
      try {
        synchronized (this) {
          closeHandle();
        }
      } finally {
        users.set(0);
      }
      return true;
    }

    private void closeHandle() {
      ReadableFile h = handle;
      if (h != null) {
        handle = null;
        open.decrementAndGet();
        try {
          h.close();
        } catch (IOException e) {
          LOG.log(System.Logger.Level.WARNING, "cannot close " + name, e);
        }
      }
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        files.remove(this);
        closeHandle();
      }
    }

    @Override
    public String toString() {
      return "PooledFile[" + name + (handle != null ? ", open" : "") + "]";
    }
  }
}
