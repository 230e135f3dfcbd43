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
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
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
        () -> assertEquals(5, o.numMemtables(), "numMemtables: Badger's 5"),
        () -> assertFalse(o.syncWrites(), "syncWrites: Badger's false"),
        () -> assertTrue(o.detectConflicts(), "detectConflicts: Badger's true"),
        () -> assertEquals(Options.DEFAULT_MEM_TABLE_SIZE, o.memTableSize()),
        () -> assertEquals(Options.DEFAULT_NUM_MEMTABLES, o.numMemtables()),
        () -> assertEquals(65_000, Options.MAX_KEY_SIZE, "Badger's maximum key size"));
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
    assertEquals(Options.DEFAULT_NUM_MEMTABLES, o.numMemtables());
    assertTrue(o.detectConflicts());
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
  }

  @Test
  void aRejectedValue_leavesTheBuilderUnchanged() {
    Options.Builder b = Options.builder(DIR).memTableSize(1L << 20).numMemtables(3);
    assertThrows(IllegalArgumentException.class, () -> b.memTableSize(0));
    assertThrows(IllegalArgumentException.class, () -> b.numMemtables(0));
    assertThrows(IllegalArgumentException.class, () -> b.memTable("Bad"));
    Options o = b.build();
    assertEquals(1L << 20, o.memTableSize());
    assertEquals(3, o.numMemtables());
    assertNull(o.memTable());
  }

  // ---- rules between options, checked at build() ---------------------------------------------

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

  private static Options everyOptionSet(MemoryStorage storage, MemTableFactory factory,
      InstantSource clock) {
    return Options.builder(DIR)
        .syncWrites(true)
        .memTableSize(1L << 20)
        .numMemtables(3)
        .detectConflicts(false)
        .clock(clock)
        .storage(storage)
        .memTable("concurrent-skiplist")
        .memTableFactory(factory)
        .build();
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
        () -> assertSame(factory, copy.memTableFactory()));
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
    changes.put("dir", b -> Options.builder(Path.of("other")).syncWrites(true)
        .memTableSize(1L << 20).numMemtables(3).detectConflicts(false).clock(clock)
        .storage(storage).memTable("concurrent-skiplist").memTableFactory(factory));
    changes.put("syncWrites", b -> b.syncWrites(false));
    changes.put("memTableSize", b -> b.memTableSize(2L << 20));
    changes.put("numMemtables", b -> b.numMemtables(4));
    changes.put("detectConflicts", b -> b.detectConflicts(true));
    changes.put("clock", b -> b.clock(InstantSource.fixed(Instant.EPOCH.plusSeconds(1))));
    changes.put("storage", b -> b.storage(new MemoryStorage()));
    changes.put("memTable", b -> b.memTable("skiplist"));
    changes.put("memTableFactory", b -> b.memTableFactory(new NamedFactory()));
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
  }
}
