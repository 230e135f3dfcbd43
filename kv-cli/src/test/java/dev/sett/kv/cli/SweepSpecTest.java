package dev.sett.kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Compression;
import dev.sett.kv.Options;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reading {@code --sweep NAME=V1,V2,...} and {@code --option NAME=VALUE}: names found on the
 * options builder, values read by type, and every mistake refused with a message naming the
 * option, the value and what is allowed.
 */
class SweepSpecTest {

  private static List<Object> values(SweepSpec s) {
    return s.points().stream().map(OptionSetting::value).toList();
  }

  @Test
  void valueThreshold_readsSizesInOrder_onALogAxis() {
    SweepSpec s = SweepSpec.parse("valueThreshold=64,1k,4k,16k,64k,1m");
    assertEquals("valueThreshold", s.name());
    assertEquals(List.of(64L, 1024L, 4096L, 16384L, 65536L, 1048576L), values(s));
    assertEquals(List.of("64", "1k", "4k", "16k", "64k", "1m"),
        s.points().stream().map(OptionSetting::text).toList());
    assertEquals("valueThreshold=4k", s.points().get(2).toString());
    assertEquals(4096.0, s.points().get(2).number());
    assertTrue(s.logScale());
  }

  @Test
  void zeroInANumericSweep_isDrawnAsBars() {
    assertFalse(SweepSpec.parse("valueThreshold=0,64,1k").logScale());
  }

  @Test
  void compaction_isShortForCompactionStrategy_andIsCategorical() {
    SweepSpec s = SweepSpec.parse("compaction=leveled,tiered");
    assertEquals("compactionStrategy", s.name());
    assertEquals(List.of("leveled", "tiered"), values(s));
    assertFalse(s.logScale());
  }

  @Test
  void memTable_providersRegisteredInKvSkiplist() {
    SweepSpec s = SweepSpec.parse("memTable=skiplist,concurrent-skiplist");
    assertEquals(List.of("skiplist", "concurrent-skiplist"), values(s));
  }

  @Test
  void anyBuilderFieldOfASimpleType_isReadByItsType() {
    assertEquals(List.of(2, 4), values(SweepSpec.parse("numCompactors=2,4")));
    assertEquals(List.of(4096L, 8L << 20), values(SweepSpec.parse("base-table-size=4k,8m")));
    assertEquals(List.of(0.01, 0.1), values(SweepSpec.parse("bloomFalsePositive=0.01,0.1")));
    assertEquals(List.of(false, true), values(SweepSpec.parse("detectConflicts=false,TRUE")));
    assertEquals(List.of(Compression.NONE, Compression.LZ4),
        values(SweepSpec.parse("compression=none,lz4")));
    assertTrue(OptionSetters.names().containsAll(List.of("valueThreshold", "memTable",
        "compactionStrategy", "memTableSize", "numCompactors", "compression", "syncWrites")));
  }

  @Test
  void durations_acceptUnitsAndIso() throws Exception {
    // Any Duration setter of the builder; the test makes its own to not depend on which exist.
    OptionSetter d = new OptionSetter(Probe.class.getMethod("every", Duration.class),
        OptionSetter.Kind.DURATION, List.of());
    assertEquals(Duration.ofMillis(500), d.read("500ms"));
    assertEquals(Duration.ofMinutes(5), d.read("5m"));
    assertEquals(Duration.ZERO, d.read("0"));
    assertEquals(Duration.ofMinutes(1), d.read("PT1M"));
    assertThrows(IllegalArgumentException.class, () -> d.read("5"));
    assertEquals(300.0, d.number(Duration.ofMinutes(5)));
  }

  /** A stand-in setter with a Duration parameter. */
  static final class Probe {
    /**
     * Takes a duration.
     *
     * @param d the duration
     * @return null
     */
    public Options.Builder every(Duration d) {
      return null;
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "valueThreshold|'valueThreshold' is not NAME=V1,V2,...",
      "fooBar=1,2|unknown option 'fooBar'; settable: ",
      "valueThreshold=64,abc|valueThreshold: 'abc' is not a size in bytes such as 64, 4k or 1m",
      "valueThreshold=-1|valueThreshold: '-1' is not a size in bytes",
      "valueThreshold=64,,1k|has an empty value",
      "valueThreshold=64,|has an empty value",
      "valueThreshold=1k,1024|gives valueThreshold=1024 twice",
      "compaction=leveled,teired|compactionStrategy: 'teired' is not one of leveled, tiered",
      "memTable=skiplist,nope|memTable: 'nope' is not one of concurrent-skiplist, skiplist",
      "memTableSize=1k|memTableSize=1k: memTableSize must be in [65536, 1073741824], got 1024",
      "numCompactors=two|numCompactors: 'two' is not a whole number",
      "syncWrites=yes|syncWrites: 'yes' is not true or false",
      "compression=zstd|compression: 'zstd' is not one of NONE, LZ4"})
  void badSweeps_areRefusedWithAMessageNamingWhatIsWrong(String spec, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SweepSpec.parse(spec));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void unknownName_listsTheSettableOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SweepSpec.parse("treshold=1,2"));
    assertTrue(e.getMessage().contains("valueThreshold"), e.getMessage());
    assertTrue(e.getMessage().contains("compactionStrategy"), e.getMessage());
  }

  @Test
  void optionConverter_readsOneNameValue() {
    OptionSetting s = new OptionSetting.Converter().convert("baseTableSize=4m");
    assertEquals("baseTableSize", s.name());
    assertEquals(4L << 20, s.value());
    assertEquals("--option", s.givenBy());
    Options.Builder b = Options.inMemory();
    s.apply(b);
    assertEquals(4L << 20, b.build().baseTableSize());
  }

  @Test
  void valueThresholdAboveTheDefaultBound_raisesTheBound() {
    Options.Builder b = Options.inMemory();
    SweepSpec.parse("valueThreshold=4m").points().get(0).apply(b);
    Options o = b.build();
    assertEquals(4L << 20, o.valueThreshold());
    assertEquals(4L << 20, o.maxValueThreshold());
  }
}
