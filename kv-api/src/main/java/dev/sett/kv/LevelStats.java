package dev.sett.kv;

/**
 * The shape of one level of the LSM tree at the moment {@link Db#stats()} was called.
 *
 * @param level the level, 0 for L0
 * @param tables the number of tables
 * @param bytes the size of its tables in bytes
 * @param targetBytes the size the compaction strategy aims for (for L0, tables count, not bytes:
 *     this is then the table count that triggers a compaction times the memtable size)
 * @param score how far over target the level is: at or above 1 it wants compacting
 */
public record LevelStats(int level, int tables, long bytes, long targetBytes, double score) {}
