package dev.sett.kv.vlog.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.spi.ValueSeparationPolicy;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link ThresholdPolicy}: separates exactly the values at least as long as the threshold,
 * whatever the key, and rejects bad settings and lengths.
 */
class ThresholdPolicyTest {

  private static ValueSeparationPolicy policy(long threshold) {
    return new ThresholdPolicy().newInstance(threshold, Integer.MAX_VALUE, 0);
  }

  @Test
  void theBoundaryValue_isSeparated_asBadger() {
    ValueSeparationPolicy p = policy(1024);
    assertFalse(p.separate(10, 1023));
    assertTrue(p.separate(10, 1024));
    assertTrue(p.separate(10, 1025));
    assertEquals(1024, p.currentThreshold());
  }

  @Test
  void theProviderInstance_isNamedThreshold_andUsesBadgersDefault() {
    ThresholdPolicy provider = new ThresholdPolicy();
    assertEquals("threshold", provider.name());
    assertEquals(ValueSeparationPolicy.DEFAULT_NAME, provider.name());
    assertEquals(1L << 20, provider.currentThreshold());
    assertFalse(provider.separate(1, (1 << 20) - 1));
    assertTrue(provider.separate(1, 1 << 20));
  }

  @Test
  void zeroSeparatesEverything_andTheLargestIntSeparatesNothingSmaller() {
    assertTrue(policy(0).separate(0, 0));
    assertFalse(policy(Integer.MAX_VALUE).separate(0, Integer.MAX_VALUE - 1));
  }

  @Test
  void badSettings_areRejectedNamingOptionValueAndRange() {
    ThresholdPolicy provider = new ThresholdPolicy();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> provider.newInstance(-1, 100, 0));
    assertTrue(e.getMessage().contains("valueThreshold must be in [0, maxValueThreshold=100],"
        + " got -1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> provider.newInstance(101, 100, 0));
    assertTrue(e.getMessage().contains("got 101"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> provider.newInstance(0, 1L << 31, 0));
    assertTrue(e.getMessage().contains("maxValueThreshold must be in [0, 2147483647], got "
        + (1L << 31)), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> provider.newInstance(0, 1, 1.5));
    assertTrue(e.getMessage().contains("vlogPercentile must be in [0, 1], got 1.5"));
    assertThrows(IllegalArgumentException.class, () -> provider.newInstance(0, 1, Double.NaN));
  }

  @Test
  void negativeLengths_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> policy(10).separate(1, -1));
    assertThrows(IllegalArgumentException.class, () -> policy(10).separate(-1, 1));
  }

  @Property
  void separates_exactlyTheValuesAtLeastTheThreshold(
      @ForAll @IntRange(min = 0) int threshold,
      @ForAll @IntRange(min = 0) int keyLength,
      @ForAll @IntRange(min = 0) int valueLength) {
    ValueSeparationPolicy p = policy(threshold);
    assertEquals(valueLength >= threshold, p.separate(keyLength, valueLength));
    assertEquals(threshold, p.currentThreshold());
  }
}
