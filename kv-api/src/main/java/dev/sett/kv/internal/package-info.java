/**
 * Helpers shared by Sett's own modules and exported only to them: the provider registry, key
 * validation, the varint and big-endian integer coding of every file format, and the
 * uninterruptible thread join of shutdowns, and the shared state behind a {@link
 * dev.sett.kv.MemoryBudget} (the memtable pool, the shared caches and each database's namespaced
 * view of them, reached through {@link dev.sett.kv.internal.BudgetAccess}). Not an API: may change
 * in any release. Thread-safe where the class says so.
 */
package dev.sett.kv.internal;
