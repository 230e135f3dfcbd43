/**
 * Memtable providers: {@link dev.sett.kv.skiplist.ArenaSkipList} (provider {@code skiplist}), a
 * lock-free skiplist whose nodes, keys and values live in one preallocated off-heap arena (a direct
 * {@link java.nio.ByteBuffer}),
 * and {@link dev.sett.kv.skiplist.ConcurrentSkipListMemTable} (provider {@code
 * concurrent-skiplist}), the same contract on {@link java.util.concurrent.ConcurrentSkipListMap}.
 *
 * <p>Thread safety: the factories are stateless. Both memtables accept concurrent puts from any
 * number of threads while gets and iterators run; iterators themselves are confined to one thread.
 * Nothing is ever removed from a memtable: it is dropped whole once flushed.
 */
package dev.sett.kv.skiplist;
