/**
 * The stores Sett is measured against, behind one small interface ({@link
 * dev.sett.kv.bench.peers.KvStore}): Sett itself, RocksDB (RocksJava, which ships its native
 * library) and LMDB (LMDBJava), each with its library's defaults and the durability of Sett's
 * default: no fsync per write, each write handed to the operating system before the call returns.
 * The peers are dependencies of kv-bench only, never of the engine.
 */
package dev.sett.kv.bench.peers;
