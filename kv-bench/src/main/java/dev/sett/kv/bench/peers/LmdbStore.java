package dev.sett.kv.bench.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * LMDB through LMDBJava: one environment with one database, {@code MDB_NOSYNC} (no fsync per
 * commit: the durability of Sett's default), a map size given by the caller (LMDB needs one; it
 * is address space, not memory), everything else LMDB's defaults. Keys and values pass through
 * direct buffers, which LMDBJava requires; reads copy the value out of the memory map.
 *
 * <p>On Java 17 and later LMDBJava needs {@code --add-opens java.base/java.nio=ALL-UNNAMED} and
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} to reach buffer addresses.
 */
public final class LmdbStore implements KvStore {
  private final Env<ByteBuffer> env;
  private final Dbi<ByteBuffer> db;
  private ByteBuffer keyBuf = ByteBuffer.allocateDirect(511); // LMDB's largest key
  private ByteBuffer valueBuf = ByteBuffer.allocateDirect(4096);

  /**
   * Opens (or creates) an environment in {@code dir}.
   *
   * @param dir the directory
   * @param mapSize the map size in bytes: the most the database may ever hold
   */
  public LmdbStore(Path dir, long mapSize) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir + ": " + e, e);
    }
    env = Env.create().setMapSize(mapSize).setMaxDbs(1)
        .open(dir.toFile(), EnvFlags.MDB_NOSYNC);
    db = env.openDbi((String) null, DbiFlags.MDB_CREATE);
  }

  @Override
  public String name() {
    return "lmdb";
  }

  private ByteBuffer key(byte[] k) {
    keyBuf.clear();
    keyBuf.put(k).flip();
    return keyBuf;
  }

  private ByteBuffer value(byte[] v) {
    if (valueBuf.capacity() < v.length) {
      valueBuf = ByteBuffer.allocateDirect(Math.max(v.length, valueBuf.capacity() * 2));
    }
    valueBuf.clear();
    valueBuf.put(v).flip();
    return valueBuf;
  }

  @Override
  public void put(byte[] key, byte[] value) {
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      db.put(txn, key(key), value(value));
      txn.commit();
    }
  }

  @Override
  public void putBatch(byte[][] keys, byte[][] values, int n) {
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      for (int i = 0; i < n; i++) {
        db.put(txn, key(keys[i]), value(values[i]));
      }
      txn.commit();
    }
  }

  @Override
  public byte[] get(byte[] key) {
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      ByteBuffer v = db.get(txn, key(key));
      if (v == null) {
        return null;
      }
      byte[] out = new byte[v.remaining()];
      v.get(out);
      return out;
    }
  }

  @Override
  public void close() {
    db.close();
    env.close();
  }
}
