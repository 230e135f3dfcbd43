package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.BannedNamespaceException;
import dev.sett.kv.CorruptionException;
import dev.sett.kv.Db;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import dev.sett.kv.WriteBatch;
import dev.sett.kv.internal.BigEndian;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Db#banNamespace}: reads, writes and iterators of a banned namespace; persistence. */
class BannedNamespaceTest {
  @TempDir Path dir;

  /** "t:" then the namespace (8 bytes, offset 2) then a name. */
  private static byte[] key(long ns, String name) {
    byte[] n = name.getBytes();
    byte[] k = new byte[2 + 8 + n.length];
    k[0] = 't';
    k[1] = ':';
    BigEndian.putLong(k, 2, ns);
    System.arraycopy(n, 0, k, 10, n.length);
    return k;
  }

  private Options options() {
    return Options.builder(dir).namespaceOffset(2).build();
  }

  private static List<String> names(Db db, boolean reverse) {
    return db.view(t -> {
      List<String> out = new ArrayList<>();
      try (KvIterator it = t.newIterator(IteratorOptions.builder().reverse(reverse).build())) {
        for (it.rewind(); it.valid(); it.next()) {
          byte[] k = it.item().key();
          out.add(k.length >= 10 ? BigEndian.getLong(k, 2) + "/" + new String(k, 10,
              k.length - 10) : new String(k));
        }
      }
      return out;
    });
  }

  @Test
  void aBannedNamespace_refusesReadsAndWrites_iteratorsSkipIt_andOthersGoOn() {
    try (Db db = Db.open(options())) {
      db.update(t -> {
        t.set(key(1, "a"), "1a".getBytes());
        t.set(key(2, "a"), "2a".getBytes());
        t.set(key(2, "b"), "2b".getBytes());
        t.set(key(3, "a"), "3a".getBytes());
        t.set("x".getBytes(), "short keys are in no namespace".getBytes());
      });
      db.banNamespace(2);
      db.banNamespace(2); // idempotent
      BannedNamespaceException e = assertThrows(BannedNamespaceException.class,
          () -> db.view(t -> t.get(key(2, "a"))));
      assertTrue(e.getMessage().contains("banned namespace 2"), e.getMessage());
      try (Txn t = db.newTransaction(true)) {
        assertThrows(BannedNamespaceException.class, () -> t.set(key(2, "c"), new byte[1]));
        assertThrows(BannedNamespaceException.class, () -> t.delete(key(2, "a")));
        t.set(key(1, "b"), "1b".getBytes()); // the transaction goes on
        t.commit();
      }
      try (WriteBatch b = db.newWriteBatch()) {
        assertThrows(BannedNamespaceException.class, () -> b.set(key(2, "d"), new byte[1]));
      }
      assertEquals(List.of("1/a", "1/b", "3/a", "x"), names(db, false));
      assertEquals(List.of("x", "3/a", "1/b", "1/a"), names(db, true));
      assertArrayEquals("3a".getBytes(), db.view(t -> t.get(key(3, "a")).value()));
    }
  }

  @Test
  void bansSurviveReopen_andADamagedFileStopsTheOpen() throws Exception {
    try (Db db = Db.open(options())) {
      db.update(t -> t.set(key(7, "a"), "v".getBytes()));
      db.banNamespace(7);
      db.banNamespace(-1); // the namespace 2^64-1, unsigned
    }
    try (Db db = Db.open(options())) {
      assertThrows(BannedNamespaceException.class, () -> db.view(t -> t.get(key(7, "a"))));
      assertThrows(BannedNamespaceException.class,
          () -> db.update(t -> t.set(key(-1, "z"), new byte[1])));
      db.update(t -> t.set(key(8, "a"), "ok".getBytes()));
    }
    Path file = dir.resolve("BANNED");
    assertTrue(Files.exists(file));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 10] ^= 1; // inside a namespace
    Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    CorruptionException c = assertThrows(CorruptionException.class, () -> Db.open(options()));
    assertTrue(c.getMessage().contains("BANNED"), c.getMessage());
    assertNotNull(c.getMessage());
  }

  @Test
  void withoutAnOffset_banningIsRefused_andBadOffsetsAreRejected() {
    try (Db db = Db.open(dir)) {
      assertThrows(IllegalStateException.class, () -> db.banNamespace(1));
      db.update(t -> t.set(key(1, "a"), new byte[1]));
    }
    assertThrows(IllegalArgumentException.class, () -> Options.builder(dir).namespaceOffset(-2));
    assertThrows(IllegalArgumentException.class,
        () -> Options.builder(dir).namespaceOffset(Options.MAX_KEY_SIZE - 7));
    assertEquals(-1, Options.builder(dir).build().namespaceOffset());
  }
}
