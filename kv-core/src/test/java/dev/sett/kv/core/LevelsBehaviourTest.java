package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DbStats;
import dev.sett.kv.LevelStats;
import dev.sett.kv.Options;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options of the levels that the model test does not look at: each one has a visible effect. */
class LevelsBehaviourTest {
  @TempDir Path dir;

  private static void fill(Db db, int from, int n) {
    for (int i = from; i < from + n; i += 20) {
      int start = i;
      db.update(t -> {
        for (int j = start; j < start + 20; j++) {
          t.set(b(String.format("key%06d", j)), new byte[200]);
        }
      });
    }
  }

  private static void checkAll(Db db, int n) {
    for (int i = 0; i < n; i++) {
      byte[] k = b(String.format("key%06d", i));
      assertArrayEquals(new byte[200], db.view(t -> t.get(k).value()), "key " + i);
    }
  }

  @Test
  void compactL0OnClose_leavesLevelZeroEmpty() {
    Options o = Options.builder(dir).memTableSize(64 << 10).numCompactors(0)
        .compactL0OnClose(true).build();
    try (Db db = Db.open(o)) {
      fill(db, 0, 2000);
    }
    try (Db db = Db.open(o)) {
      List<LevelStats> levels = db.stats().levels();
      assertEquals(0, levels.get(0).tables(), "L0 compacted at close: " + levels);
      assertTrue(levels.stream().mapToInt(LevelStats::tables).sum() > 0, levels.toString());
      checkAll(db, 2000);
    }
  }

  @Test
  void withoutCompactors_tablesPileUpInLevelZero_andFlattenMovesThemDown() {
    Options o = Options.builder(dir).memTableSize(64 << 10).numCompactors(0).build();
    try (Db db = Db.open(o)) {
      fill(db, 0, 3000);
    }
    try (Db db = Db.open(o)) {
      DbStats before = db.stats();
      assertTrue(before.levels().get(0).tables() > 3, before.levels().toString());
      db.flatten(2);
      DbStats after = db.stats();
      long nonEmpty = after.levels().stream().filter(l -> l.tables() > 0).count();
      assertEquals(1, nonEmpty, "one level after flatten: " + after.levels());
      assertEquals(0, after.levels().get(0).tables());
      assertTrue(after.compactionBytesWritten() > 0 && after.compactions() > 0);
      checkAll(db, 3000);
    }
  }

  @Test
  void maxOpenFiles_boundsOpenTableFiles() {
    Options o = Options.builder(dir).memTableSize(64 << 10).numCompactors(0).maxOpenFiles(8)
        .blockCacheSize(0).build();
    try (Db db = Db.open(o)) {
      fill(db, 0, 6000);
    }
    try (Db db = Db.open(o)) {
      int tables = db.stats().levels().stream().mapToInt(LevelStats::tables).sum();
      assertTrue(tables > 8, "more tables than open files allowed: " + tables);
      checkAll(db, 6000); // no block cache: every get reads its table file
      int open = ((SettDb) db).levels().openFiles();
      assertTrue(open <= 8, "open table files: " + open);
    }
  }

  @Test
  void statsCountFlushesAndWal() {
    Options o = Options.builder(dir).memTableSize(64 << 10).build();
    try (Db db = Db.open(o)) {
      fill(db, 0, 3000);
      DbStats s = db.stats();
      assertTrue(s.walBytesWritten() > 3000 * 200, "WAL bytes " + s.walBytesWritten());
      assertEquals(7, s.levels().size());
      assertTrue(s.memTables() >= 1);
    }
  }
}
