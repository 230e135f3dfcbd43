package dev.sett.kv.io;

import dev.sett.kv.DirectoryLockedException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Storage} held in the heap: backs in-memory databases and fast tests. Sync is a no-op;
 * the lock only guards against a second opener of the same instance.
 *
 * <p>Concurrency: the name map is a concurrent map; each file's bytes are guarded by the file's
 * own monitor, so readers and the single appender of a file never see a torn length.
 */
public final class MemoryStorage implements Storage {
  private final Map<String, MemFile> files = new ConcurrentHashMap<>();
  private final Map<String, Boolean> locks = new ConcurrentHashMap<>();

  /** Creates an empty storage. */
  public MemoryStorage() {}

  @Override
  public WritableFile create(String name) throws IOException {
    MemFile f = new MemFile();
    if (files.putIfAbsent(name, f) != null) {
      throw new FileAlreadyExistsException(name);
    }
    return f.writer(name);
  }

  @Override
  public WritableFile openForAppend(String name) throws IOException {
    return get(name).writer(name);
  }

  @Override
  public ReadableFile openRead(String name) throws IOException {
    MemFile f = get(name);
    return new ReadableFile() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long size() {
        return f.size();
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) throws IOException {
        f.read(name, position, dst, off, len);
      }

      @Override
      public void close() {}
    };
  }

  private MemFile get(String name) throws NoSuchFileException {
    MemFile f = files.get(name);
    if (f == null) {
      throw new NoSuchFileException(name);
    }
    return f;
  }

  @Override
  public boolean exists(String name) {
    return files.containsKey(name);
  }

  @Override
  public List<String> list() {
    List<String> names = new ArrayList<>(files.keySet());
    names.sort(null);
    return names;
  }

  @Override
  public synchronized void rename(String from, String to) throws IOException {
    MemFile f = files.remove(from);
    if (f == null) {
      throw new NoSuchFileException(from);
    }
    files.put(to, f);
  }

  @Override
  public void delete(String name) {
    files.remove(name);
  }

  @Override
  public void syncDirectory() {}

  @Override
  public StorageLock lock(String name) throws IOException {
    if (locks.putIfAbsent(name, Boolean.TRUE) != null) {
      throw new DirectoryLockedException(name, "this in-memory storage is already open");
    }
    return () -> locks.remove(name);
  }

  @Override
  public String describe() {
    return "memory";
  }

  private static final class MemFile {
    private byte[] data = new byte[256];
    private int size;

    synchronized long size() {
      return size;
    }

    synchronized void append(byte[] b, int off, int len) {
      if (size + len > data.length) {
        data = Arrays.copyOf(data, Math.max(size + len, data.length * 2));
      }
      System.arraycopy(b, off, data, size, len);
      size += len;
    }

    synchronized void truncate(long newSize) {
      size = (int) newSize;
    }

    synchronized void read(String name, long position, byte[] dst, int off, int len)
        throws EOFException {
      if (position + len > size) {
        throw new EOFException(
            name + ": wanted " + len + " bytes at " + position + ", file ends at " + size);
      }
      System.arraycopy(data, (int) position, dst, off, len);
    }

    WritableFile writer(String name) {
      return new WritableFile() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public long size() {
          return MemFile.this.size();
        }

        @Override
        public void write(byte[] b, int off, int len) {
          append(b, off, len);
        }

        @Override
        public void sync() {}

        @Override
        public void truncate(long newSize) {
          MemFile.this.truncate(newSize);
        }

        @Override
        public void close() {}
      };
    }
  }
}
