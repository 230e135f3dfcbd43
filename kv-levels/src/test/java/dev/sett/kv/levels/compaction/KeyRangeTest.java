package dev.sett.kv.levels.compaction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyRange#hull}, the one fold of a key range over tables (strategies and the levels
 * controller both use it): it starts from {@code null}, widens at either end only, and compares
 * keys as unsigned bytes.
 */
class KeyRangeTest {

  @Test
  void hull_ofNothing_isTheRangeGiven() {
    byte[] lo = {1};
    byte[] hi = {2};
    KeyRange r = KeyRange.hull(null, lo, hi);
    assertSame(lo, r.smallest());
    assertSame(hi, r.largest());
  }

  @Test
  void hull_widensEachEndOnlyOutwards() {
    KeyRange r = KeyRange.hull(null, new byte[] {5}, new byte[] {7});
    r = KeyRange.hull(r, new byte[] {6}, new byte[] {9});
    assertArrayEquals(new byte[] {5}, r.smallest());
    assertArrayEquals(new byte[] {9}, r.largest());
    r = KeyRange.hull(r, new byte[] {3}, new byte[] {4});
    assertArrayEquals(new byte[] {3}, r.smallest());
    assertArrayEquals(new byte[] {9}, r.largest());
  }

  @Test
  void hull_comparesUnsigned_andAPrefixSortsFirst() {
    KeyRange r = KeyRange.hull(null, new byte[] {0x7f}, new byte[] {0x7f});
    r = KeyRange.hull(r, new byte[] {(byte) 0x80}, new byte[] {(byte) 0x80});
    assertArrayEquals(new byte[] {0x7f}, r.smallest());
    assertArrayEquals(new byte[] {(byte) 0x80}, r.largest());
    r = KeyRange.hull(r, new byte[] {0x7f, 0}, new byte[] {(byte) 0x80, 0});
    assertArrayEquals(new byte[] {0x7f}, r.smallest());
    assertArrayEquals(new byte[] {(byte) 0x80, 0}, r.largest());
  }

  @Test
  void covering_foldsEveryTable_andNeedsOne() {
    KeyRange r = KeyRange.covering(List.of(Views.table(1, 1, "d", "f"),
        Views.table(2, 1, "a", "b"), Views.table(3, 1, "c", "k")));
    assertArrayEquals(Views.key("a"), r.smallest());
    assertArrayEquals(Views.key("k"), r.largest());
    assertThrows(IllegalArgumentException.class, () -> KeyRange.covering(List.of()));
  }
}
