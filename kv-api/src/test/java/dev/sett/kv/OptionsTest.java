package dev.sett.kv;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;
import dev.sett.kv.spi.ValueLogFormat;
import dev.sett.kv.spi.ValueSeparationPolicy;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Options}: proves that the defaults are Badger's, that every setter rejects a bad value at
 * once with an {@link IllegalArgumentException} naming the option, the value and the allowed
 * range (and accepts both ends of the range), that {@code build()} enforces the rules between
 * options, and that options are immutable values: {@code toBuilder().build()} gives an equal
 * value, and changing any single option gives an unequal one.
 */
class OptionsTest {

  private static final Path DIR = Path.of("data");

  /** A memtable provider instance for the bypass option; never asked to create anything. */
  private static final class NamedFactory implements MemTableFactory {
    @Override
    public String name() {
      return "test-memtable";
    }

    @Override
    public MemTable create(long capacityBytes) {
      throw new UnsupportedOperationException("not used by these tests");
    }
  }

  /** A separation policy instance for the bypass option; never asked to decide. */
  private static final class NamedPolicy implements ValueSeparationPolicy {
    @Override
    public String name() {
      return "test-policy";
    }

    @Override
    public ValueSeparationPolicy newInstance(long valueThreshold, long maxValueThreshold,
        double percentile) {
      return this;
    }

    @Override
    public boolean separate(int keyLength, int valueLength) {
      throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public long currentThreshold() {
      return 0;
    }
  }

  /**
   * A value log format instance for the bypass option: a proxy that answers {@code name()} only
   * (these tests never open a value log, and so do not depend on {@code open}'s signature).
   */
  private static ValueLogFormat newNamedFormat() {
    return (ValueLogFormat) Proxy.newProxyInstance(ValueLogFormat.class.getClassLoader(),
        new Class<?>[] {ValueLogFormat.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "name":
              return "test-vlog";
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            case "toString":
              return "NamedFormat";
            default:
              throw new UnsupportedOperationException("not used by these tests: " + method);
          }
        });
  }

