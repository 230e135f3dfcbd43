package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.Entry;
import dev.sett.kv.Options;
import dev.sett.kv.levels.LevelsController;
import dev.sett.kv.spi.CompactionStrategy.Input;
import dev.sett.kv.spi.CompactionStrategy.Plan;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleted and expired keys never come back, whatever order compactions run in. Compactions are
 * driven by hand ({@code numCompactors = 0}) so each step is exact. The scenario of Badger's
 * #2143: a tombstone must not be compacted into a level below a newer live version, and must not
 * be dropped while a deeper level still holds an older version.
 */
class TombstoneTest {
  @TempDir Path dir;
  private static final byte[] K = "the-key".getBytes();

  private Options options(InstantSource clock) {
    return Options.builder(dir).numCompactors(0).clock(clock).build();
  }

  private static SettDb reopen(Db db, Options o) {
    db.close(); // flushes the memtables into L0
    return (SettDb) Db.open(o);
  }

  private static Plan plan(LevelsController levels, int from, int to) {
    List<List<Long>> ids = levels.tableIds();
    List<Input> inputs = new ArrayList<>();
    inputs.add(new Input(from, ids.get(from)));
    if (to != from && !ids.get(to).isEmpty()) {
      inputs.add(new Input(to, ids.get(to)));
    }
    return new Plan(inputs, to, 2 << 20, 1, "test L" + from + "->L" + to);
  }

  private static void assertAbsent(Db db, String when) {
    db.view(t -> {
      assertNull(t.get(K), when);
      assertEquals(List.of("filler=" + java.util.Arrays.hashCode("f".getBytes())),
          LsmModelTest.scan(t, new byte[0], false), when);
      return null;
    });
  }

  @Test
  void tombstoneNeverSinksBelowANewerVersionNorDropsWhileOlderDataLiesBelow() throws Exception {
    InstantSource clock = InstantSource.system();
    Options o = options(clock);
    SettDb db = (SettDb) Db.open(o);
    try {
      db.update(t -> {
        t.set(K, "v1".getBytes());
        t.set("filler".getBytes(), "f".getBytes());
      });
      db = reopen(db, o);
      assertTrue(db.levels().compactNow(plan(db.levels(), 0, 6)));

      db.update(t -> t.set(K, "v2".getBytes()));
      db = reopen(db, o);
      assertTrue(db.levels().compactNow(plan(db.levels(), 0, 3)));
      db.view(t -> {
        assertArrayEquals("v2".getBytes(), t.get(K).value());
        return null;
      });

      db.update(t -> t.delete(K));
      db = reopen(db, o);
      assertAbsent(db, "tombstone in L0");
      // Badger's bug: L0 straight into L6 past the newer v2 in L3. The engine refuses it.
      assertFalse(db.levels().compactNow(plan(db.levels(), 0, 6)),
          "a plan skipping a populated level must be refused");
      assertAbsent(db, "after the refused plan");

      assertTrue(db.levels().compactNow(plan(db.levels(), 0, 3)));
      assertAbsent(db, "tombstone merged over v2 in L3; v1 still in L6 below");
      db = reopen(db, o);
      assertAbsent(db, "reopened with the tombstone in L3");

      assertTrue(db.levels().compactNow(plan(db.levels(), 3, 6)));
      assertAbsent(db, "tombstone and v1 merged in the last level");
      List<List<Long>> ids = db.levels().tableIds();
      assertEquals(1, ids.get(6).size(), "everything in L6: " + ids);
      db = reopen(db, o);
      assertAbsent(db, "after reopen");
    } finally {
      db.close();
    }
  }

  @Test
  void expiredEntriesStayGoneAcrossCompactions() throws Exception {
    AtomicLong now = new AtomicLong(1_700_000_000L);
    InstantSource clock = () -> Instant.ofEpochSecond(now.get());
    Options o = options(clock);
    SettDb db = (SettDb) Db.open(o);
    try {
      db.update(t -> {
        t.set(K, "old".getBytes());
        t.set("filler".getBytes(), "f".getBytes());
      });
      db = reopen(db, o);
      assertTrue(db.levels().compactNow(plan(db.levels(), 0, 6)));
      db.update(t -> t.setEntry(Entry.of(K, "short-lived".getBytes())
          .withTtl(Duration.ofSeconds(10))));
      db = reopen(db, o);
      db.view(t -> {
        assertArrayEquals("short-lived".getBytes(), t.get(K).value());
        return null;
      });
      now.addAndGet(11);
      assertAbsent(db, "expired in L0");
      assertTrue(db.levels().compactNow(plan(db.levels(), 0, 5)));
      assertAbsent(db, "expired entry kept in L5 to shadow the old value in L6");
      assertTrue(db.levels().compactNow(plan(db.levels(), 5, 6)));
      assertAbsent(db, "expired entry and old value dropped together");
      db = reopen(db, o);
      assertAbsent(db, "after reopen");
    } finally {
      db.close();
    }
  }
}
