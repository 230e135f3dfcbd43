package dev.sett.kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

/** {@code --value-size}: a fixed size or uniform:MIN..MAX, drawn per key from the seed. */
class ValueSizesTest {

  @ParameterizedTest
  @CsvSource({"128,128,128", "16k,16384,16384", "0,0,0", "uniform:128..64k,128,65536",
      "uniform:1k..1k,1024,1024", "' uniform:0..1m ',0,1048576"})
  void parses(String text, int min, int max) {
    ValueSizes s = ValueSizes.parse(text);
    assertEquals(min, s.min());
    assertEquals(max, s.max());
    assertEquals(min == max, s.isFixed());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "abc|'abc' is not a size",
      "-1|'-1' is not a size",
      "uniform:64k..128|the smallest size (65536) is larger than the largest (128)",
      "uniform:128|is not a value size: give a size such as 128 or 16k, or a distribution",
      "normal:1k..2k|is not a value size",
      "uniform:1k..lots|'lots' is not a size",
      "3g|a value size must be at most 2147483639 bytes, got 3221225472"})
  void rejects(String text, String message) {
    TypeConversionException e =
        assertThrows(TypeConversionException.class, () -> ValueSizes.parse(text));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void drawnSizes_stayInRange_varyByKey_andFollowTheSeed() {
    ValueSizes sizes = ValueSizes.parse("uniform:100..199");
    BenchWorkload a = new BenchWorkload(7, 10_000, sizes);
    BenchWorkload b = new BenchWorkload(7, 10_000, sizes);
    BenchWorkload other = new BenchWorkload(8, 10_000, sizes);
    long sum = 0;
    int differ = 0;
    boolean sawMin = false;
    boolean sawMax = false;
    for (long i = 0; i < 10_000; i++) {
      int n = a.valueSize(i);
      assertTrue(n >= 100 && n <= 199, "size " + n);
      assertEquals(n, b.valueSize(i), "same seed, same size");
      differ += n == other.valueSize(i) ? 0 : 1;
      sawMin |= n == 100;
      sawMax |= n == 199;
      sum += n;
    }
    assertTrue(sawMin && sawMax, "both ends drawn");
    assertTrue(differ > 9_000, "another seed draws other sizes: " + differ);
    assertEquals(149.5, sum / 10_000.0, 2.0); // uniform: the mean is the middle
    assertEquals(sum, a.totalValueBytes());
    assertEquals(16L * 10_000 + sum, a.userBytes());
  }

  @Test
  void fixedSize_everyValueTheSame() {
    BenchWorkload w = new BenchWorkload(1, 100, ValueSizes.parse("1k"));
    assertEquals(1024, w.valueSize(0));
    assertEquals(1024, w.valueSize(99));
    assertEquals(1024L * 100, w.totalValueBytes());
    assertFalse(w.valueSizes().toString().isEmpty());
  }
}
