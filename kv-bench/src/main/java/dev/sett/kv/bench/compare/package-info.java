/**
 * The side-by-side runner: {@code ./sett bench --compare rocksdb,lmdb}.
 *
 * <p>Map: {@link dev.sett.kv.bench.compare.CompareCommand} (the parent) walks the rows of {@link
 * dev.sett.kv.bench.compare.Workload#suite}, and for each store starts {@link
 * dev.sett.kv.bench.compare.CompareChild} in a fresh JVM ({@code ChildLauncher}) to load and then
 * to run the row through {@code WorkloadRunner}; keys and values come from {@code KeySpace}, YCSB's
 * key choice from {@code Zipfian}. The parent reads each child's peak RSS and the space of its
 * files after close, drops the page cache between load and run ({@code PageCache}), and keeps the
 * tables and CSV files current in {@code CompareReport}.
 */
package dev.sett.kv.bench.compare;
