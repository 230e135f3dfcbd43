/**
 * The value separation policies of {@code kv-vlog}, found through {@link
 * dev.sett.kv.spi.ValueSeparationPolicy}: {@code threshold} ({@link ThresholdPolicy}, a fixed
 * size, Badger's ValueThreshold) and {@code percentile} ({@link PercentilePolicy}, Badger's
 * VLogPercentile: a percentile of recent value sizes, kept in a {@link SizeHistogram}, clamped to
 * [valueThreshold, maxValueThreshold]). A policy only decides where a new entry's value goes; the
 * decision is stored with the entry ({@link dev.sett.kv.spi.EntryMeta#VALUE_POINTER}), so a
 * threshold that moves never affects reads, compaction or GC.
 */
package dev.sett.kv.vlog.policy;
