package dev.sett.kv.testkit;

import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.TestInfo;

/**
 * Seeds for every randomized test in the project, so that any failure can be replayed: the seed
 * comes from the system property {@value #PROPERTY} when it is set, else it is picked at random,
 * and either way it is printed with the test's name as {@code reproduce: -Dtests.seed=0x...}.
 *
 * <p>Run again with {@code mvn -pl <module> test -Dtest=<Class#method> -Dtests.seed=0x...}. The
 * same fixed seed is returned to every caller, so tests that need several independent streams
 * should derive them from one seed rather than ask twice.
 */
public final class TestSeeds {

  /** The system property that fixes the seed: hexadecimal ({@code 0x} prefix) or decimal. */
  public static final String PROPERTY = "tests.seed";

  private TestSeeds() {}

  /**
   * The seed for a test, printed to stdout with a line that reproduces it.
   *
   * @param testName names the test in the printed line, ideally {@code Class#method}
   * @return the seed from {@value #PROPERTY}, or a random one
   * @throws IllegalArgumentException if the property is set but is not a number
   */
  public static long seed(String testName) {
    String fixed = System.getProperty(PROPERTY);
    // The only unseeded randomness in the tests: it is printed before anything uses it.
    long seed = fixed == null || fixed.isBlank()
        ? ThreadLocalRandom.current().nextLong()
        : parse(fixed);
    System.out.println("reproduce: -D" + PROPERTY + "=" + format(seed) + " (" + testName + ")");
    return seed;
  }

  /**
   * The seed for the running JUnit test, named {@code Class#method} (plus the arguments of a
   * parameterized invocation); declare a {@link TestInfo} parameter in the test to get one.
   *
   * @param test the running test
   * @return the seed, as {@link #seed(String)}
   */
  // This module does not re-export JUnit (no `requires transitive` on third-party modules), so
  // javac warns that TestInfo leaks; every caller is a test that has JUnit anyway.
  @SuppressWarnings("exports")
  public static long seed(TestInfo test) {
    String method = test.getTestMethod().map(m -> m.getName()).orElse("");
    String name = test.getTestClass().map(Class::getSimpleName).orElse("?") + "#" + method;
    // Parameterized invocations show their arguments only in the display name.
    String display = test.getDisplayName();
    return seed(display.startsWith(method + "(") ? name : name + " " + display);
  }

  /**
   * Reads a seed: {@code 0x} followed by up to 16 hex digits, a decimal number (optionally
   * negative), or bare hex digits when they contain a letter. Printed seeds always carry the
   * {@code 0x} prefix, so they never read as decimal.
   *
   * @param text the text
   * @return the seed
   * @throws IllegalArgumentException if the text is not a seed
   */
  public static long parse(String text) {
    String s = text.trim();
    try {
      if (s.startsWith("0x") || s.startsWith("0X")) {
        return Long.parseUnsignedLong(s.substring(2), 16);
      }
      if (s.matches("-?[0-9]+")) {
        return Long.parseLong(s);
      }
      return Long.parseUnsignedLong(s, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + PROPERTY + "=" + text + " is not a hex (0x...) or decimal 64-bit number", e);
    }
  }

  /**
   * Prints a seed the way {@link #parse} reads it back.
   *
   * @param seed the seed
   * @return {@code 0x} and lower-case hex digits
   */
  public static String format(long seed) {
    return "0x" + Long.toHexString(seed);
  }
}
