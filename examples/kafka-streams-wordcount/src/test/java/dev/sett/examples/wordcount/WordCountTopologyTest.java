package dev.sett.examples.wordcount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's topology and configuration count the bundled text's words, in Sett. */
class WordCountTopologyTest {
  @TempDir
  Path stateDir;

  @Test
  void demo_countsTheBundledText_inASettStore() {
    Demo.Result r = Demo.run(Demo.bundledText(), stateDir);
    // Counted by hand from alice.txt ("Alice's" is the words "alice" and "s").
    assertEquals(16L, r.counts().get("the"));
    assertEquals(7L, r.counts().get("alice"));
    assertEquals(7L, r.counts().get("rabbit"));
    assertEquals(9L, r.counts().get("she"));
    assertEquals(2L, r.counts().get("waistcoat"));
    assertEquals(164, r.counts().size());
    assertEquals(335L, r.counts().values().stream().mapToLong(Long::longValue).sum());
    // The store answers an interactive query with the same counts.
    assertEquals(r.counts(), r.stored());
    // It was a Sett store: its folder under the task's sett/ held Sett's files.
    assertTrue(r.storeFiles().contains("MANIFEST"), r.storeDir() + ": " + r.storeFiles());
  }

  @Test
  void words_areLowerCase_splitAtNonWordCharacters() {
    assertEquals(List.of("oh", "dear", "i", "shall", "be", "late"),
        WordCountTopology.words("\"Oh dear! I shall be late!\""));
    assertEquals(List.of(), WordCountTopology.words("  --  "));
  }

  @Test
  void print_showsTheTopWords() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Demo.print(null, 3, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.matches("(?s).*\\n  the +16\\n.*"), out);
    assertTrue(out.contains("holds the same counts"), out);
    assertFalse(out.contains("MISMATCH"), out);
  }
}
