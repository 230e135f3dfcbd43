package dev.sett.kv.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Drops the operating system's page cache before a read run, so reads are cold for every store
 * alike: {@code sync}, then {@code 3} into {@code /proc/sys/vm/drop_caches}. That needs Linux and
 * root; where it fails the run says its reads were warm.
 */
final class PageCache {
  private static final Path DROP = Path.of("/proc/sys/vm/drop_caches");

  private PageCache() {}

  /**
   * Tries to drop the page cache.
   *
   * @return whether it was dropped
   */
  static boolean drop() {
    try {
      Process sync = new ProcessBuilder("sync").inheritIO().start();
      if (sync.waitFor() != 0) {
        return false;
      }
      Files.writeString(DROP, "3");
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
