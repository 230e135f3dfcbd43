package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import dev.sett.kv.internal.Registries;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.MemTable;
import dev.sett.kv.spi.MemTableFactory;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.testkit.TestSeeds;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memtables are reference counted: gets and iterators hold a reference while they read, and a
 * memtable is released (its arena may be freed or reused) only when the database and every reader
 * are done with it. A memtable factory that records releases and any use after one runs under
 * writers that rotate and flush memtables, readers that get, and iterators that linger.
 *
 * <p>Catches fault 6 of issue 12: memtables were read without a reference and never released; and
 * checks that dropped memtables' arenas are recycled ({@link MemTableSource}), only after their
 * last reader.
 */
class MemTableReferenceTest {
  @TempDir Path dir;

  /**
   * A memtable that records its release or recycling and any call after it. A recycled memtable
   * is tracked like a new one.
   */
  static final class Tracked implements MemTable {
    final MemTable inner;
    /** Releases and recycles: either ends this memtable's life. */
    final AtomicInteger releases = new AtomicInteger();
    final AtomicInteger recycles = new AtomicInteger();
    final Queue<String> misuse;
    final List<Tracked> created;
    /** Releases of this memtable and every one recycled from it: arenas given back. */
    final AtomicInteger arenasReleased;

    Tracked(MemTable inner, Queue<String> misuse, List<Tracked> created,
        AtomicInteger arenasReleased) {
      this.inner = inner;
      this.misuse = misuse;
      this.created = created;
      this.arenasReleased = arenasReleased;
      created.add(this);
    }

    void check(String call) {
      if (releases.get() > 0) {
        misuse.add(call + " after release or recycle on " + Thread.currentThread().getName());
      }
    }

    @Override
    public boolean put(byte[] key, long version, byte meta, byte userMeta, long expiresAt,
        byte[] value) {
      check("put");
      return inner.put(key, version, meta, userMeta, expiresAt, value);
    }

    @Override
    public StoredValue get(byte[] key, long readTs) {
      check("get");
      StoredValue v = inner.get(key, readTs);
      check("get (end)");
      return v;
    }

    @Override
    public EntryIterator iterator() {
      check("iterator");
      EntryIterator it = inner.iterator();
      return new EntryIterator() {
        @Override public boolean valid() {
          check("valid");
          return it.valid();
        }

        @Override public void seekToFirst() {
          check("seekToFirst");
          it.seekToFirst();
        }

        @Override public void seekToLast() {
          check("seekToLast");
          it.seekToLast();
        }

        @Override public void seek(byte[] key, long version) {
          check("seek");
          it.seek(key, version);
        }

        @Override public void seekForPrev(byte[] key, long version) {
          check("seekForPrev");
          it.seekForPrev(key, version);
        }

        @Override public void next() {
          check("next");
          it.next();
        }

        @Override public void prev() {
          check("prev");
          it.prev();
        }

        @Override public byte[] key() {
          check("key");
          return it.key();
        }

        @Override public long version() {
          check("version");
          return it.version();
        }

        @Override public StoredValue value() {
          check("value");
          return it.value();
        }

        @Override public void close() {
          it.close();
        }
      };
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
      releases.incrementAndGet();
      arenasReleased.incrementAndGet();
      inner.release();
    }

    @Override public MemTable recycle() {
      check("recycle");
      MemTable reused = inner.recycle();
      if (reused == null) {
        return null; // the engine releases this one instead
      }
      releases.incrementAndGet();
      recycles.incrementAndGet();
      return new Tracked(reused, misuse, created, arenasReleased);
    }
  }

