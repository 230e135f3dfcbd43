package dev.sett.kv.bench.peers;

import dev.sett.kv.Db;
import dev.sett.kv.Item;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import java.nio.file.Path;

/** Sett with the given options (its defaults unless a caller changes them). */
public final class SettStore implements KvStore {
  private static final IteratorOptions REVERSE = IteratorOptions.builder().reverse(true).build();

  private final Db db;

  /**
   * Opens (or creates) a database.
   *
   * @param options the options, directory included
   */
  public SettStore(Options options) {
    this.db = Db.open(options);
  }

  /**
   * Opens (or creates) a database with default options in {@code dir}.
   *
   * @param dir the directory
   */
  public SettStore(Path dir) {
    this(Options.builder(dir).build());
  }

  @Override
  public String name() {
    return "sett";
  }

  @Override
  public void put(byte[] key, byte[] value) {
    db.update(t -> t.set(key, value));
  }

  @Override
  public void putBatch(byte[][] keys, byte[][] values, int n) {
    db.update(t -> {
      for (int i = 0; i < n; i++) {
        t.set(keys[i], values[i]);
      }
    });
  }

  @Override
  public byte[] get(byte[] key) {
    return db.view(t -> {
      Item it = t.get(key);
      return it == null ? null : it.value();
    });
  }

  @Override
  public long scan(byte[] from, long limit, boolean reverse) {
    IteratorOptions options = reverse ? REVERSE : IteratorOptions.DEFAULT;
    return db.view(t -> {
      long bytes = 0;
      try (KvIterator it = t.newIterator(options)) {
        if (from == null) {
          it.rewind();
        } else {
          it.seek(from);
        }
        for (long n = 0; n < limit && it.valid(); n++, it.next()) {
          Item item = it.item();
          bytes += item.key().length + item.value().length;
        }
      }
      return bytes;
    });
  }

  @Override
  public void close() {
    db.close();
  }
}
