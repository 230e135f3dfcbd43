/**
 * The {@code sst-v1} table format ({@link dev.sett.kv.table.SstV1Format}): the builder that writes
 * sorted entries into checksummed, optionally LZ4-compressed data blocks with an index, a bloom
 * filter and a footer, and the reader that serves point lookups and iterators from them through
 * the block and index caches. The byte layout is in {@code docs/formats/sst.md}.
 *
 * <p>Thread safety: the format is stateless; a builder belongs to one thread; an open table is
 * safe for any number of concurrent gets and iterators; each iterator belongs to one thread.
 * Every unit read from a file is checksummed and structurally checked before anything uses or
 * caches it, so damage surfaces as {@link dev.sett.kv.CorruptionException}, never as wrong data
 * or an index out of bounds.
 */
package dev.sett.kv.table;
