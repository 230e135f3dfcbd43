package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.DirectoryLockedException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory open in another process cannot be opened, and can be once that process ends. */
class DirectoryLockTest {
  @TempDir Path dir;

  @Test
  void openInAnotherProcess_isRefused_untilItCloses() throws Exception {
    Process child = new ProcessBuilder(
        ChildJvm.javaBin(), "-cp",
        System.getProperty("java.class.path"), LockChild.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("OPEN", out.readLine());
      DirectoryLockedException e = assertThrows(DirectoryLockedException.class,
          () -> Db.open(dir));
      assertTrue(e.getMessage().contains("another process")
          && e.getMessage().contains("pid " + child.pid()), e.getMessage());
    } finally {
      child.getOutputStream().close();
      assertEquals(0, child.waitFor());
    }
    try (Db db = Db.open(dir)) {
      db.update(txn -> txn.set(Bytes.b("k"), Bytes.b("v")));
    }
  }
}
