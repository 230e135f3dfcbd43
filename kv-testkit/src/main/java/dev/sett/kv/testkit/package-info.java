/**
 * Shared test fixtures: {@code FaultyStorage}, SPI contract suites and reference models.
 */
package dev.sett.kv.testkit;
