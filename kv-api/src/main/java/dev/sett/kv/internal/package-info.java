/**
 * Helpers shared by Sett's own modules and exported only to them: the provider registry, key
 * validation and varint coding. Not an API: may change in any release.
 */
package dev.sett.kv.internal;
