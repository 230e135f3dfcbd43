package dev.sett.kv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Answers {@code sett --version} with the project version Maven wrote into {@code
 * version.properties} and the Java runtime the tool runs on (benchmark numbers need both).
 */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {
      "sett " + projectVersion(),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name", "?") + ", "
          + System.getProperty("java.vendor", "?") + ")"
    };
  }

  /**
   * The version of this build.
   *
   * @return the Maven project version, or {@code unknown} when run from unfiltered sources
   */
  static String projectVersion() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
