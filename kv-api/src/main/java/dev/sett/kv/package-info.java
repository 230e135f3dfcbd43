/**
 * The public API of Sett: {@link dev.sett.kv.Db}, {@link dev.sett.kv.Txn}, {@link dev.sett.kv.Item},
 * {@link dev.sett.kv.KvIterator}, {@link dev.sett.kv.WriteBatch}, {@link dev.sett.kv.Stream},
 * {@link dev.sett.kv.Options} and the exception hierarchy rooted at {@link
 * dev.sett.kv.KvException}.
 *
 * <p>Thread safety: a {@code Db} is safe for use by many threads; a {@code Txn}, its iterators and a
 * {@code WriteBatch} belong to one thread at a time. Every exception is unchecked; absence of a key
 * is never an exception.
 */
package dev.sett.kv;
