package dev.sett.kv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** {@link Hex} round trips and rejects what is not hex. */
class HexProperties {

  @Property
  void decode_inverts_encode(@ForAll byte[] bytes) {
    assertArrayEquals(bytes, Hex.decode(Hex.encode(bytes)));
  }

  @Property
  void decode_acceptsUpperCaseAndPrefix(@ForAll byte[] bytes) {
    assertArrayEquals(bytes, Hex.decode("0x" + Hex.encode(bytes).toUpperCase(Locale.ROOT)));
  }

  @Example
  void encode_isLowerCaseTwoDigitsPerByte() {
    assertEquals("00ff7f80", Hex.encode(new byte[] {0, -1, 127, -128}));
  }

  @Example
  void decode_rejectsOddLengthAndBadDigits() {
    assertThrows(IllegalArgumentException.class, () -> Hex.decode("abc"));
    assertThrows(IllegalArgumentException.class, () -> Hex.decode("zz"));
    assertThrows(IllegalArgumentException.class, () -> Hex.decode("+1"));
  }
}
