package dev.sett.kv.io;

import java.io.IOException;

/** A held directory lock; {@link #close()} releases it. */
public interface StorageLock extends AutoCloseable {

  /**
   * Releases the lock. Idempotent.
   *
   * @throws IOException if releasing fails
   */
  @Override
  void close() throws IOException;
}
