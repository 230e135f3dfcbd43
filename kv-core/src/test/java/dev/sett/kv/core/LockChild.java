package dev.sett.kv.core;

import dev.sett.kv.Db;
import java.nio.file.Path;

/** The child JVM of {@link DirectoryLockTest}: opens a database, says so, and holds it open
 * until its standard input closes. */
public final class LockChild {
  private LockChild() {}

  /**
   * Runs the child.
   *
   * @param args the database directory
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    try (Db db = Db.open(Path.of(args[0]))) {
      System.out.println("OPEN");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the database open until the parent closes our input
      }
    }
  }
}
