/**
 * The engine behind {@link dev.sett.kv.Db}. Internal: nothing here is exported; applications
 * reach it through {@code Db.open} and the {@code core} {@link dev.sett.kv.spi.EngineProvider}.
 *
 * <p>Map: {@link dev.sett.kv.core.SettDb} runs the open and close sequences and owns the state;
 * {@link dev.sett.kv.core.WritePipeline} is the single-writer group-commit path, with
 * {@link dev.sett.kv.core.WriteThrottle} for back-pressure and
 * {@link dev.sett.kv.core.MemTableList} for the reference-counted memtables;
 * {@link dev.sett.kv.core.Flusher} turns full memtables into L0 tables;
 * {@link dev.sett.kv.core.FailureState} is the failed state all of them share;
 * {@link dev.sett.kv.core.WalWriter} and {@link dev.sett.kv.core.WalReplayer} write and replay
 * the {@code .mem} files, and {@link dev.sett.kv.core.WalRecovery} replays them all at open; {@link dev.sett.kv.core.Oracle} hands out timestamps and detects
 * conflicts; {@link dev.sett.kv.core.Transaction}, {@link dev.sett.kv.core.DbIterator} and
 * {@link dev.sett.kv.core.BatchWriter} implement the public API; {@link
 * dev.sett.kv.core.SnapshotStream} is the {@code Stream}, run by {@link dev.sett.kv.core.StreamRun}
 * with {@link dev.sett.kv.core.StreamWorker}s over {@link dev.sett.kv.core.KeySplits} ranges.
 */
package dev.sett.kv.core;
