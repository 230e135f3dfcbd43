package dev.sett.kv.core;

import dev.sett.kv.Db;
import dev.sett.kv.Item;
import dev.sett.kv.Options;
import java.nio.file.Path;

/**
 * The child JVM of {@link DirectoryLockTest} and {@link ReadOnlyTest}: opens a database (read-only
 * when the second argument is {@code read-only}, then it also prints the value of key {@code k}),
 * says so, and holds it open until its standard input closes.
 */
public final class LockChild {
  private LockChild() {}

  /**
   * Runs the child.
   *
   * @param args the database directory
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    boolean readOnly = args.length > 1 && args[1].equals("read-only");
    try (Db db = Db.open(Options.builder(Path.of(args[0])).readOnly(readOnly).build())) {
      System.out.println("OPEN");
      if (readOnly) {
        String value = db.view(t -> {
          Item item = t.get("k".getBytes(java.nio.charset.StandardCharsets.UTF_8));
          return item == null ? "(none)" : new String(item.value(),
              java.nio.charset.StandardCharsets.UTF_8);
        });
        System.out.println(value);
      }
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the database open until the parent closes our input
      }
    }
  }
}
