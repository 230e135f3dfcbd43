package dev.sett.kv.core;

import dev.sett.kv.spi.MemTable;

/**
 * A memtable together with the id of the WAL that holds its entries. Several memtables may share a
 * WAL when a replay had to split one WAL's entries (a smaller {@code memTableSize} than before).
 */
record MemTableHandle(MemTable table, long walId) {}
