/**
 * JMH benchmarks of the memtable providers: the arena skiplist ({@code skiplist}) against the
 * {@link java.util.concurrent.ConcurrentSkipListMap} baseline ({@code concurrent-skiplist}).
 *
 * <p>Benchmark states are confined as JMH declares them; nothing here is used outside JMH.
 */
package dev.sett.kv.bench.skiplist;