  private static IllegalArgumentException assertRejected(Executable setter, String option,
      String value, String range) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, setter);
    String m = e.getMessage();
    assertAll(
        () -> assertTrue(m.contains(option), "names the option: " + m),
        () -> assertTrue(m.contains(value), "names the value " + value + ": " + m),
        () -> assertTrue(m.contains(range), "names the range " + range + ": " + m));
    return e;
  }

  // ---- defaults ------------------------------------------------------------------------------

  @Test
  void defaults_equalBadgersDefaultOptions() {
    Options o = Options.builder(DIR).build();
    assertAll(
        () -> assertEquals(64L << 20, o.memTableSize(), "memTableSize: Badger's 64 MiB"),
        () -> assertEquals(3, o.numMemtables(), "numMemtables: what half the budget holds"),
        () -> assertFalse(o.syncWrites(), "syncWrites: Badger's false"),
        () -> assertTrue(o.detectConflicts(), "detectConflicts: Badger's true"),
        () -> assertEquals(Options.DEFAULT_MEM_TABLE_SIZE, o.memTableSize()),
        () -> assertEquals(65_000, Options.MAX_KEY_SIZE, "Badger's maximum key size"));
  }

  @Test
  void defaults_ofTheValueLogOptions_areBadgersButTheThreshold() {
    Options o = Options.builder(DIR).build();
    assertAll(
        () -> assertEquals(1024, o.valueThreshold(), "valueThreshold: Sett's 1 KiB (sweep)"),
        () -> assertEquals(1L << 20, o.maxValueThreshold(), "maxValueThreshold: Badger's 1 MiB"),
        () -> assertEquals(0.0, o.vlogPercentile(), "vlogPercentile: Badger's 0 (off)"),
        () -> assertEquals((1L << 30) - 1, o.valueLogFileSize(), "Badger's 1 GiB - 1"),
        () -> assertEquals(1_000_000, o.valueLogMaxEntries(), "Badger's 1,000,000"),
        () -> assertEquals(Options.DEFAULT_VALUE_THRESHOLD, o.valueThreshold()),
        () -> assertEquals(Options.DEFAULT_MAX_VALUE_THRESHOLD, o.maxValueThreshold()),
        () -> assertEquals(Options.DEFAULT_VLOG_PERCENTILE, o.vlogPercentile()),
        () -> assertEquals(Options.DEFAULT_VALUE_LOG_FILE_SIZE, o.valueLogFileSize()),
        () -> assertEquals(Options.DEFAULT_VALUE_LOG_MAX_ENTRIES, o.valueLogMaxEntries()),
        () -> assertNull(o.valueSeparationPolicy(), "null selects the registry default"),
        () -> assertNull(o.valueSeparationPolicyProvider()),
        () -> assertNull(o.valueLogFormat(), "null selects the registry default"),
        () -> assertNull(o.valueLogFormatProvider()));
    assertEquals(o.valueThreshold(), Options.inMemory().build().valueThreshold());
  }

  @Test
  void defaults_leaveEveryProviderAndSeamUnset() {
    Options o = Options.builder(DIR).build();
    assertAll(
        () -> assertEquals(DIR, o.dir()),
        () -> assertFalse(o.isInMemory()),
        () -> assertNull(o.storage(), "default storage is chosen by the engine"),
        () -> assertNull(o.memTable(), "null selects the registry default"),
        () -> assertNull(o.memTableFactory()),
        () -> assertEquals(InstantSource.system(), o.clock()));
  }

  @Test
  void inMemory_hasNoDirectory_andTheSameDefaults() {
    Options o = Options.inMemory().build();
    assertTrue(o.isInMemory());
    assertNull(o.dir());
    assertFalse(o.syncWrites());
    assertEquals(Options.DEFAULT_MEM_TABLE_SIZE, o.memTableSize());
    assertEquals(3, o.numMemtables());
    assertEquals(Options.DEFAULT_MEMORY_BUDGET, o.memoryBudget());
    assertTrue(o.detectConflicts());
  }

  // ---- the memory budget ---------------------------------------------------------------------

  @Test
  void memoryBudget_byDefault_splitsIntoThreeMemtablesAndTheCaches() {
    Options o = Options.builder(DIR).build();
    long arena = o.memTableSize() + o.maxBatchSize() + (1 << 20);
    assertEquals(arena, o.memTableArenaBytes());
    assertEquals(512L << 20, o.memoryBudget());
    assertEquals(3, o.numMemtables());
    long rest = o.memoryBudget() - 3 * arena;
    assertEquals(rest / 4 * 3, o.blockCacheSize(), "three quarters of the rest");
    assertEquals(rest - rest / 4 * 3, o.indexCacheSize(), "the last quarter");
    assertEquals(o.memoryBudget(), 3 * arena + o.blockCacheSize() + o.indexCacheSize());
  }

  @Test
  void memoryBudget_aLargerOne_givesMoreMemtablesUpToFive_andBiggerCaches() {
    Options o = Options.builder(DIR).memoryBudget(1L << 30).build();
    long arena = o.memTableArenaBytes();
    assertEquals(Math.min(5, (1L << 30) / 2 / arena), o.numMemtables());
    assertEquals(1L << 30, o.numMemtables() * arena + o.blockCacheSize() + o.indexCacheSize());
    Options huge = Options.builder(DIR).memoryBudget(8L << 30).build();
    assertEquals(Options.DEFAULT_NUM_MEMTABLES, huge.numMemtables());
    assertTrue(huge.blockCacheSize() > 5L << 30, "the caches take the rest");
    Options small = Options.builder(DIR).memTableSize(1 << 20).memoryBudget(16L << 20).build();
    assertEquals(3, small.numMemtables(), "8 MiB holds three 2.15 MiB memtables");
    Options many = Options.builder(DIR).memTableSize(1 << 20).memoryBudget(32L << 20).build();
    assertEquals(5, many.numMemtables(), "16 MiB would hold seven; capped at 5");
  }

  @Test
  void memoryBudget_explicitParts_areKept_andTheRestIsShared() {
    Options o = Options.builder(DIR).blockCacheSize(10L << 20).build();
    assertEquals(10L << 20, o.blockCacheSize());
    assertEquals(o.memoryBudget() - 3 * o.memTableArenaBytes() - (10L << 20),
        o.indexCacheSize(), "the index cache takes what the block cache left");
    Options both = Options.builder(DIR).numMemtables(5).blockCacheSize(256L << 20)
        .indexCacheSize(64L << 20).build();
    assertEquals(5 * both.memTableArenaBytes() + (320L << 20), both.memoryBudget(),
        "without an explicit budget, the budget grows to hold explicit parts (Badger's sizes)");
    assertEquals(both, both.toBuilder().build());
    Options smaller = both.toBuilder().memTableSize(1 << 20).build();
    assertEquals(5, smaller.numMemtables(), "explicit parts stay explicit through toBuilder");
    Options derived = Options.builder(DIR).build().toBuilder().memTableSize(8 << 20).build();
    assertEquals(5, derived.numMemtables(), "derived parts are derived again");
  }

  @Test
  void memoryBudget_tooSmallForExplicitParts_failsAtBuild_namingTheParts() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Options.builder(DIR).memoryBudget(128L << 20).numMemtables(3).build());
    assertTrue(e.getMessage().contains("memoryBudget 134217728 is too small"), e.getMessage());
    assertTrue(e.getMessage().contains("3 memtable(s)"), e.getMessage());
    assertRejected(() -> Options.builder(DIR).memoryBudget(1 << 20), "memoryBudget", "1048576",
        "[16777216, 1099511627776]");
    assertEquals(100L << 20, Options.builder(DIR).memTableSize(8 << 20).memoryBudget(100L << 20)
        .build().memoryBudget());
  }

  @Test
  void builder_rejectsANullDirectory() {
    assertThrows(NullPointerException.class, () -> Options.builder(null));
  }

  @Test
  void maxBatchSize_is15PercentOfTheMemtable_asBadger() {
    Options o = Options.builder(DIR).build();
    assertEquals((64L << 20) * 15 / 100, o.maxBatchSize());
    assertEquals(o.maxBatchSize() / MemTable.MAX_ENTRY_OVERHEAD, o.maxBatchCount());
    Options small = Options.builder(DIR).memTableSize(Options.MIN_MEM_TABLE_SIZE).build();
    assertEquals(Options.MIN_MEM_TABLE_SIZE * 15 / 100, small.maxBatchSize());
  }

  // ---- setters: bad values -------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(longs = {Long.MIN_VALUE, -1, 0, 1, (64L << 10) - 1, (1L << 30) + 1,
      Long.MAX_VALUE})
  void memTableSize_outOfRange_namesOptionValueAndRange(long bytes) {
    assertRejected(() -> Options.builder(DIR).memTableSize(bytes), "memTableSize",
        Long.toString(bytes), "[" + (64L << 10) + ", " + (1L << 30) + "]");
  }

  @Test
  void memTableSize_acceptsBothEndsOfItsRange() {
    assertEquals(Options.MIN_MEM_TABLE_SIZE,
        Options.builder(DIR).memTableSize(64L << 10).build().memTableSize());
    assertEquals(Options.MAX_MEM_TABLE_SIZE,
        Options.builder(DIR).memTableSize(1L << 30).build().memTableSize());
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 1, 65, Integer.MAX_VALUE})
  void numMemtables_outOfRange_namesOptionValueAndRange(int count) {
    assertRejected(() -> Options.builder(DIR).numMemtables(count), "numMemtables",
        Integer.toString(count), "[2, 64]");
  }

  @Test
  void numMemtables_acceptsBothEndsOfItsRange() {
    assertEquals(2, Options.builder(DIR).numMemtables(2).build().numMemtables());
    assertEquals(64, Options.builder(DIR).numMemtables(64).build().numMemtables());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Skiplist", "SKIPLIST", "1skiplist", "-skiplist", "skip_list",
      "skip list", "skip.list", "skiplíst", "abcdefghijabcdefghijabcdefghijabc"})
  void memTable_invalidProviderName_namesOptionValueAndRule(String name) {
    assertRejected(() -> Options.builder(DIR).memTable(name), "memTable", "'" + name + "'",
        "lowercase letters, digits and '-', 1 to 32 characters, starting with a letter");
  }

  @Test
  void memTable_acceptsValidNames() {
    for (String ok : new String[] {"skiplist", "concurrent-skiplist", "a",
        "abcdefghijabcdefghijabcdefghijab"}) {
      assertEquals(ok, Options.builder(DIR).memTable(ok).build().memTable());
    }
  }

  @Test
  void nullArguments_areRejectedByTheSetters() {
    Options.Builder b = Options.builder(DIR);
    assertThrows(NullPointerException.class, () -> b.memTable(null));
    assertThrows(NullPointerException.class, () -> b.memTableFactory(null));
    assertThrows(NullPointerException.class, () -> b.storage(null));
    assertThrows(NullPointerException.class, () -> b.clock(null));
    assertThrows(NullPointerException.class, () -> b.valueSeparationPolicy(null));
    assertThrows(NullPointerException.class, () -> b.valueSeparationPolicyProvider(null));
    assertThrows(NullPointerException.class, () -> b.valueLogFormat(null));
    assertThrows(NullPointerException.class, () -> b.valueLogFormatProvider(null));
  }

  @Test
  void aRejectedValue_leavesTheBuilderUnchanged() {
    Options.Builder b = Options.builder(DIR).memTableSize(1L << 20).numMemtables(3);
    assertThrows(IllegalArgumentException.class, () -> b.memTableSize(0));
    assertThrows(IllegalArgumentException.class, () -> b.numMemtables(0));
    assertThrows(IllegalArgumentException.class, () -> b.memTable("Bad"));
    assertThrows(IllegalArgumentException.class, () -> b.valueThreshold(-1));
    assertThrows(IllegalArgumentException.class, () -> b.vlogPercentile(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> b.valueLogFileSize(0));
    Options o = b.build();
    assertEquals(Options.DEFAULT_VALUE_THRESHOLD, o.valueThreshold());
    assertEquals(Options.DEFAULT_VLOG_PERCENTILE, o.vlogPercentile());
    assertEquals(Options.DEFAULT_VALUE_LOG_FILE_SIZE, o.valueLogFileSize());
    assertEquals(1L << 20, o.memTableSize());
    assertEquals(3, o.numMemtables());
    assertNull(o.memTable());
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MIN_VALUE, -1, (1L << 31), Long.MAX_VALUE})
  void valueThreshold_outOfRange_namesOptionValueAndRange(long bytes) {
    assertRejected(() -> Options.builder(DIR).valueThreshold(bytes), "valueThreshold",
        Long.toString(bytes), "[0, 2147483647]");
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MIN_VALUE, -1, (1L << 31), Long.MAX_VALUE})
  void maxValueThreshold_outOfRange_namesOptionValueAndRange(long bytes) {
    assertRejected(() -> Options.builder(DIR).maxValueThreshold(bytes), "maxValueThreshold",
        Long.toString(bytes), "[0, 2147483647]");
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.NEGATIVE_INFINITY, -1, -0.01, -Double.MIN_VALUE, 1.0000001, 2,
      100, Double.POSITIVE_INFINITY, Double.NaN})
  void vlogPercentile_outsideZeroToOne_namesOptionValueAndRange(double p) {
    assertRejected(() -> Options.builder(DIR).vlogPercentile(p), "vlogPercentile",
        Double.toString(p), "[0, 1]");
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MIN_VALUE, -1, 0, 1, (1L << 20) - 1, 1L << 31, Long.MAX_VALUE})
  void valueLogFileSize_outOfRange_namesOptionValueAndRange(long bytes) {
    assertRejected(() -> Options.builder(DIR).valueLogFileSize(bytes), "valueLogFileSize",
        Long.toString(bytes), "[" + (1L << 20) + ", " + ((1L << 31) - 1) + "]");
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MIN_VALUE, -1, 1, 4095, (1L << 40) + 1})
  void bytesPerSync_outOfRange_namesOptionValueAndRange(long bytes) {
    assertRejected(() -> Options.builder(DIR).bytesPerSync(bytes), "bytesPerSync",
        Long.toString(bytes), "[4096, " + (1L << 40) + "]");
  }

  @org.junit.jupiter.api.Test
  void bytesPerSync_defaultsTo8MiB_andZeroTurnsItOff() {
    assertEquals(8L << 20, Options.builder(DIR).build().bytesPerSync());
    assertEquals(0, Options.builder(DIR).bytesPerSync(0).build().bytesPerSync());
    Options o = Options.builder(DIR).bytesPerSync(4096).build();
    assertEquals(o, o.toBuilder().build(), "kept by toBuilder and compared by equals");
    assertTrue(o.toString().contains("bytesPerSync=4096"));
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0})
  void valueLogMaxEntries_outOfRange_namesOptionValueAndRange(int count) {
    assertRejected(() -> Options.builder(DIR).valueLogMaxEntries(count), "valueLogMaxEntries",
        Integer.toString(count), "[1, 2147483647]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Percentile", "1threshold", "-x", "vlog_v1", "vlog v1",
      "abcdefghijabcdefghijabcdefghijabc"})
  void valueLogProviderNames_invalid_nameOptionValueAndRule(String name) {
    String rule = "lowercase letters, digits and '-', 1 to 32 characters, starting with a letter";
    assertRejected(() -> Options.builder(DIR).valueSeparationPolicy(name),
        "valueSeparationPolicy", "'" + name + "'", rule);
    assertRejected(() -> Options.builder(DIR).valueLogFormat(name), "valueLogFormat",
        "'" + name + "'", rule);
  }

  @Test
  void valueLogOptions_acceptBothEndsOfTheirRanges() {
    Options low = Options.builder(DIR).valueThreshold(0).maxValueThreshold(0).vlogPercentile(0)
        .valueLogFileSize(1L << 20).valueLogMaxEntries(1).build();
    assertAll(
        () -> assertEquals(0, low.valueThreshold()),
        () -> assertEquals(0, low.maxValueThreshold()),
        () -> assertEquals(0.0, low.vlogPercentile()),
        () -> assertEquals(1L << 20, low.valueLogFileSize()),
        () -> assertEquals(1, low.valueLogMaxEntries()));
    Options high = Options.builder(DIR).maxValueThreshold(Integer.MAX_VALUE)
        .valueThreshold(Integer.MAX_VALUE).vlogPercentile(1).valueLogFileSize((1L << 31) - 1)
        .valueLogMaxEntries(Integer.MAX_VALUE).build();
    assertAll(
        () -> assertEquals(Integer.MAX_VALUE, high.valueThreshold()),
        () -> assertEquals(Integer.MAX_VALUE, high.maxValueThreshold()),
        () -> assertEquals(1.0, high.vlogPercentile()),
        () -> assertEquals((1L << 31) - 1, high.valueLogFileSize()),
        () -> assertEquals(Integer.MAX_VALUE, high.valueLogMaxEntries()));
    assertEquals("percentile", Options.builder(DIR).valueSeparationPolicy("percentile")
        .build().valueSeparationPolicy());
    assertEquals("vlog-v1", Options.builder(DIR).valueLogFormat("vlog-v1").build()
        .valueLogFormat());
  }

  // ---- rules between options, checked at build() ---------------------------------------------

  @ParameterizedTest
  @CsvSource({"1048577, 1048576", "1, 0", "2147483647, 2147483646", "4096, 1024"})
  void valueThresholdAboveMaxValueThreshold_failsAtBuild_namingBothAndTheRange(long threshold,
      long max) {
    Options.Builder b = Options.builder(DIR).maxValueThreshold(max).valueThreshold(threshold);
    IllegalArgumentException e = assertRejected(b::build, "valueThreshold",
        Long.toString(threshold), "[0, maxValueThreshold=" + max + "]");
    assertTrue(e.getMessage().contains("maxValueThreshold"), e.getMessage());
  }

  @Test
  void valueThreshold_upToMaxValueThreshold_builds() {
    assertEquals(1L << 20, Options.builder(DIR).valueThreshold(1L << 20).build()
        .valueThreshold(), "equal to the default bound");
    Options big = Options.builder(DIR).valueThreshold(8L << 20).maxValueThreshold(8L << 20)
        .build();
    assertEquals(8L << 20, big.valueThreshold());
    assertEquals(1024, Options.builder(DIR).valueThreshold(1024).build().valueThreshold());
  }

  @Test
  void valueThreshold_leavesMaxValueSizeAlone_untilTheValueLogIsWired() {
    Options o = Options.builder(DIR).valueThreshold(1024).build();
    assertEquals(Options.builder(DIR).build().maxValueSize(), o.maxValueSize());
    assertEquals(o.maxBatchSize() - 1 - MemTable.MAX_ENTRY_OVERHEAD, o.maxValueSize());
  }

  @Test
  void vlogPercentileAlone_selectsThePercentilePolicy_asBadger() {
    Options o = Options.builder(DIR).valueThreshold(1024).vlogPercentile(0.9).build();
    assertEquals("percentile", o.valueSeparationPolicy());
    assertEquals(0.9, o.vlogPercentile());
    assertEquals(o, o.toBuilder().build());
    assertNull(Options.builder(DIR).vlogPercentile(0).build().valueSeparationPolicy());
    NamedPolicy policy = new NamedPolicy();
    Options withInstance =
        Options.builder(DIR).vlogPercentile(0.5).valueSeparationPolicyProvider(policy).build();
    assertNull(withInstance.valueSeparationPolicy(), "an instance is given the percentile");
    assertSame(policy, withInstance.valueSeparationPolicyProvider());
    assertEquals("percentile", Options.builder(DIR).valueSeparationPolicy("percentile")
        .vlogPercentile(0).build().valueSeparationPolicy(), "a fixed threshold, as Badger's 0");
  }

  @Test
  void vlogPercentileWithTheThresholdPolicy_failsAtBuild_namingBothOptionsAndTheRange() {
    Options.Builder b =
        Options.builder(DIR).valueSeparationPolicy("threshold").vlogPercentile(0.75);
    IllegalArgumentException e = assertRejected(b::build, "vlogPercentile", "0.75", "[0, 1]");
    assertTrue(e.getMessage().contains("valueSeparationPolicy 'threshold'"), e.getMessage());
    assertDoesNotThrow(() -> b.vlogPercentile(0).build());
  }


  @Test
  void inMemoryWithSyncWrites_failsAtBuild_namingTheOption() {
    Options.Builder b = Options.inMemory().syncWrites(true); // the setter alone is fine
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("syncWrites"), e.getMessage());
    assertTrue(e.getMessage().contains("in-memory"), e.getMessage());
  }

  @Test
  void inMemoryWithStorage_failsAtBuild_namingTheOption() {
    Options.Builder b = Options.inMemory().storage(new MemoryStorage());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("storage"), e.getMessage());
    assertTrue(e.getMessage().contains("in-memory"), e.getMessage());
  }

  @Test
  void onDisk_allowsSyncWritesAndStorage() {
    MemoryStorage storage = new MemoryStorage();
    Options o = Options.builder(DIR).syncWrites(true).storage(storage).build();
    assertTrue(o.syncWrites());
    assertSame(storage, o.storage());
  }

  @Test
  void settingAnOptionTwice_keepsTheLastValue_soAConflictCanBeUndone() {
    Options o = assertDoesNotThrow(
        () -> Options.inMemory().syncWrites(true).syncWrites(false).build());
    assertFalse(o.syncWrites());
    assertEquals(7, Options.builder(DIR).numMemtables(3).numMemtables(7).build().numMemtables());
  }

  @Test
  void toBuilder_ofInMemoryOptions_staysInMemory_soItsRulesStillApply() {
    Options.Builder b = Options.inMemory().build().toBuilder().syncWrites(true);
    assertThrows(IllegalArgumentException.class, b::build);
  }

  // ---- value semantics -----------------------------------------------------------------------

  private static final NamedPolicy POLICY = new NamedPolicy();
  private static final ValueLogFormat FORMAT = newNamedFormat();

  private static Options everyOptionSet(MemoryStorage storage, MemTableFactory factory,
      InstantSource clock) {
    return withValueLogOptions(Options.builder(DIR)
        .syncWrites(true)
        .memTableSize(1L << 20)
        .numMemtables(3)
        .detectConflicts(false)
        .clock(clock)
        .storage(storage)
        .memTable("concurrent-skiplist")
        .memTableFactory(factory))
        .build();
  }

  private static Options.Builder withValueLogOptions(Options.Builder b) {
    return b
        .valueThreshold(4096)
        .maxValueThreshold(1L << 16)
        .vlogPercentile(0.8)
        .valueLogFileSize(64L << 20)
        .valueLogMaxEntries(5000)
        .valueSeparationPolicy("percentile")
        .valueSeparationPolicyProvider(POLICY)
        .valueLogFormat("vlog-v1")
        .valueLogFormatProvider(FORMAT);
  }

  @Test
  void toBuilder_roundTrip_givesAnEqualValue() {
    MemoryStorage storage = new MemoryStorage();
    NamedFactory factory = new NamedFactory();
    InstantSource clock = InstantSource.fixed(Instant.parse("2024-01-02T03:04:05Z"));
    Options o = everyOptionSet(storage, factory, clock);
    Options copy = o.toBuilder().build();
    assertEquals(o, copy);
    assertEquals(o.hashCode(), copy.hashCode());
    assertEquals(o.toString(), copy.toString());
    assertAll(
        () -> assertEquals(DIR, copy.dir()),
        () -> assertTrue(copy.syncWrites()),
        () -> assertEquals(1L << 20, copy.memTableSize()),
        () -> assertEquals(3, copy.numMemtables()),
        () -> assertFalse(copy.detectConflicts()),
        () -> assertSame(clock, copy.clock()),
        () -> assertSame(storage, copy.storage()),
        () -> assertEquals("concurrent-skiplist", copy.memTable()),
        () -> assertSame(factory, copy.memTableFactory()),
        () -> assertEquals(4096, copy.valueThreshold()),
        () -> assertEquals(1L << 16, copy.maxValueThreshold()),
        () -> assertEquals(0.8, copy.vlogPercentile()),
        () -> assertEquals(64L << 20, copy.valueLogFileSize()),
        () -> assertEquals(5000, copy.valueLogMaxEntries()),
        () -> assertEquals("percentile", copy.valueSeparationPolicy()),
        () -> assertSame(POLICY, copy.valueSeparationPolicyProvider()),
        () -> assertEquals("vlog-v1", copy.valueLogFormat()),
        () -> assertSame(FORMAT, copy.valueLogFormatProvider()));
    Options mem = Options.inMemory().numMemtables(9).build();
    assertEquals(mem, mem.toBuilder().build());
  }

  @Test
  void equalBuilders_giveEqualOptions() {
    assertEquals(Options.builder(DIR).build(), Options.builder(Path.of("data")).build());
    assertEquals(Options.builder(DIR).build().hashCode(),
        Options.builder(Path.of("data")).build().hashCode());
    assertEquals(Options.inMemory().build(), Options.inMemory().build());
    assertNotEquals(Options.inMemory().build(), Options.builder(DIR).build());
    assertNotEquals(Options.builder(DIR).build(), null);
    assertNotEquals(Options.builder(DIR).build(), "data");
  }

  @Test
  void changingAnySingleOption_givesAnUnequalValue() {
    MemoryStorage storage = new MemoryStorage();
    NamedFactory factory = new NamedFactory();
    InstantSource clock = InstantSource.fixed(Instant.EPOCH);
    Options base = everyOptionSet(storage, factory, clock);
    Map<String, UnaryOperator<Options.Builder>> changes = new LinkedHashMap<>();
    changes.put("dir", b -> withValueLogOptions(Options.builder(Path.of("other")).syncWrites(true)
        .memTableSize(1L << 20).numMemtables(3).detectConflicts(false).clock(clock)
        .storage(storage).memTable("concurrent-skiplist").memTableFactory(factory)));
    changes.put("syncWrites", b -> b.syncWrites(false));
    changes.put("memTableSize", b -> b.memTableSize(2L << 20));
    changes.put("numMemtables", b -> b.numMemtables(4));
    changes.put("detectConflicts", b -> b.detectConflicts(true));
    changes.put("clock", b -> b.clock(InstantSource.fixed(Instant.EPOCH.plusSeconds(1))));
    changes.put("storage", b -> b.storage(new MemoryStorage()));
    changes.put("memTable", b -> b.memTable("skiplist"));
    changes.put("memTableFactory", b -> b.memTableFactory(new NamedFactory()));
    changes.put("valueThreshold", b -> b.valueThreshold(4097));
    changes.put("maxValueThreshold", b -> b.maxValueThreshold((1L << 16) + 1));
    changes.put("vlogPercentile", b -> b.vlogPercentile(0.81));
    changes.put("valueLogFileSize", b -> b.valueLogFileSize((64L << 20) + 1));
    changes.put("valueLogMaxEntries", b -> b.valueLogMaxEntries(5001));
    changes.put("valueSeparationPolicy", b -> b.valueSeparationPolicy("other-policy"));
    changes.put("valueSeparationPolicyProvider",
        b -> b.valueSeparationPolicyProvider(new NamedPolicy()));
    changes.put("valueLogFormat", b -> b.valueLogFormat("vlog-v2"));
    changes.put("valueLogFormatProvider", b -> b.valueLogFormatProvider(newNamedFormat()));
    assertEquals(base, everyOptionSet(storage, factory, clock), "the baseline is reproducible");
    for (Map.Entry<String, UnaryOperator<Options.Builder>> c : changes.entrySet()) {
      Options changed = c.getValue().apply(base.toBuilder()).build();
      assertNotEquals(base, changed, "changing " + c.getKey() + " must change equality");
      assertNotEquals(changed, base, "equals must be symmetric for " + c.getKey());
    }
  }

  @Test
  void builtOptions_areNotChangedByTheirBuilder() {
    Options.Builder b = Options.builder(DIR).numMemtables(3);
    Options first = b.build();
    b.numMemtables(4).syncWrites(true);
    assertEquals(3, first.numMemtables());
    assertFalse(first.syncWrites());
    Options.Builder again = first.toBuilder();
    again.memTableSize(1L << 20);
    assertEquals(Options.DEFAULT_MEM_TABLE_SIZE, first.memTableSize());
  }

  @Test
  void toString_namesTheOptionsAndValues() {
    String s = Options.builder(DIR).memTableSize(1L << 20).memTable("skiplist").build().toString();
    assertTrue(s.contains("memTableSize=" + (1L << 20)), s);
    assertTrue(s.contains("memTable=skiplist"), s);
    assertTrue(Options.inMemory().build().toString().contains("<in-memory>"));
    String v = Options.builder(DIR).valueThreshold(2048).vlogPercentile(0.5)
        .valueLogFormatProvider(newNamedFormat()).build().toString();
    assertTrue(v.contains("valueThreshold=2048"), v);
    assertTrue(v.contains("maxValueThreshold=" + (1L << 20)), v);
    assertTrue(v.contains("vlogPercentile=0.5"), v);
    assertTrue(v.contains("valueLogFileSize=" + ((1L << 30) - 1)), v);
    assertTrue(v.contains("valueLogMaxEntries=1000000"), v);
    assertTrue(v.contains("valueSeparationPolicy=percentile"), v);
    assertTrue(v.contains("valueLogFormat=instance:test-vlog"), v);
  }
}
