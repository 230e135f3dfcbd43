/**
 * The tables of the LSM tree and their levels: the MANIFEST (the durable record of a database's
 * identity and of the tables in each level), the levels controller (a façade over its parts:
 * opening, reads, flushes into L0, plan admission, the compaction scheduler and manual
 * compactions, around one shared state), compaction execution, and the iterators that read across
 * tables: {@code ConcatIterator} over one sorted level and
 * {@link dev.sett.kv.levels.MergingIterator}, which merges memtables, L0 tables and levels for
 * reads and compactions. Used by kv-core only.
 */
package dev.sett.kv.levels;
