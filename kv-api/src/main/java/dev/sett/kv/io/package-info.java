/**
 * Storage abstraction: every byte Sett reads or writes goes through {@link
 * dev.sett.kv.io.Storage}, so tests can inject faults ({@code FaultyStorage} in kv-testkit) and an
 * in-memory database needs no disk. {@link dev.sett.kv.io.NioStorage} is the default; {@link
 * dev.sett.kv.io.MemoryStorage} backs {@link dev.sett.kv.Options#inMemory()}. {@link
 * dev.sett.kv.io.FileHeader} is the one header codec shared by every file kind.
 *
 * <p>Storage methods throw checked {@link java.io.IOException}s, so the compiler tracks every I/O
 * path; the engine translates them once, at the API boundary, into {@link
 * dev.sett.kv.StorageException}.
 */
package dev.sett.kv.io;
