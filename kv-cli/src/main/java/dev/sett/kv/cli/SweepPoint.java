package dev.sett.kv.cli;

/**
 * One finished point of a sweep: the value it ran with and what it measured.
 *
 * @param setting the swept option's value at this point
 * @param result what the point's bench run measured
 * @param elapsedNanos wall time of the point's child JVM, start to exit
 */
record SweepPoint(OptionSetting setting, PointResult result, long elapsedNanos) {}
