package dev.sett.kv.vlog.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Options;
import dev.sett.kv.internal.Registries;
import dev.sett.kv.spi.ValueSeparationPolicy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Both policies are found by name through the registry, {@code threshold} is the default, and
 * options select and configure them as the engine will.
 */
class ProvidersTest {

  @Test
  void theRegistry_findsBothPolicies_andDefaultsToThreshold() {
    var registry = Registries.valueSeparationPolicies();
    assertTrue(registry.names().containsAll(java.util.Set.of("threshold", "percentile")),
        registry.names().toString());
    assertInstanceOf(ThresholdPolicy.class, registry.select(null));
    assertInstanceOf(PercentilePolicy.class, registry.lookup("percentile"));
  }

  @Test
  void options_selectAndConfigureThePolicy() {
    Options o = Options.builder(Path.of("db")).valueThreshold(1024).maxValueThreshold(1 << 16)
        .vlogPercentile(0.9).build();
    ValueSeparationPolicy p = Registries.valueSeparationPolicies()
        .select(o.valueSeparationPolicy())
        .newInstance(o.valueThreshold(), o.maxValueThreshold(), o.vlogPercentile());
    assertInstanceOf(PercentilePolicy.class, p);
    assertEquals(1024, p.currentThreshold(), "starts at valueThreshold");

    Options d = Options.builder(Path.of("db")).build();
    ValueSeparationPolicy fixed = Registries.valueSeparationPolicies()
        .select(d.valueSeparationPolicy())
        .newInstance(d.valueThreshold(), d.maxValueThreshold(), d.vlogPercentile());
    assertInstanceOf(ThresholdPolicy.class, fixed);
    assertEquals(Options.DEFAULT_VALUE_THRESHOLD, fixed.currentThreshold());
  }
}
