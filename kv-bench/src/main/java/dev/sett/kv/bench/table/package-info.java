/**
 * JMH benchmarks of the {@code sst-v1} table format: building, point gets from the block cache
 * and from the file, and scans, with a memtable as the yardstick.
 *
 * <p>Benchmark states are confined as JMH declares them; nothing here is used outside JMH.
 */
package dev.sett.kv.bench.table;
