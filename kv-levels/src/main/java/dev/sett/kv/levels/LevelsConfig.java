package dev.sett.kv.levels;

import dev.sett.kv.Compression;
import dev.sett.kv.io.Storage;
import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.CompactionStrategy;
import dev.sett.kv.spi.TableFormat;
import java.time.InstantSource;
import java.util.function.Function;

/**
 * What the {@link LevelsController} works with: the directory, the providers the engine resolved
 * and the options that concern tables and compaction.
 *
 * @param storage the database directory
 * @param dbId the database id, recorded in every table
 * @param tableFormat the format new tables are written in
 * @param formats finds the format that wrote an existing table, by the name the MANIFEST records
 * @param blockCache the cache of data blocks
 * @param indexCache the cache of index and bloom filter blocks
 * @param blockSize target block size
 * @param compression block compression of new tables
 * @param bloomFalsePositive bloom filter false-positive rate, 0 for none
 * @param strategy the compaction strategy
 * @param strategyName the strategy's name, for logs and errors
 * @param maxLevels the number of levels, L0 included
 * @param memTableSize the memtable size (the L0 table size)
 * @param numCompactors compactor threads; 0 for none
 * @param numVersionsToKeep versions kept at or below the discard timestamp
 * @param numLevelZeroTablesStall L0 tables at which flushes wait for compaction
 * @param maxOpenFiles table files open at once
 * @param clock the clock deciding which entries have expired
 */
public record LevelsConfig(Storage storage, byte[] dbId, TableFormat tableFormat,
    Function<String, TableFormat> formats, BlockCache blockCache, BlockCache indexCache,
    int blockSize, Compression compression, double bloomFalsePositive,
    CompactionStrategy strategy, String strategyName, int maxLevels, long memTableSize,
    int numCompactors, int numVersionsToKeep, int numLevelZeroTablesStall, int maxOpenFiles,
    InstantSource clock) {}
