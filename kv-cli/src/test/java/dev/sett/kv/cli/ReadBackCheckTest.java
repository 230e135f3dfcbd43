package dev.sett.kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The read phase's verdict, including the failures a healthy engine never produces. */
class ReadBackCheckTest {
  private final ReadBackCheck check = new ReadBackCheck();

  @Test
  void rightValues_pass() {
    check.accept(new byte[] {1}, new byte[] {9}, new byte[] {9});
    check.accept(new byte[] {2}, new byte[0], new byte[0]);
    assertTrue(check.passed());
    assertEquals("all 2 keys read back with the right value", check.summary());
  }

  @Test
  void missingAndWrongValues_fail_andNameTheFirstBadKey() {
    check.accept(new byte[] {1}, new byte[] {9}, new byte[] {9});
    check.accept(new byte[] {0x0a}, new byte[] {9}, null);
    check.accept(new byte[] {0x0b}, new byte[] {9}, new byte[] {8, 8});
    assertFalse(check.passed());
    assertEquals("1 of 3 keys missing, 1 with a wrong value; first: key 0x0a missing",
        check.failures());
    assertTrue(check.summary().startsWith("FAILED: "), check.summary());
  }
}
