package dev.sett.kv.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a file whole: the text goes to a temporary file beside it, which is then moved over
 * it. A sweep rewrites its results and plots after every point, so a person who opens them
 * meanwhile, or a sweep stopped midway, finds the old file or the new one, never half of one.
 */
final class WholeFileWriter {
  private WholeFileWriter() {}

  /**
   * Writes a file whole, in UTF-8.
   *
   * @param file the file to replace or create
   * @param text its new content
   * @return the file
   * @throws IOException if writing or moving fails
   */
  static Path replace(Path file, CharSequence text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
