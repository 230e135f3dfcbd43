package dev.sett.kv.bench.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * LMDB through LMDBJava: one environment with one database, {@code MDB_NOSYNC} (no fsync per
 * commit: the durability of Sett's default), a map size given by the caller (LMDB needs one; it
 * is address space, not memory), everything else LMDB's defaults. Keys and values pass through
 * direct buffers, which LMDBJava requires (one pair per thread, so threads may share the store:
 * LMDB serialises write transactions and runs readers beside them); reads copy the value out of
 * the memory map.
 *
 * <p>On Java 17 and later LMDBJava needs {@code --add-opens java.base/java.nio=ALL-UNNAMED} and
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} to reach buffer addresses.
 */
public final class LmdbStore implements KvStore {
  private final Env<ByteBuffer> env;
  private final Dbi<ByteBuffer> db;
  private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

  /** One thread's direct buffers for keys and values handed to LMDB. */
  private static final class Buffers {
    final ByteBuffer key = ByteBuffer.allocateDirect(511); // LMDB's largest key
    ByteBuffer value = ByteBuffer.allocateDirect(4096);
  }

  /**
   * Opens (or creates) an environment in {@code dir}.
   *
   * @param dir the directory
   * @param mapSize the map size in bytes: the most the database may ever hold
   */
  public LmdbStore(Path dir, long mapSize) {
    this(dir, mapSize, false);
  }

  /**
   * Opens (or creates) an environment in {@code dir}.
   *
   * @param dir the directory
   * @param mapSize the map size in bytes: the most the database may ever hold
   * @param sync {@code true} to fsync every commit (LMDB's default), {@code false} for {@code
   *     MDB_NOSYNC}
   */
  public LmdbStore(Path dir, long mapSize, boolean sync) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir + ": " + e, e);
    }
    env = Env.create().setMapSize(mapSize).setMaxDbs(1)
        .open(dir.toFile(), sync ? new EnvFlags[0] : new EnvFlags[] {EnvFlags.MDB_NOSYNC});
    db = env.openDbi((String) null, DbiFlags.MDB_CREATE);
  }

  @Override
  public String name() {
    return "lmdb";
  }

  private ByteBuffer key(byte[] k) {
    ByteBuffer b = buffers.get().key;
    b.clear();
    b.put(k).flip();
    return b;
  }

  private ByteBuffer value(byte[] v) {
    Buffers bs = buffers.get();
    if (bs.value.capacity() < v.length) {
      bs.value = ByteBuffer.allocateDirect(Math.max(v.length, bs.value.capacity() * 2));
    }
    ByteBuffer b = bs.value;
    b.clear();
    b.put(v).flip();
    return b;
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
  public long scan(byte[] from, long limit, boolean reverse) {
    long bytes = 0;
    try (Txn<ByteBuffer> txn = env.txnRead(); Cursor<ByteBuffer> c = db.openCursor(txn)) {
      boolean valid;
      if (from == null) {
        valid = reverse ? c.last() : c.first();
      } else {
        ByteBuffer k = key(from);
        valid = c.get(k, GetOp.MDB_SET_RANGE); // the first key at or after 'from'
        if (reverse) {
          if (!valid) {
            valid = c.last();
          } else if (c.key().compareTo(key(from)) != 0) {
            valid = c.prev();
          }
        }
      }
      for (long n = 0; n < limit && valid; n++) {
        bytes += copy(c.key()).length + copy(c.val()).length;
        valid = reverse ? c.prev() : c.next();
      }
    }
    return bytes;
  }

  private static byte[] copy(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Override
  public void close() {
    db.close();
    env.close();
  }
}
