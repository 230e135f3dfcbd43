/**
 * The {@code vlog-v1} value log: {@link dev.sett.kv.vlog.VlogV1Format} (the provider, found
 * through {@link dev.sett.kv.spi.ValueLogFormat}) opens a {@code FileValueLog}, which appends
 * records ({@code VlogRecords}, read back by {@code RecordReader}) to {@code NNNNNN.vlog} files,
 * rotates them, syncs the one being written in the background every {@code bytesPerSync} bytes,
 * and serves reads by pointer, scans for garbage collection and deletions. The byte layout is in
 * {@code docs/formats/vlog.md}; the separation policies are in {@code dev.sett.kv.vlog.policy}.
 */
package dev.sett.kv.vlog;
