/**
 * The memtable providers of Sett: {@code skiplist}, Badger's lock-free arena skiplist and the
 * default memtable, and {@code concurrent-skiplist}, a baseline on {@link
 * java.util.concurrent.ConcurrentSkipListMap} that benchmarks measure the arena against.
 *
 * <p>The module exports nothing: the engine reaches the providers only through {@link
 * dev.sett.kv.spi.MemTableFactory}, found by {@link java.util.ServiceLoader}.
 */
module dev.sett.kv.skiplist {
  requires dev.sett.kv;
  // sun.misc.Unsafe.invokeCleaner: frees a released memtable's off-heap arena at once.
  requires jdk.unsupported;

  provides dev.sett.kv.spi.MemTableFactory with
      dev.sett.kv.skiplist.ArenaSkipListFactory,
      dev.sett.kv.skiplist.ConcurrentSkipListFactory;
}
