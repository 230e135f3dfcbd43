/**
 * Sett's benchmarks: JMH benchmarks of the memtables ({@code skiplist}) and the table format
 * ({@code table}), the side-by-side runner behind {@code ./sett bench --compare} ({@code compare})
 * and the peers it measures ({@code peers}). {@link dev.sett.kv.bench.Smoke} shrinks every JMH
 * benchmark for the smoke run in {@code mvn verify}.
 */
package dev.sett.kv.bench;
