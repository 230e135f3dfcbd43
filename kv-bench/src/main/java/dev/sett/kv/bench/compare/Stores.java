package dev.sett.kv.bench.compare;

import dev.sett.kv.Options;
import dev.sett.kv.bench.peers.KvStore;
import dev.sett.kv.bench.peers.LmdbStore;
import dev.sett.kv.bench.peers.RocksDbStore;
import dev.sett.kv.bench.peers.SettStore;
import dev.sett.kv.cli.OptionArguments;
import java.nio.file.Path;
import java.util.List;

/** Opens a store of the side-by-side run by name, at the durability the run asks for. */
final class Stores {
  /** Every store the runner knows, Sett first. */
  static final List<String> NAMES = List.of("sett", "rocksdb", "lmdb");

  private Stores() {}

  /**
   * Opens (or creates) a store.
   *
   * @param name {@code sett}, {@code rocksdb} or {@code lmdb}
   * @param dir its directory
   * @param sync {@code true} for an fsync per write, {@code false} for each store's default
   *     (handed to the OS, no fsync)
   * @param settOptions {@code NAME=VALUE} options for Sett (ignored by the peers)
   * @param mapBytes LMDB's map size (ignored by the others)
   * @return the open store
   * @throws IllegalArgumentException for an unknown name or a bad Sett option
   */
  static KvStore open(String name, Path dir, boolean sync, List<String> settOptions,
      long mapBytes) {
    return switch (name) {
      case "sett" -> {
        Options.Builder b = Options.builder(dir).syncWrites(sync);
        for (String o : settOptions) {
          OptionArguments.apply(b, o);
        }
        yield new SettStore(b.build());
      }
      case "rocksdb" -> new RocksDbStore(dir, sync);
      case "lmdb" -> new LmdbStore(dir, mapBytes, sync);
      default -> throw new IllegalArgumentException(
          "unknown store '" + name + "': the stores are " + String.join(", ", NAMES));
    };
  }

  /**
   * A map size that holds the workload with room to spare: LMDB's pages are at most half full
   * after random inserts, and a value above a page's size takes whole overflow pages. The map is
   * address space; LMDB's file grows only as pages are written.
   *
   * @param w the workload
   * @return bytes
   */
  static long lmdbMapBytes(Workload w) {
    long perRecord = KeySpace.KEY_BYTES + w.sizes().max() + 4096L;
    return Math.max(1L << 30, 3 * (w.records() + w.records() / 10) * perRecord);
  }
}
