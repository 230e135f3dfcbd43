package dev.sett.kv.bench.peers;

import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
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
    options = new Options().setCreateIfMissing(true);
    writeOptions = new WriteOptions(); // sync=false, WAL on: RocksDB's defaults
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
  public void close() {
    db.close();
    writeOptions.close();
    options.close();
  }
}
