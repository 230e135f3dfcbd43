package dev.sett.kv.io;

import java.io.IOException;

/**
 * Replaces a small file as a whole, so that a crash leaves the old file or the new one, never a
 * mix: write the new contents under a temporary name, fsync, rename over the file, fsync the
 * directory (the MANIFEST rewrite, the DISCARD statistics, the banned namespaces).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Replaces {@code name} with {@code bytes}.
   *
   * @param storage the directory
   * @param name the file to replace (created if absent)
   * @param tempName the name written first; deleted first if a crash left it
   * @param bytes the new contents
   * @throws IOException if a step fails; the old file (or, after the rename, the new one) stays
   */
  public static void replace(Storage storage, String name, String tempName, byte[] bytes)
      throws IOException {
    storage.delete(tempName);
    try (WritableFile f = storage.create(tempName)) {
      f.write(bytes, 0, bytes.length);
      f.sync();
    }
    storage.rename(tempName, name);
    storage.syncDirectory();
  }
}
