package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sett.kv.internal.Registries;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The memtable source keeps a spare arena only while the memtables in use leave room for it in
 * the memory budget's count ({@link dev.sett.kv.Options#numMemtables()}).
 */
class MemTableSourceTest {
  /** Counts arenas allocated and released by the default memtable. */
  private static final class Counting implements MemTableFactory {
    final MemTableFactory base = Registries.memTables().select("skiplist");
    final AtomicInteger allocated = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    final List<MemTable> made = new ArrayList<>();

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public MemTable create(long capacityBytes) {
      allocated.incrementAndGet();
      MemTable inner = base.create(capacityBytes);
      MemTable t = new MemTable() {
        @Override public boolean put(byte[] k, long v, byte m, byte u, long e, byte[] val) {
          return inner.put(k, v, m, u, e, val);
        }

        @Override public dev.sett.kv.spi.StoredValue get(byte[] k, long readTs) {
          return inner.get(k, readTs);
        }

        @Override public dev.sett.kv.spi.EntryIterator iterator() {
          return inner.iterator();
        }

        @Override public long footprint(int keyLength, int valueLength) {
          return inner.footprint(keyLength, valueLength);
        }

        @Override public long sizeBytes() {
          return inner.sizeBytes();
        }

        @Override public long capacityBytes() {
          return inner.capacityBytes();
        }

        @Override public long count() {
          return inner.count();
        }

        @Override public long maxVersion() {
          return inner.maxVersion();
        }

        @Override public void release() {
          released.incrementAndGet();
          inner.release();
        }

        @Override public MemTable recycle() {
          return inner.recycle() == null ? null : this;
        }
      };
      made.add(t);
      return t;
    }

    int alive() {
      return allocated.get() - released.get();
    }
  }

  @Test
  void aSpareIsKeptOnlyWithinTheLimit() {
    Counting f = new Counting();
    MemTableSource source = new MemTableSource(f, 1 << 20, 2);
    MemTable a = source.create();
    MemTable b = source.create();
    source.done(a); // one in use: room for a spare
    assertEquals(2, f.alive());
    MemTable c = source.create();
    assertSame(a, c, "the spare is recycled");
    // A rotation that runs before the flusher let go of its memtable allocates a third arena...
    MemTable d = source.create();
    assertEquals(3, f.alive());
    // ...which must not stay: with two in use, the one let go of is released, not kept.
    source.done(b);
    assertEquals(2, f.alive(), "the budget holds two memtables, the spare included");
    source.done(c);
    assertEquals(2, f.alive(), "one in use: the spare is kept");
    source.close();
    assertEquals(1, f.alive(), "close releases the spare");
    source.done(d);
    assertEquals(0, f.alive());
  }
}
