package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.internal.Registries;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The memtable source keeps a spare arena only while the memtables in use leave room for it in
 * the memory budget's count ({@link dev.sett.kv.Options#numMemtables()}).
 */
class MemTableSourceTest {
  @Test
  void aSpareIsKeptOnlyWithinTheLimit() {
    MemTableFactory base = Registries.memTables().select("skiplist");
    AtomicInteger allocated = new AtomicInteger();
    AtomicInteger released = new AtomicInteger();
    Queue<String> misuse = new ConcurrentLinkedQueue<>();
    List<MemTableReferenceTest.Tracked> created = new CopyOnWriteArrayList<>();
    MemTableFactory counting = new MemTableFactory() {
      @Override public String name() {
        return "counting";
      }

      @Override public MemTable create(long capacityBytes) {
        allocated.incrementAndGet();
        return new MemTableReferenceTest.Tracked(base.create(capacityBytes), misuse, created,
            released);
      }
    };
    MemTableSource source = new MemTableSource(counting, 1 << 20, 2);
    MemTable a = source.create();
    MemTable b = source.create();
    source.done(a); // one in use: room for a spare
    assertEquals(2, allocated.get() - released.get());
    MemTable c = source.create();
    assertEquals(2, allocated.get(), "the spare is recycled, not a new arena");
    // A rotation that runs before the flusher let go of its memtable allocates a third arena...
    MemTable d = source.create();
    assertEquals(3, allocated.get() - released.get());
    // ...which must not stay: with two in use, the one let go of is released, not kept.
    source.done(b);
    assertEquals(2, allocated.get() - released.get(), "two memtables, the spare included");
    source.done(c);
    assertEquals(2, allocated.get() - released.get(), "one in use: the spare is kept");
    source.close();
    assertEquals(1, allocated.get() - released.get(), "close releases the spare");
    source.done(d);
    assertEquals(0, allocated.get() - released.get());
    assertTrue(misuse.isEmpty(), "used after release: " + misuse);
  }
}
