/**
 * Helpers shared by Sett's own modules and exported only to them: the provider registry, key
 * validation, the varint and big-endian integer coding of every file format, and the
 * uninterruptible thread join of shutdowns. Not an API: may change in any release.
 */
package dev.sett.kv.internal;
