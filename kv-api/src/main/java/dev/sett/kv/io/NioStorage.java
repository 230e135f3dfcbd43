package dev.sett.kv.io;

import dev.sett.kv.DirectoryLockedException;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
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
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The default {@link Storage}: files in one directory of the default file system.
 *
 * <p>Appends go through {@link RandomAccessFile#write(byte[], int, int)}, not a {@link
 * FileChannel}, because an interrupt during a channel operation closes the channel, which would
 * kill the WAL of a database whose user thread was interrupted while it led a group commit. Reads
 * use positional {@link FileChannel} reads (they are only used by recovery for now).
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
    return new NioReadableFile(name, FileChannel.open(resolve(name), StandardOpenOption.READ));
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

  @Override
  public void syncDirectory() throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms (Windows) cannot open or sync a directory; there renames are durable.
      if (!System.getProperty("os.name", "").startsWith("Windows")) {
        throw e;
      }
    }
  }

  @Override
  public StorageLock lock(String name) throws IOException {
    Path p = resolve(name);
    FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      ch.close();
      throw new DirectoryLockedException(p.toString(),
          "the database directory " + dir + " is already open in this process");
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      String holder = readHolder(ch);
      ch.close();
      throw new DirectoryLockedException(p.toString(),
          "the database directory " + dir + " is already open in another process"
              + (holder.isEmpty() ? "" : " (pid " + holder + ")"));
    }
    // Record who holds the lock, for the message above; the lock itself is the OS file lock.
    byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
    ch.truncate(0);
    ch.write(ByteBuffer.wrap(pid), 0);
    return new StorageLock() {
      private boolean released;

      @Override
      public synchronized void close() throws IOException {
        if (!released) {
          released = true;
          try {
            lock.release();
          } finally {
            ch.close();
          }
        }
      }
    };
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
    private final String name;
    private final FileChannel ch;

    NioReadableFile(String name, FileChannel ch) {
      this.name = name;
      this.ch = ch;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public long size() throws IOException {
      return ch.size();
    }

    @Override
    public void readFully(long position, byte[] dst, int off, int len) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(dst, off, len);
      long pos = position;
      while (b.hasRemaining()) {
        int n = ch.read(b, pos);
        if (n < 0) {
          throw new EOFException(
              name + ": wanted " + len + " bytes at " + position + ", file ends at " + ch.size());
        }
        pos += n;
      }
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
