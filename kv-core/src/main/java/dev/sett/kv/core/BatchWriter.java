package dev.sett.kv.core;

import dev.sett.kv.DbClosedException;
import dev.sett.kv.Entry;
import dev.sett.kv.TxnTooBigException;
import dev.sett.kv.WriteBatch;
import java.util.ArrayDeque;

/**
 * A {@link WriteBatch}: fills one transaction at a time and, when it is full, commits it without
 * waiting and starts the next, keeping at most {@value #MAX_IN_FLIGHT} commits in flight (Badger's
 * throttle). Its transactions never read, so they never conflict.
 */
final class BatchWriter implements WriteBatch {
  static final int MAX_IN_FLIGHT = 16;

  private final SettDb db;
  /** The version of every write in managed mode, or 0. */
  private final long commitTs;
  private final ArrayDeque<WriteRequest> inFlight = new ArrayDeque<>();
  private Transaction txn;
  private RuntimeException error;
  private boolean closed;

  BatchWriter(SettDb db, long commitTs) {
    this.db = db;
    this.commitTs = commitTs;
  }

  private interface Op {
    void apply(Transaction t);
  }

  private void add(Op op) {
    check();
    if (txn == null) {
      txn = db.newBatchTransaction(commitTs);
    }
    try {
      op.apply(txn);
    } catch (TxnTooBigException full) {
      commitCurrent();
      txn = db.newBatchTransaction(commitTs);
      op.apply(txn); // an entry too big for an empty transaction throws to the caller
    }
  }

  private void check() {
    if (closed) {
      throw new DbClosedException("the write batch is closed");
    }
    if (error != null) {
      throw error;
    }
  }

  private void commitCurrent() {
    Transaction t = txn;
    txn = null;
    if (t == null) {
      return;
    }
    WriteRequest r = t.commitAsync();
    if (r != null) {
      inFlight.addLast(r);
    }
    while (inFlight.size() > MAX_IN_FLIGHT) {
      awaitOne();
    }
  }

  private void awaitOne() {
    WriteRequest r = inFlight.pollFirst();
    try {
      db.awaitCommit(r); // helps to write it, as a committing thread does
    } catch (RuntimeException e) {
      if (error == null) {
        error = e;
      }
    }
  }

  @Override
  public void set(byte[] key, byte[] value) {
    add(t -> t.set(key, value));
  }

  @Override
  public void setEntry(Entry entry) {
    add(t -> t.setEntry(entry));
  }

  @Override
  public void delete(byte[] key) {
    add(t -> t.delete(key));
  }

  @Override
  public void flush() {
    check();
    commitCurrent();
    while (!inFlight.isEmpty()) {
      awaitOne();
    }
    if (error != null) {
      throw error;
    }
  }

  @Override
  public void cancel() {
    if (txn != null) {
      txn.close();
      txn = null;
    }
    while (!inFlight.isEmpty()) {
      awaitOne();
    }
    closed = true;
  }

  @Override
  public void close() {
    if (!closed) {
      cancel();
    }
  }
}
