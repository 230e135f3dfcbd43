package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.Options;
import dev.sett.kv.internal.Registries;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine uses the memtable provider the options name, or the instance they carry. */
class ProviderSelectionTest {

  @Test
  void defaultIsTheArenaSkiplist() {
    try (Db db = Db.open(Options.inMemory().build())) {
      db.update(t -> t.set(b("k"), b("v")));
      MemTable t = ((SettDb) db).memTables().mutable.table();
      assertEquals("ArenaSkipList", t.getClass().getSimpleName());
    }
  }

  @Test
  void byName_concurrentSkiplist() {
    try (Db db = Db.open(Options.inMemory().memTable("concurrent-skiplist").build())) {
      db.update(t -> t.set(b("k"), b("v")));
      MemTable t = ((SettDb) db).memTables().mutable.table();
      assertEquals("ConcurrentSkipListMemTable", t.getClass().getSimpleName());
      assertEquals("v", Bytes.s(db.view(x -> x.get(b("k")).value())));
    }
  }

  @Test
  void byInstance_bypassesTheRegistry() {
    AtomicInteger created = new AtomicInteger();
    MemTableFactory base = Registries.memTables().lookup("concurrent-skiplist");
    MemTableFactory counting = new MemTableFactory() {
      @Override
      public String name() {
        return "counting";
      }

      @Override
      public MemTable create(long capacityBytes) {
        created.incrementAndGet();
        return base.create(capacityBytes);
      }
    };
    Options o = Options.inMemory().memTableFactory(counting).memTableSize(64 << 10)
        .numMemtables(16).build();
    try (Db db = Db.open(o)) {
      for (int i = 0; i < 400; i++) { // values below valueThreshold: they fill memtables
        int n = i;
        db.update(t -> t.set(b("key" + n), new byte[600]));
      }
    }
    assertTrue(created.get() > 1, "the injected factory made every memtable: " + created.get());
  }
}
