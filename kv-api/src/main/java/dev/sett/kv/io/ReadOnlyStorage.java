package dev.sett.kv.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.List;
import java.util.Objects;

/**
 * A read-only view of a {@link Storage}, for databases opened with {@code Options.readOnly}: reads
 * pass through; creating, appending, renaming and deleting an existing file fail with {@link
 * AccessDeniedException} naming the operation and the file (a guard, so that no code path can
 * change the directory by mistake); deleting a file that does not exist changes nothing and is
 * allowed; {@link #syncDirectory} does nothing; {@link #lock} takes the shared lock.
 */
public final class ReadOnlyStorage implements Storage {
  private final Storage inner;

  /**
   * Wraps a storage.
   *
   * @param inner the storage read through this view
   */
  public ReadOnlyStorage(Storage inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  private AccessDeniedException denied(String what, String name) {
    return new AccessDeniedException(name, null, "the database is open read-only: it would "
        + what + " " + name + " in " + inner.describe());
  }

  @Override
  public WritableFile create(String name) throws IOException {
    throw denied("create", name);
  }

  @Override
  public WritableFile openForAppend(String name) throws IOException {
    throw denied("write to", name);
  }

  @Override
  public ReadableFile openRead(String name) throws IOException {
    return inner.openRead(name);
  }

  @Override
  public boolean exists(String name) throws IOException {
    return inner.exists(name);
  }

  @Override
  public List<String> list() throws IOException {
    return inner.list();
  }

  @Override
  public void rename(String from, String to) throws IOException {
    throw denied("rename", from);
  }

  @Override
  public void delete(String name) throws IOException {
    if (inner.exists(name)) {
      throw denied("delete", name);
    }
  }

  @Override
  public void syncDirectory() {
    // nothing was changed
  }

  @Override
  public StorageLock lock(String name) throws IOException {
    return inner.lockShared(name);
  }

  @Override
  public StorageLock lockShared(String name) throws IOException {
    return inner.lockShared(name);
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe() {
    return inner.describe() + " (read-only)";
  }
}
