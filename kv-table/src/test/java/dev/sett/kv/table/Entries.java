package dev.sett.kv.table;

import dev.sett.kv.spi.EntryMeta;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.testkit.At;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators and a model shared by the codec properties. */
final class Entries {
  private Entries() {}

  /** One generated entry. */
  record Put(At at, StoredValue value) {}

  /** Entries sorted in internal order, the last of equal positions winning. */
  static TreeMap<At, StoredValue> model(List<Put> puts) {
    TreeMap<At, StoredValue> model = new TreeMap<>();
    for (Put p : puts) {
      model.put(p.at(), p.value());
    }
    return model;
  }

  /** Edge-biased keys: a tiny alphabet with the unsigned extremes, shared prefixes, long keys. */
  static Arbitrary<byte[]> keys() {
    Arbitrary<byte[]> prefixes = Arbitraries.of(new byte[0], b("a"), b("ab"), b("user/"),
        new byte[] {(byte) 0xff}, new byte[] {0});
    Arbitrary<byte[]> suffixes = Arbitraries.of((byte) 0, (byte) 1, (byte) 'a', (byte) 'b',
        (byte) 0x7f, (byte) 0x80, (byte) 0xff).array(byte[].class).ofMaxSize(4);
    Arbitrary<byte[]> shared = Combinators.combine(prefixes, suffixes)
        .as(Entries::concat)
        .filter(k -> k.length > 0);
    byte[] longPrefix = new byte[200];
    Arrays.fill(longPrefix, (byte) 'L');
    Arbitrary<byte[]> longKeys = Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
        .map(s -> concat(longPrefix, s));
    return Arbitraries.frequencyOf(Tuple.of(8, shared), Tuple.of(1, longKeys)).map(k -> k);
  }

  static Arbitrary<Long> versions() {
    return Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.longs().between(0, 12)),
            Tuple.of(1, Arbitraries.longs()))
        .map(v -> v);
  }

  static Arbitrary<StoredValue> values(Arbitrary<Long> versions) {
    Arbitrary<byte[]> bytes = Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(30)),
            Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(500).ofMaxSize(3000)))
        .map(b -> b);
    Arbitrary<Byte> metas = Arbitraries.of((byte) 0, EntryMeta.DELETE, EntryMeta.VALUE_POINTER,
        (byte) (EntryMeta.DELETE | EntryMeta.DISCARD_EARLIER_VERSIONS), (byte) 0xff);
    Arbitrary<Long> expiries = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(0L)),
        Tuple.of(1, Arbitraries.longs())).map(v -> v);
    return Combinators.combine(versions, metas, Arbitraries.bytes(), expiries, bytes)
        .as(StoredValue::new);
  }

  static Arbitrary<List<Put>> puts(int maxSize) {
    Arbitrary<Put> put = Combinators.combine(keys(), versions(), values(versions()))
        .as((k, v, sv) -> new Put(new At(k, v),
            new StoredValue(v, sv.meta(), sv.userMeta(), sv.expiresAt(), sv.value())));
    return put.list().ofMinSize(1).ofMaxSize(maxSize);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static byte[] b(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
