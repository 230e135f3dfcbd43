package dev.sett.kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The sweep's plots: well-formed SVG files holding their series, and the page showing them. */
class SweepChartsTest {

  @TempDir Path tmp;

  private static List<SweepPoint> points(SweepSpec spec) {
    List<SweepPoint> points = new ArrayList<>();
    for (int i = 0; i < spec.points().size(); i++) {
      points.add(new SweepPoint(spec.points().get(i), ResultsCsvTest.sample(i + 1), 1));
    }
    return points;
  }

  /** Parses an SVG document as XML (without fetching its DTD), failing if it is malformed. */
  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static String texts(Document doc) {
    StringBuilder all = new StringBuilder();
    NodeList texts = doc.getElementsByTagName("text");
    for (int i = 0; i < texts.getLength(); i++) {
      all.append(texts.item(i).getTextContent()).append('\n');
    }
    return all.toString();
  }

  @Test
  void numericSweep_logAxis_everyChartIsWellFormedSvgWithItsSeries() throws Exception {
    SweepSpec spec = SweepSpec.parse("valueThreshold=64,1k,16k");
    List<Path> files = SweepCharts.write(tmp, spec, points(spec), "2,000 keys, seed 0x1");
    assertEquals(SweepCharts.CHARTS.size() + 1, files.size());
    for (SweepCharts.Chart chart : SweepCharts.CHARTS) {
      Document doc = parse(Files.readString(tmp.resolve(chart.file())));
      assertEquals("svg", doc.getDocumentElement().getNodeName());
      String text = texts(doc);
      assertTrue(text.contains(chart.title() + " by valueThreshold"), text);
      assertTrue(text.contains("2,000 keys, seed 0x1"), text);
      for (SweepCharts.Series s : chart.series()) {
        assertTrue(text.contains(s.label()), "legend of " + s.label() + " in\n" + text);
      }
      assertTrue(text.contains("1.0 KiB") && text.contains("16.0 KiB"), "byte ticks in\n" + text);
      assertTrue(text.contains("log scale"), text);
    }
    String throughput = Files.readString(tmp.resolve("throughput.svg"));
    assertTrue(throughput.contains("load (puts/s)") && throughput.contains("read (gets/s)"));
  }

  @Test
  void categoricalSweep_barsNamedByValue() throws Exception {
    SweepSpec spec = SweepSpec.parse("compaction=leveled,tiered");
    String svg = SweepCharts.svg(SweepCharts.CHARTS.get(0), spec, points(spec), "sub");
    String text = texts(parse(svg));
    assertTrue(text.contains("leveled") && text.contains("tiered"), text);
    assertTrue(text.contains("load (puts/s)"), text);
  }

  @Test
  void indexPage_showsEveryChartAndTheTable() throws IOException {
    SweepSpec spec = SweepSpec.parse("compaction=leveled,tiered");
    SweepCharts.write(tmp, spec, points(spec).subList(0, 1), "a <b> & c");
    String html = Files.readString(tmp.resolve("index.html"));
    for (SweepCharts.Chart chart : SweepCharts.CHARTS) {
      assertTrue(html.contains("<img src=\"" + chart.file() + "\""), html);
    }
    assertTrue(html.contains("1 of 2 points done"), html);
    assertTrue(html.contains("<th>load_ops_per_s</th>"), html);
    assertTrue(html.contains("<td>leveled</td>"), html);
    assertTrue(html.contains("a &lt;b&gt; &amp; c"), "escaped: " + html);
  }
}
