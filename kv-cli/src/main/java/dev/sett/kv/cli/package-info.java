/**
 * The {@code sett} command line tool, built on picocli.
 *
 * <p>Map: {@link dev.sett.kv.cli.SettCli} is the entry point; {@link
 * dev.sett.kv.cli.UsageErrorReporter} and {@link dev.sett.kv.cli.ErrorReporter} turn failures into
 * exit codes (2 bad arguments, 1 runtime error, 0 success) and {@link dev.sett.kv.cli.EngineLog}
 * turns the engine's log into one-line messages; {@link dev.sett.kv.cli.PutCommand}, {@link
 * dev.sett.kv.cli.GetCommand}, {@link dev.sett.kv.cli.DeleteCommand} and {@link
 * dev.sett.kv.cli.ScanCommand} share {@link dev.sett.kv.cli.StoreOptions} ({@code --dir},
 * {@code --hex}); {@link dev.sett.kv.cli.BenchCommand} drives a {@link
 * dev.sett.kv.cli.BenchWorkload} (value sizes from {@link dev.sett.kv.cli.ValueSizes}) through
 * phases measured by {@link dev.sett.kv.cli.PhaseRecorder} and printed by {@link
 * dev.sett.kv.cli.BenchReport}, with the disk cost from {@link dev.sett.kv.cli.DiskFootprint}.
 * Database options are set by name through {@link dev.sett.kv.cli.OptionSetters} (each an {@link
 * dev.sett.kv.cli.OptionSetter}, set to an {@link dev.sett.kv.cli.OptionSetting}). {@code bench
 * --sweep} ({@link dev.sett.kv.cli.BenchSweep}) reads a {@link dev.sett.kv.cli.SweepSpec}, runs each
 * point in a {@link dev.sett.kv.cli.ChildJvm} that hands back a {@link dev.sett.kv.cli.PointResult},
 * shows a {@link dev.sett.kv.cli.SweepProgress} and writes {@link dev.sett.kv.cli.ResultsCsv} and
 * {@link dev.sett.kv.cli.SweepCharts} (with a {@link dev.sett.kv.cli.SweepIndexPage}), each
 * through a {@link dev.sett.kv.cli.WholeFileWriter}.
 *
 * <p>Thread safety: everything here runs on the thread that called {@code SettCli.run}; no class
 * is meant to be shared between threads. A sweep's points run in child processes, one at a
 * time. Nothing is exported: the public surface is the command line.
 */
package dev.sett.kv.cli;
