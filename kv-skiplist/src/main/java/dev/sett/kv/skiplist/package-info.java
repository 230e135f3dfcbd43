/**
 * Memtable providers: {@link dev.sett.kv.skiplist.ArenaSkipList} (provider {@code skiplist}), a
 * lock-free skiplist whose nodes, keys and values live in one preallocated {@code byte[]} arena,
 * and {@link dev.sett.kv.skiplist.ConcurrentSkipListMemTable} (provider {@code
 * concurrent-skiplist}), the same contract on {@link java.util.concurrent.ConcurrentSkipListMap}.
 *
 * <p>Thread safety: the factories are stateless. Both memtables accept concurrent puts from any
 * number of threads while gets and iterators run; iterators themselves are confined to one thread.
 * Nothing is ever removed from a memtable: it is dropped whole once flushed.
 */
package dev.sett.kv.skiplist;
