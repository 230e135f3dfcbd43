package dev.sett.kv.bench.peers;

import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB through RocksJava with the library's default options, the WAL on and no sync per write
 * (RocksDB's default, and the durability of Sett's default).
 */
public final class RocksDbStore implements KvStore {
  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final WriteOptions writeOptions;
  private final RocksDB db;

  /**
   * Opens (or creates) a database in {@code dir}.
   *
   * @param dir the directory
   */
  public RocksDbStore(Path dir) {
    this(dir, false);
  }

  /**
   * Opens (or creates) a database in {@code dir}.
   *
   * @param dir the directory
   * @param sync {@code true} to fsync the WAL on every write ({@code WriteOptions.setSync})
   */
  public RocksDbStore(Path dir, boolean sync) {
    options = new Options().setCreateIfMissing(true);
    writeOptions = new WriteOptions().setSync(sync); // WAL on: RocksDB's default
    try {
      Files.createDirectories(dir);
      db = RocksDB.open(options, dir.toString());
    } catch (RocksDBException | java.io.IOException e) {
      writeOptions.close();
      options.close();
      throw new IllegalStateException("cannot open RocksDB in " + dir + ": " + e, e);
    }
  }

  @Override
  public String name() {
    return "rocksdb";
  }

  @Override
  public void put(byte[] key, byte[] value) {
    try {
      db.put(writeOptions, key, value);
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB put failed: " + e, e);
    }
  }

  @Override
  public void putBatch(byte[][] keys, byte[][] values, int n) {
    try (WriteBatch batch = new WriteBatch()) {
      for (int i = 0; i < n; i++) {
        batch.put(keys[i], values[i]);
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB batch failed: " + e, e);
    }
  }

  @Override
  public byte[] get(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB get failed: " + e, e);
    }
  }

  @Override
  public long scan(byte[] from, long limit, boolean reverse) {
    long bytes = 0;
    try (RocksIterator it = db.newIterator()) {
      if (from == null) {
        if (reverse) {
          it.seekToLast();
        } else {
          it.seekToFirst();
        }
      } else if (reverse) {
        it.seekForPrev(from);
      } else {
        it.seek(from);
      }
      for (long n = 0; n < limit && it.isValid(); n++) {
        bytes += it.key().length + it.value().length;
        if (reverse) {
          it.prev();
        } else {
          it.next();
        }
      }
    }
    return bytes;
  }

  @Override
  public void close() {
    db.close();
    writeOptions.close();
    options.close();
  }
}
