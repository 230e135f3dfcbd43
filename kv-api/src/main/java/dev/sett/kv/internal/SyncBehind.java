package dev.sett.kv.internal;

import dev.sett.kv.io.WritableFile;
import java.io.IOException;

/**
 * Keeps the fsync that an append-only file needs at its end (a WAL sealed at memtable rotation, a
 * value log file rotated) short, by syncing the file in the background every {@code interval}
 * bytes the writer appends (RocksDB's {@code bytes_per_sync}). Without it, the writer's fsync at
 * rotation flushes tens or hundreds of megabytes of dirty pages while every commit waits: the
 * 100 ms to 0.7 s worst puts measured before this class.
 *
 * <p>Durability is unchanged: a background sync only makes data durable earlier than the writer
 * would; the writer still syncs where it did, and learns from {@link #durableUpTo} what is
 * already durable (a WAL's sync marks record it).
 *
 * <p>Concurrency notes. One writer thread at a time (the write path's leader, or the value log's
 * writer) calls {@link #wrote}, {@link #durableUpTo}, {@link #detach} and {@link #throwIfFailed};
 * one daemon thread, started on the first request and stopped by {@link #close}, runs the syncs.
 * Both hold this object's monitor only to exchange requests and results, never during an fsync.
 * Invariants: the thread syncs a file only while it is attached (the writer detaches a file, which
 * waits for a sync in flight, before closing it); {@code durable} only grows for the attached
 * file; a failed background fsync is kept and thrown to the writer at its next call, since Linux
 * reports a writeback error to one fsync only and data written before it may be lost.
 */
public final class SyncBehind implements AutoCloseable {
  private final String threadName;
  private final long interval;
  private Thread thread; // guarded by this
  private boolean closed; // guarded by this
  private WritableFile attached; // guarded by this: the file being appended to
  private long durable; // guarded by this: attached's offset known durable by a background sync
  private long requestedUpTo; // guarded by this: the offset the pending request syncs to
  private boolean pending; // guarded by this
  private WritableFile inFlight; // guarded by this: the file being synced now, or null
  private IOException failure; // guarded by this
  private long syncs; // guarded by this

  /**
   * A syncer.
   *
   * @param threadName its thread's name
   * @param interval bytes appended between background syncs; 0 or less: none
   */
  public SyncBehind(String threadName, long interval) {
    this.threadName = threadName;
    this.interval = interval;
  }

  /**
   * Tells that {@code file} now holds {@code written} bytes; requests a background sync when
   * {@code interval} bytes have been appended since the last request. A new file replaces the
   * previous one (which the writer detached or synced itself).
   *
   * @param file the file being appended to
   * @param written bytes written to it so far
   */
  public synchronized void wrote(WritableFile file, long written) {
    if (closed) {
      return;
    }
    if (file != attached) {
      attached = file;
      durable = 0;
      requestedUpTo = written; // what came before was synced by the writer, or is small
      pending = false;
      return;
    }
    if (interval > 0 && written - requestedUpTo >= interval) {
      requestedUpTo = written;
      pending = true;
      if (thread == null) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
      }
      notifyAll();
    }
  }

  /**
   * The offset up to which a background sync made {@code file} durable.
   *
   * @param file the file
   * @return the offset, 0 if none is known
   */
  public synchronized long durableUpTo(WritableFile file) {
    return file != null && file == attached ? durable : 0;
  }

  /**
   * Stops syncing {@code file} and waits for a sync of it in flight, so the writer may close it.
   * Waits through interrupts (the flag is kept): the file must not be closed under the sync.
   *
   * @param file the file
   */
  public synchronized void detach(WritableFile file) {
    if (file == attached) {
      attached = null;
      durable = 0;
      pending = false;
    }
    boolean interrupted = false;
    while (inFlight == file) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The writer's check before it relies on the file: throws a background sync's failure, else
   * returns {@link #durableUpTo}; one call (and one monitor entry) per write on the hot path.
   *
   * @param file the file
   * @return the offset a background sync made durable, 0 if none is known
   * @throws IOException the failure of a background sync (every call after it throws it too)
   */
  public synchronized long checkedDurableUpTo(WritableFile file) throws IOException {
    throwIfFailed();
    return durableUpTo(file);
  }

  /**
   * Throws the failure of a background sync, if one failed.
   *
   * @throws IOException the failure (every call after it throws it too)
   */
  public synchronized void throwIfFailed() throws IOException {
    if (failure != null) {
      throw new IOException("a background fsync failed; data written before it may be lost",
          failure);
    }
  }

  /**
   * Background syncs done so far (for tests and statistics).
   *
   * @return the count
   */
  public synchronized long syncs() {
    return syncs;
  }

  private void run() {
    while (true) {
      WritableFile file;
      long upTo;
      synchronized (this) {
        while (!closed && !pending) {
          try {
            wait();
          } catch (InterruptedException e) {
            // nobody interrupts this thread but close(), which also sets closed
          }
        }
        if (closed) {
          return;
        }
        pending = false;
        file = attached;
        upTo = requestedUpTo;
        inFlight = file;
      }
      IOException error = null;
      try {
        file.sync();
      } catch (IOException e) {
        error = e;
      } catch (RuntimeException e) {
        error = new IOException(e);
      }
      synchronized (this) {
        inFlight = null;
        if (file == attached) {
          if (error == null) {
            durable = Math.max(durable, upTo);
            syncs++;
          } else if (failure == null) {
            failure = error;
          }
        }
        notifyAll();
      }
    }
  }

  /** Stops the thread after a sync in flight, waiting for it (through interrupts). */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      attached = null;
      t = thread;
      notifyAll();
    }
    if (t != null && t != Thread.currentThread()) {
      Uninterruptibles.join(t);
    }
  }
}