  @Test
  void readersHoldMemtables_andEachIsReleasedOnceAfterTheLastReader(TestInfo info)
      throws Exception {
    long seed = TestSeeds.seed(info);
    Queue<String> misuse = new ConcurrentLinkedQueue<>();
    List<Tracked> created = new CopyOnWriteArrayList<>();
    AtomicInteger fresh = new AtomicInteger();
    MemTableFactory base = Registries.memTables().select("skiplist");
    MemTableFactory tracking = new MemTableFactory() {
      @Override public String name() {
        return "tracking";
      }

      @Override public MemTable create(long capacityBytes) {
        fresh.incrementAndGet();
        return new Tracked(base.create(capacityBytes), misuse, created, new AtomicInteger());
      }
    };
    Options options = LsmModelTest.smallTree(dir).memTableFactory(tracking).build();
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    KvIterator lingering;
    Txn lingeringTxn;
    try (Db db = Db.open(options)) {
      Thread[] readers = new Thread[2];
      for (int t = 0; t < readers.length; t++) {
        Random r = new Random(seed + t);
        readers[t] = new Thread(() -> {
          try {
            while (!stop.get()) {
              if (r.nextBoolean()) {
                db.view(txn -> txn.get(b("k" + r.nextInt(3000))));
              } else {
                try (Txn txn = db.newTransaction(false);
                    KvIterator it = txn.newIterator(IteratorOptions.builder().build())) {
                  int steps = 0;
                  for (it.rewind(); it.valid() && steps < 500; it.next()) {
                    it.item().valueSize();
                    steps++;
                  }
                }
              }
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        }, "reader-" + t);
        readers[t].start();
      }
      lingeringTxn = null;
      lingering = null;
      Random r = new Random(seed);
      for (int i = 0; i < 3000; i++) {
        int id = i;
        db.update(txn -> txn.set(b("k" + id), new byte[100 + r.nextInt(200)]));
        if (i == 100) {
          // Opened early, read after its memtables were flushed and dropped.
          lingeringTxn = db.newTransaction(false);
          lingering = lingeringTxn.newIterator(IteratorOptions.builder().build());
        }
      }
      stop.set(true);
      for (Thread t : readers) {
        t.join();
      }
      int seen = 0;
      for (lingering.rewind(); lingering.valid(); lingering.next()) {
        seen++;
      }
      assertEquals(101, seen, "the lingering iterator reads its snapshot");
      assertTrue(created.size() > 3, "memtables rotated: " + created.size());
      assertTrue(created.get(0).releases.get() == 0,
          "the first memtable is still held by the lingering iterator");
      lingering.close();
      lingeringTxn.close();
    }
    assertTrue(errors.isEmpty(), "reader failed: " + errors.peek());
    assertTrue(misuse.isEmpty(), "memtable used after release: " + misuse.peek());
    for (int i = 0; i < created.size(); i++) {
      assertEquals(1, created.get(i).releases.get(), "memtable " + i + " of " + created.size()
          + " released or recycled once after close");
    }
    // Recycling may not happen here at all: the lingering iterator pins a memtable, which counts
    // against numMemtables, so the memtable source keeps no spare beside it (the other test
    // shows recycling without readers).
    int recycled = created.stream().mapToInt(t -> t.recycles.get()).sum();
    assertEquals(created.size(), fresh.get() + recycled, "every memtable is fresh or recycled");
  }

  @Test
  void withoutReaders_rotationsReuseArenas_andFewAreAliveAtOnce() {
    AtomicInteger fresh = new AtomicInteger();
    AtomicInteger released = new AtomicInteger();
    AtomicInteger maxAlive = new AtomicInteger();
    MemTableFactory base = Registries.memTables().select("skiplist");
    MemTableFactory counting = new MemTableFactory() {
      @Override public String name() {
        return "counting";
      }

      @Override public MemTable create(long capacityBytes) {
        int alive = fresh.incrementAndGet() - released.get();
        maxAlive.accumulateAndGet(alive, Math::max);
        return new Tracked(base.create(capacityBytes), new ConcurrentLinkedQueue<>(),
            new CopyOnWriteArrayList<>(), released);
      }
    };
    Options options = LsmModelTest.smallTree(dir).memTableFactory(counting).build();
    long flushes;
    try (Db db = Db.open(options)) {
      for (int i = 0; i < 8000; i++) { // about 26 rotations
        int id = i;
        db.update(txn -> txn.set(b("k" + id), new byte[200]));
      }
      flushes = db.stats().flushes();
      assertTrue(flushes > 20, "memtables rotated: " + flushes);
    }
    // Alive at once: numMemtables (the spare among them), and one the flusher is finishing. Without
    // recycling every rotation allocated a new arena (one per flush, here more than ten); with it,
    // a rotation allocates only when it runs between the flusher making room and letting go of the
    // memtable it flushed.
    assertTrue(maxAlive.get() <= options.numMemtables() + 1, maxAlive.get() + " arenas alive");
    assertTrue(fresh.get() * 2 <= flushes, fresh.get() + " arenas allocated for " + flushes
        + " flushes");
    assertEquals(fresh.get(), released.get(), "close released every arena, the spare included");
    try (Db db = Db.open(options)) {
      for (int i = 0; i < 8000; i += 7) {
        int id = i;
        int size = db.view(txn -> txn.get(b("k" + id)).valueSize());
        assertEquals(200, size, "key " + i);
      }
    }
  }

}
