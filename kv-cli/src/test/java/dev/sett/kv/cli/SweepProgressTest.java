package dev.sett.kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep's progress line, the child JVM's inherited options and the point directories. */
class SweepProgressTest {
  private static final long S = 1_000_000_000L;

  @Test
  void estimate_isTheMeanOfThePointsDoneTimesThePointsLeft() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    SweepProgress p = new SweepProgress(err, false, 4);
    p.start(1, "valueThreshold=64", 0);
    assertEquals(-1, p.leftNanos(5 * S, true), "nothing to estimate from yet");
    p.finish(10 * S);
    p.start(2, "valueThreshold=1k", 10 * S);
    p.finish(40 * S); // 10 s and 30 s: a mean of 20 s
    p.start(3, "valueThreshold=4k", 40 * S);
    assertEquals(40 * S, p.leftNanos(40 * S, true)); // two points of 20 s
    assertEquals(35 * S, p.leftNanos(45 * S, true)); // less the 5 s the third has run
    assertEquals("sweep 3/4 valueThreshold=4k: running 5s, about 35s left", p.line(45 * S));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("sweep 1/4 valueThreshold=64: starting, time left known after the"
        + " first point\nsweep 1/4 valueThreshold=64 done in 10s, about 30s left\n"), out);
    assertTrue(out.contains("sweep 3/4 valueThreshold=4k: starting, about 40s left\n"), out);
    assertTrue(!out.contains("\r"), "no carriage returns off a terminal");
    assertEquals("2h 01m", SweepProgress.duration(7_260 * S));
    assertEquals("1m 05s", SweepProgress.duration(65 * S));
  }

  @Test
  void childJvm_inheritsHeapAndPropertiesButNotTheLaunchOrADebugger() {
    List<String> kept = ChildJvm.inheritedOptions(List.of("-Xmx2g", "--module-path=out",
        "-Djdk.module.main=dev.sett.kv.cli", "-XX:+UseG1GC", "-Dfoo=bar",
        "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "--add-opens=a/b=c"));
    assertEquals(List.of("-Xmx2g", "-XX:+UseG1GC", "-Dfoo=bar", "--add-opens=a/b=c"), kept);
    List<String> cmd = ChildJvm.command(List.of("bench", "--keys", "10"));
    assertTrue(cmd.get(0).endsWith("java"), cmd::toString);
    assertEquals(List.of("bench", "--keys", "10"), cmd.subList(cmd.size() - 3, cmd.size()));
    assertTrue(cmd.contains(SettCli.class.getName())
        || cmd.contains("dev.sett.kv.cli/" + SettCli.class.getName()), cmd::toString);
  }

  @Test
  void pointDirectories_sortInRunOrder_andHoldNoOddCharacters() {
    OptionSetting p = SweepSpec.parse("memTable=concurrent-skiplist").points().get(0);
    assertEquals("03-memTable-concurrent-skiplist", BenchSweep.dirName(3, 12, p));
    OptionSetting d = new OptionSetting.Converter().convert("bloomFalsePositive=0.01");
    assertEquals("1-bloomFalsePositive-0.01", BenchSweep.dirName(1, 2, d));
  }

  @Test
  void failedPoint_isExplainedByItsErrorLine_notTheTailOfATrace() {
    assertEquals("sett: error: read-back verification failed", BenchSweep.failureLine(List.of(
        "load: 100%", "sett: error: read-back verification failed", "")));
    assertEquals("Exception in thread \"main\" java.lang.NoClassDefFoundError: picocli/X",
        BenchSweep.failureLine(List.of(
            "Exception in thread \"main\" java.lang.NoClassDefFoundError: picocli/X",
            "\tat dev.sett.kv.cli.SettCli.main(SettCli.java:1)",
            "Caused by: java.lang.ClassNotFoundException: picocli.X", "\t... 16 more")));
    assertEquals("killed", BenchSweep.failureLine(List.of("load:  10%", "killed", " ")));
    assertEquals("no message", BenchSweep.failureLine(List.of()));
  }
}
