package dev.sett.kv.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The arguments a command was given, as typed, for the command lines {@code bench} writes out: the
 * {@code rerun} line of its summary and the command of each child JVM of a sweep.
 *
 * @param before the arguments before the command's name (options of {@code sett} itself)
 * @param own the arguments after the command's name
 */
record CommandArgs(List<String> before, List<String> own) {

  /** Copies the lists. */
  CommandArgs {
    before = List.copyOf(before);
    own = List.copyOf(own);
  }

  /**
   * The arguments of the command being run.
   *
   * @param spec the command's spec, after parsing
   * @return its arguments
   */
  static CommandArgs of(CommandSpec spec) {
    List<String> all = spec.commandLine().getParseResult().originalArgs();
    // The original arguments start at the root command; this command's follow its name (root
    // options take no values, so the first occurrence of the name is the command).
    int at = all.indexOf(spec.name());
    return new CommandArgs(all.subList(0, at), all.subList(at + 1, all.size()));
  }

  /**
   * The command's own arguments without some options and their values, in either spelling
   * ({@code --seed 1} or {@code --seed=1}).
   *
   * @param options the options to drop, each of which takes one value
   * @return the arguments left, in order
   */
  List<String> ownWithout(Set<String> options) {
    List<String> args = new ArrayList<>(own);
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      int eq = a.indexOf('=');
      if (options.contains(a) && i + 1 < args.size()) {
        args.remove(i + 1);
        args.remove(i--);
      } else if (eq > 0 && options.contains(a.substring(0, eq))) {
        args.remove(i--);
      }
    }
    return args;
  }

  /**
   * Joins arguments into one line a POSIX shell reads back as the same arguments.
   *
   * @param args the arguments
   * @return the line
   */
  static String shellLine(List<String> args) {
    StringBuilder line = new StringBuilder();
    for (String a : args) {
      line.append(line.length() == 0 ? "" : " ").append(shellQuoted(a));
    }
    return line.toString();
  }

  /** Quotes an argument for a POSIX shell when it holds anything but plain characters. */
  private static String shellQuoted(String arg) {
    if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_./:=@%+,-]+")) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
