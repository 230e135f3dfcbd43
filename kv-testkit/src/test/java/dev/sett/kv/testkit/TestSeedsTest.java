package dev.sett.kv.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** {@link TestSeeds}: parsing, printing and the system property. */
class TestSeedsTest {

  @Test
  void parse_readsHexAndDecimal() {
    assertEquals(31, TestSeeds.parse("0x1F"));
    assertEquals(31, TestSeeds.parse(" 0x1f "));
    assertEquals(31, TestSeeds.parse("31"));
    assertEquals(-5, TestSeeds.parse("-5"));
    assertEquals(255, TestSeeds.parse("ff"), "bare hex with a letter");
    assertEquals(-1, TestSeeds.parse("0xffffffffffffffff"));
    assertThrows(IllegalArgumentException.class, () -> TestSeeds.parse("zz"));
    assertThrows(IllegalArgumentException.class, () -> TestSeeds.parse("0x1ffffffffffffffff"));
  }

  @Test
  void format_roundTripsThroughParse() {
    for (long seed : new long[] {0, 1, 42, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x1234_5678L}) {
      String text = TestSeeds.format(seed);
      assertTrue(text.startsWith("0x"), text);
      assertEquals(seed, TestSeeds.parse(text), text);
    }
  }

  @Test
  @ResourceLock(Resources.SYSTEM_PROPERTIES)
  @ResourceLock(Resources.SYSTEM_OUT)
  void seed_takesThePropertyAndPrintsAReproduceLine(TestInfo test) {
    String saved = System.getProperty(TestSeeds.PROPERTY);
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      System.setProperty(TestSeeds.PROPERTY, "0xdeadbeef");
      assertEquals(0xdeadbeefL, TestSeeds.seed("Some#test"));
      assertEquals(0xdeadbeefL, TestSeeds.seed(test));
      System.clearProperty(TestSeeds.PROPERTY);
      long random = TestSeeds.seed("Other#test");
      assertTrue(captured.toString(StandardCharsets.UTF_8).contains(
          "reproduce: -Dtests.seed=" + TestSeeds.format(random) + " (Other#test)"));
    } finally {
      System.setOut(out);
      if (saved == null) {
        System.clearProperty(TestSeeds.PROPERTY);
      } else {
        System.setProperty(TestSeeds.PROPERTY, saved);
      }
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("reproduce: -Dtests.seed=0xdeadbeef (Some#test)"), printed);
    String name = "TestSeedsTest#seed_takesThePropertyAndPrintsAReproduceLine";
    assertTrue(printed.contains("reproduce: -Dtests.seed=0xdeadbeef (" + name + ")"), printed);
  }
}
