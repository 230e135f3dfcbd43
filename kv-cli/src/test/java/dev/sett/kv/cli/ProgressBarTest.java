package dev.sett.kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress output off and on a terminal, driven with made-up timestamps. */
class ProgressBarTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void offATerminal_oneLinePerTenth() {
    ProgressBar bar = new ProgressBar(err, false, "load", 1000, 0);
    for (int done = 1; done <= 1000; done++) {
      bar.update(done, done * 1_000_000L);
    }
    bar.finish(1000, 1_000_000_000L);
    List<String> lines = text().lines().toList();
    assertEquals(10, lines.size(), text());
    assertEquals("load:  10%  100/1,000  0.1 s", lines.get(0));
    assertEquals("load: 100%  1,000/1,000  1.0 s", lines.get(9));
  }

  @Test
  void offATerminal_aBigStepPrintsOnlyTheLatestTenth() {
    ProgressBar bar = new ProgressBar(err, false, "load", 100, 0);
    bar.update(55, 1);
    bar.update(100, 2);
    assertEquals(List.of("load:  50%  55/100  0.0 s", "load: 100%  100/100  0.0 s"),
        text().lines().toList());
  }

  @Test
  void onATerminal_redrawsAtMostTenTimesASecond() {
    ProgressBar bar = new ProgressBar(err, true, "read", 1_000_000, 0);
    // One update per microsecond for half a second: five redraws at most, plus the first.
    for (long done = 1; done <= 500_000; done++) {
      bar.update(done, done * 1_000L);
    }
    long redraws = text().chars().filter(c -> c == '\r').count();
    assertTrue(redraws >= 5 && redraws <= 6, redraws + " redraws");
    bar.finish(1_000_000, 1_000_000_000L);
    assertTrue(text().endsWith("\n"), "finish leaves the cursor on a fresh line");
    assertTrue(text().contains("100%  1,000,000/1,000,000"), text());
  }
}
