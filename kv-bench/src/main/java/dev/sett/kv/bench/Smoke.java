package dev.sett.kv.bench;

/**
 * The smoke form of the JMH benchmarks, which {@code mvn verify} runs so that none of them rots:
 * with the system property {@value #PROPERTY} set, every benchmark sizes its data to that many
 * entries instead of its real size. Scores of such a run mean nothing (a benchmark's {@code
 * OperationsPerInvocation} still names the real size); only that every benchmark sets up, runs
 * and tears down is checked.
 */
public final class Smoke {
  /** The property that turns the smoke form on, and gives its entry count. */
  public static final String PROPERTY = "sett.bench.smokeEntries";

  private Smoke() {}

  /**
   * A benchmark's size.
   *
   * @param real the real size
   * @return the smoke size if the property is set, else {@code real}
   */
  public static int size(int real) {
    return Integer.getInteger(PROPERTY, real);
  }
}
