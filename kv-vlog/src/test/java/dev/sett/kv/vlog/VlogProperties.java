package dev.sett.kv.vlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.io.MemoryStorage;
import dev.sett.kv.spi.ValueLog;
import dev.sett.kv.spi.ValuePointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Properties of the pointer codec and of record round trips (jqwik prints its seeds). */
class VlogProperties {
  private static final byte[] DB_ID = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

  @Property
  void pointer_encodeDecode_roundTrips(@ForAll @LongRange(min = 0, max = 0xFFFFFFFFL) long file,
      @ForAll @LongRange(min = 0, max = 0xFFFFFFFFL) long offset,
      @ForAll @IntRange(min = 1) int length, @ForAll @IntRange(min = 0) int value) {
    ValuePointer p = new ValuePointer(file, offset, length, Math.min(value, length));
    byte[] e = p.encode();
    assertEquals(16, e.length);
    assertEquals(p, ValuePointer.decode(e));
    assertEquals(Math.min(value, length), ValuePointer.decode(e).valueSize());
  }

  @Property
  void pointer_decode_rejectsBadInputClearly(@ForAll @Size(max = 40) byte[] bytes) {
    if (bytes.length != 16) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ValuePointer.decode(bytes));
      assertTrue(e.getMessage().contains("16 bytes"), e.getMessage());
      return;
    }
    long len = ((bytes[8] & 0xFFL) << 24) | ((bytes[9] & 0xFFL) << 16) | ((bytes[10] & 0xFFL) << 8)
        | (bytes[11] & 0xFFL);
    long val = ((bytes[12] & 0xFFL) << 24) | ((bytes[13] & 0xFFL) << 16)
        | ((bytes[14] & 0xFFL) << 8) | (bytes[15] & 0xFFL);
    if (len == 0 || len > Integer.MAX_VALUE || val > len) {
      assertThrows(IllegalArgumentException.class, () -> ValuePointer.decode(bytes));
    } else {
      assertArrayEquals(bytes, ValuePointer.decode(bytes).encode());
    }
  }

  record Rec(byte[] key, long version, byte meta, byte userMeta, long expiresAt, byte[] value) {}

  @Provide
  Arbitrary<List<List<Rec>>> groups() {
    Arbitrary<Rec> rec = Combinators.combine(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(30),
        Arbitraries.longs(),
        Arbitraries.bytes(), Arbitraries.bytes(),
        Arbitraries.longs().between(0, Long.MAX_VALUE),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
        .as(Rec::new);
    return rec.list().ofMinSize(1).ofMaxSize(8).list().ofMinSize(1).ofMaxSize(25);
  }

  @Property(tries = 100)
  void records_roundTrip_inGroups_withRotation(@ForAll("groups") List<List<Rec>> groups,
      @ForAll @IntRange(min = 100, max = 3000) int maxFileSize,
      @ForAll @IntRange(min = 1, max = 10) int maxEntries) throws IOException {
    MemoryStorage s = new MemoryStorage();
    List<Rec> recs = new ArrayList<>();
    List<ValuePointer> ptrs = new ArrayList<>();
    try (ValueLog log = new VlogV1Format().open(s, DB_ID, maxFileSize, maxEntries)) {
      for (List<Rec> g : groups) {
        long file = -1;
        for (Rec r : g) {
          ValuePointer p = log.add(r.key(), r.version(), r.meta(), r.userMeta(), r.expiresAt(),
              r.value());
          assertTrue(file < 0 || file == p.fileId(), "group spans files");
          file = p.fileId();
          recs.add(r);
          ptrs.add(p);
        }
        log.flush(false);
      }
      for (int i = 0; i < recs.size(); i++) {
        assertArrayEquals(recs.get(i).value(), log.read(ptrs.get(i)));
      }
    }
    try (ValueLog log = new VlogV1Format().open(s, DB_ID, maxFileSize, maxEntries)) {
      List<ValueLog.LogRecord> scanned = new ArrayList<>();
      for (long id : log.fileIds()) {
        log.scan(id, scanned::add);
      }
      assertEquals(recs.size(), scanned.size());
      for (int i = 0; i < recs.size(); i++) {
        Rec r = recs.get(i);
        ValueLog.LogRecord x = scanned.get(i);
        assertArrayEquals(r.key(), x.key());
        assertEquals(r.version(), x.version());
        assertEquals(r.meta(), x.meta());
        assertEquals(r.userMeta(), x.userMeta());
        assertEquals(r.expiresAt(), x.expiresAt());
        assertEquals(ptrs.get(i), x.pointer());
        assertArrayEquals(r.value(), log.read(x.pointer()));
      }
    }
  }
}
