/**
 * The MANIFEST: the durable record of a database's identity and, with the LSM-tree issue, of the
 * tables in each level. Used by kv-core only.
 */
package dev.sett.kv.levels;
