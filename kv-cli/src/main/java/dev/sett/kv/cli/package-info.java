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
 * dev.sett.kv.cli.BenchWorkload} through phases measured by {@link dev.sett.kv.cli.PhaseRecorder}
 * and printed by {@link dev.sett.kv.cli.BenchReport}.
 *
 * <p>Thread safety: everything here runs on the thread that called {@code SettCli.run}; no class
 * is meant to be shared between threads. Nothing is exported: the public surface is the command
 * line.
 */
package dev.sett.kv.cli;
