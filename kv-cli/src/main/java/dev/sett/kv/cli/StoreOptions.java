package dev.sett.kv.cli;

import dev.sett.kv.Db;
import dev.sett.kv.Options;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every data command ({@code put}, {@code get}, {@code delete}, {@code scan}) takes:
 * which database, and how keys and values are written on the command line. Mixed into each
 * command with {@code @Mixin}.
 *
 * <p>Keys and values are UTF-8 text by default and printed as their raw bytes, so that {@code sett
 * get} reproduces exactly what {@code sett put} stored. With {@code --hex} both directions use
 * hex, which is the only safe choice for binary data and for keys holding tabs or newlines.
 */
final class StoreOptions {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DIR",
      description = "Database directory (put creates it if absent).")
  private Path dir;

  @Option(
      names = "--hex",
      description = "Give and print keys, prefixes and values as hex, such as 6b6579.")
  private boolean hex;

  /** The database directory given with {@code --dir}. */
  Path dir() {
    return dir;
  }

  /**
   * Opens the database.
   *
   * @param syncWrites whether commits wait for fsync
   * @param create whether a missing directory is created; only {@code put} does, so that a
   *     mistyped {@code --dir} given to a read is reported instead of answered from a new, empty
   *     database left behind
   * @return the open database; close it
   * @throws CliFailure if the directory does not exist and {@code create} is {@code false}
   */
  Db open(boolean syncWrites, boolean create) {
    return open(dir, syncWrites, create);
  }

  /**
   * Opens the database in {@code dir} (for commands that take only {@code --dir}).
   *
   * @param dir the directory
   * @param syncWrites whether commits wait for fsync
   * @param create whether a missing directory is created
   * @return the open database; close it
   * @throws CliFailure if the directory does not exist and {@code create} is {@code false}
   */
  static Db open(Path dir, boolean syncWrites, boolean create) {
    if (!create && !Files.isDirectory(dir)) {
      throw new CliFailure("no database at " + dir + ": the directory does not exist");
    }
    return Db.open(Options.builder(dir).syncWrites(syncWrites).build());
  }

  /**
   * Decodes a key argument.
   *
   * @param label the argument's name for messages, such as {@code KEY}
   * @param text the argument
   * @return the key bytes, 1 to {@value Options#MAX_KEY_SIZE} bytes
   * @throws ParameterException if the text is not valid or the key is empty or too long
   */
  byte[] key(String label, String text) {
    byte[] key = bytes(label, text);
    if (key.length == 0) {
      throw new ParameterException(spec.commandLine(), label + " must not be empty");
    }
    if (key.length > Options.MAX_KEY_SIZE) {
      throw new ParameterException(spec.commandLine(), label + " is " + key.length
          + " bytes long; the limit is " + Options.MAX_KEY_SIZE);
    }
    return key;
  }

  /**
   * Decodes a value or prefix argument, which may be empty.
   *
   * @param label the argument's name for messages
   * @param text the argument
   * @return the bytes
   * @throws ParameterException if {@code --hex} is set and the text is not hex
   */
  byte[] bytes(String label, String text) {
    if (!hex) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Hex.decode(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), label + ": " + e.getMessage());
    }
  }

  /**
   * Prints a key or value: raw bytes, or hex with {@code --hex}.
   *
   * @param out the stream
   * @param bytes the key or value
   */
  void print(PrintStream out, byte[] bytes) {
    if (hex) {
      out.print(Hex.encode(bytes));
    } else {
      out.write(bytes, 0, bytes.length);
    }
  }
}
