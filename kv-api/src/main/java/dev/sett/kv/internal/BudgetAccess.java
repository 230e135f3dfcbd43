package dev.sett.kv.internal;

import dev.sett.kv.MemoryBudget;

/**
 * How the engine reaches the shared state inside a {@link MemoryBudget}, which keeps it out of
 * its public surface (the JDK's {@code SharedSecrets} idiom): {@code MemoryBudget} installs the
 * accessor when its class is initialized, which happens before any instance exists.
 */
public final class BudgetAccess {

  /** Reads a budget's shared parts. */
  public interface Accessor {
    /**
     * @param budget the budget
     * @return its memtable pool
     */
    MemTablePool pool(MemoryBudget budget);

    /**
     * @param budget the budget
     * @return its caches
     */
    SharedCaches caches(MemoryBudget budget);
  }

  private static volatile Accessor accessor;

  private BudgetAccess() {}

  /**
   * Installs the accessor; called once, by {@link MemoryBudget}.
   *
   * @param a the accessor
   */
  public static void install(Accessor a) {
    if (accessor != null) {
      throw new IllegalStateException("the budget accessor is installed already");
    }
    accessor = a;
  }

  /**
   * @param budget a budget
   * @return its memtable pool
   */
  public static MemTablePool pool(MemoryBudget budget) {
    return accessor.pool(budget);
  }

  /**
   * @param budget a budget
   * @return its caches
   */
  public static SharedCaches caches(MemoryBudget budget) {
    return accessor.caches(budget);
  }
}
