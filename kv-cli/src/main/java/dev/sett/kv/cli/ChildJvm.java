package dev.sett.kv.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts {@code sett} again in a fresh JVM of the same kind as this one: the
 * same {@code java} binary, the same JVM options (heap size, GC, {@code -D} properties, as {@code
 * JAVA_OPTS} gave them to {@code ./sett}) and the same module path or class path.
 *
 * <p>A sweep runs every point in its own JVM so that no point inherits another's heap, JIT state,
 * page cache warm-up of its own files, threads or memory peak: the peak RSS is a process-wide
 * high-water mark and could only grow from point to point inside one JVM.
 *
 * <p>{@code ./sett} launches {@code java -p JAR:LIB -m dev.sett.kv.cli/...}; the JVM reports that as
 * the options {@code --module-path=...} and {@code -Djdk.module.main=...}, which are dropped from
 * the inherited options and replaced by an explicit launch of the same module path (made absolute,
 * in case the child's directory differs). Run from the class path (as the tests are), the child
 * gets the same class path. A debugger agent is not inherited: the child would fight the parent
 * for its port.
 */
final class ChildJvm {
  private static final String MAIN_MODULE = "dev.sett.kv.cli";

  private ChildJvm() {}

  /**
   * The command that runs {@code sett} with these arguments in a new JVM.
   *
   * @param settArgs the arguments of {@code sett}, such as {@code bench --keys 1m ...}
   * @return the command, for a {@link ProcessBuilder}
   */
  static List<String> command(List<String> settArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.addAll(inheritedOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    String modulePath = System.getProperty("jdk.module.path");
    if (SettCli.class.getModule().isNamed() && modulePath != null) {
      cmd.add("--module-path=" + absolute(modulePath));
      cmd.add("-m");
      cmd.add(MAIN_MODULE + "/" + SettCli.class.getName());
    } else {
      cmd.add("-cp");
      cmd.add(absolute(System.getProperty("java.class.path")));
      cmd.add(SettCli.class.getName());
    }
    cmd.addAll(settArgs);
    return cmd;
  }

  /**
   * The JVM options a child inherits: all but those that say how this JVM was launched (the
   * module path and main module, the class path) and debugger agents.
   *
   * @param inputArguments this JVM's options, as {@code RuntimeMXBean.getInputArguments()} gives
   *     them
   * @return the options to pass on, in order
   */
  static List<String> inheritedOptions(List<String> inputArguments) {
    List<String> kept = new ArrayList<>();
    for (String a : inputArguments) {
      if (a.startsWith("--module-path") || a.startsWith("-Djdk.module.")
          || a.startsWith("-Djava.class.path=") || a.startsWith("-agentlib:jdwp")
          || a.startsWith("-Xrunjdwp")) {
        continue;
      }
      kept.add(a);
    }
    return kept;
  }

  /** This JVM's {@code java} binary; {@code java.home} when the OS does not tell. */
  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Each entry of a path list made absolute. */
  private static String absolute(String pathList) {
    List<String> out = new ArrayList<>();
    for (String p : pathList.split(java.io.File.pathSeparator, -1)) {
      out.add(p.isEmpty() ? p : Path.of(p).toAbsolutePath().toString());
    }
    return String.join(java.io.File.pathSeparator, out);
  }
}
