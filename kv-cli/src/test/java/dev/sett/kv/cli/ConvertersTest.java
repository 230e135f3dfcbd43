package dev.sett.kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** The number formats the options accept. */
class ConvertersTest {

  @ParameterizedTest
  @CsvSource({"0,0", "2000,2000", "1_000_000,1000000", "'1,000',1000", "10k,10000",
      "2m,2000000", "1G,1000000000"})
  void count_parses(String text, long expected) {
    assertEquals(expected, CountConverter.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "-1", "k", "1.5m", "lots", "99999999999999999999", "9223372036854775807k"})
  void count_rejects(String text) {
    assertThrows(TypeConversionException.class, () -> CountConverter.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"0,0", "128,128", "128b,128", "1k,1024", "64KiB,65536", "64 kb,65536",
      "32m,33554432", "1g,1073741824", "1_024,1024"})
  void size_parses(String text, long expected) {
    assertEquals(expected, ByteSizeConverter.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "1.5m", "12 parsecs", "m", "99999999999g"})
  void size_rejects(String text) {
    assertThrows(TypeConversionException.class, () -> ByteSizeConverter.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"42,42", "-1,-1", "0x2a,42", "0xffffffffffffffff,-1", "0X5EED,24301"})
  void seed_parses(String text, long expected) {
    assertEquals(expected, new SeedConverter().convert(text));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x5eed})
  void seed_formatIsReadBack(long seed) {
    assertEquals(seed, new SeedConverter().convert(SeedConverter.format(seed)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0x", "0xg", "seed", "0x1ffffffffffffffff"})
  void seed_rejects(String text) {
    assertThrows(TypeConversionException.class, () -> new SeedConverter().convert(text));
  }
}
