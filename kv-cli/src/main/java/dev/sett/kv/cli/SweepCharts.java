package dev.sett.kv.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.text.AttributedCharacterIterator;
import java.text.AttributedString;
import java.text.CharacterIterator;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * Draws the plots of a sweep as SVG files a browser opens, one per metric, against the swept
 * value, and an {@code index.html} that shows them all with the results table.
 *
 * <p>JFreeChart lays the chart out and JFreeSVG records the drawing as SVG (see kv-cli's pom for
 * the choice); no window is opened, so {@code java.awt.headless} is set before AWT starts. A
 * numeric sweep whose values are all above zero gets a logarithmic x axis (base 2 for sizes, so
 * that 1k, 4k, 16k lie evenly apart); any other sweep (names such as leveled and tiered, booleans,
 * or numbers including 0) gets one group of bars per value, in the order given.
 */
final class SweepCharts {
  static {
    // Before the first AWT class loads: charts are drawn off screen, never in a window.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final int WIDTH = 800;
  private static final int HEIGHT = 500;

  /** The charts drawn for every sweep. */
  static final List<Chart> CHARTS = List.of(
      new Chart("throughput.svg", "Throughput", "operations per second", List.of(
          new Series("load (puts/s)", PointResult::loadOpsPerS),
          new Series("read (gets/s)", PointResult::readOpsPerS))),
      new Chart("write-amplification.svg", "Write amplification",
          "bytes written to disk / bytes of keys and values", List.of(
              new Series("write amplification (WAL, tables, value log)",
                  PointResult::writeAmp))),
      new Chart("space-amplification.svg", "Space amplification",
          "bytes on disk after close / bytes of keys and values", List.of(
              new Series("space amplification", PointResult::spaceAmp))),
      new Chart("read-latency.svg", "Read latency", "microseconds per get", List.of(
          new Series("get p50", PointResult::getP50Us),
          new Series("get p99", PointResult::getP99Us))));

  private SweepCharts() {}

  /**
   * One chart: a file, a title, the y axis and the series drawn.
   *
   * @param file the SVG file's name
   * @param title the chart's title
   * @param yLabel the y axis label, with its unit
   * @param series the lines (or bar series)
   */
  record Chart(String file, String title, String yLabel, List<Series> series) {}

  /**
   * One line of a chart.
   *
   * @param label the legend's text
   * @param y the figure drawn
   */
  record Series(String label, ToDoubleFunction<PointResult> y) {}

  /**
   * Writes every chart and {@code index.html} into a directory, each file replaced whole ({@link
   * WholeFileWriter}).
   *
   * @param dir the directory
   * @param sweep what was swept
   * @param points the points done, in the order run
   * @param subtitle what every point ran, for the charts' subtitle
   * @return the files written
   * @throws IOException if writing fails
   */
  static List<Path> write(Path dir, SweepSpec sweep, List<SweepPoint> points, String subtitle)
      throws IOException {
    List<Path> files = new ArrayList<>();
    for (Chart c : CHARTS) {
      files.add(WholeFileWriter.replace(dir.resolve(c.file()), svg(c, sweep, points, subtitle)));
    }
    files.add(WholeFileWriter.replace(dir.resolve("index.html"), SweepIndexPage.html(sweep, points, subtitle)));
    return files;
  }

  /**
   * Draws one chart.
   *
   * @param chart the chart
   * @param sweep what was swept
   * @param points the points
   * @param subtitle the subtitle
   * @return an SVG document
   */
  static String svg(Chart chart, SweepSpec sweep, List<SweepPoint> points, String subtitle) {
    JFreeChart jfc = sweep.logScale()
        ? lineChart(chart, sweep, points)
        : barChart(chart, sweep, points);
    jfc.addSubtitle(new TextTitle(subtitle));
    jfc.setBackgroundPaint(Color.WHITE);
    SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
    jfc.draw(g, new Rectangle(WIDTH, HEIGHT));
    return g.getSVGDocument();
  }

  private static JFreeChart lineChart(Chart chart, SweepSpec sweep, List<SweepPoint> points) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Series s : chart.series()) {
      XYSeries xy = new XYSeries(s.label());
      for (SweepPoint p : points) {
        xy.add(p.setting().number(), s.y().applyAsDouble(p.result()));
      }
      data.addSeries(xy);
    }
    JFreeChart jfc = ChartFactory.createXYLineChart(title(chart, sweep), sweep.name(),
        chart.yLabel(), data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = jfc.getXYPlot();
    LogAxis x = new PlainTextLogAxis(axisLabel(sweep));
    if (sweep.setter().kind() == OptionSetter.Kind.SIZE) {
      x.setBase(2);
      x.setNumberFormatOverride(new BinarySizeFormat());
    }
    x.setSmallestValue(minPositive(points));
    // Ticks at whole powers only (64 B, 128 B, ...; 1, 10, 100): the automatic choice would also
    // put them at half powers, such as 90.5 B.
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setLowerMargin(0.05); // keep the first and last points off the plot's edges
    x.setUpperMargin(0.05);
    plot.setDomainAxis(x);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true); // points marked
    for (int i = 0; i < chart.series().size(); i++) {
      r.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return jfc;
  }

  private static JFreeChart barChart(Chart chart, SweepSpec sweep, List<SweepPoint> points) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Series s : chart.series()) {
      for (SweepPoint p : points) {
        data.addValue(s.y().applyAsDouble(p.result()), s.label(), p.setting().text());
      }
    }
    JFreeChart jfc = ChartFactory.createBarChart(title(chart, sweep), axisLabel(sweep),
        chart.yLabel(), data, PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = jfc.getCategoryPlot();
    BarRenderer r = (BarRenderer) plot.getRenderer();
    r.setBarPainter(new StandardBarPainter()); // flat bars: the gradient adds nothing in print
    r.setShadowVisible(false);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return jfc;
  }

  private static String title(Chart chart, SweepSpec sweep) {
    return chart.title() + " by " + sweep.name();
  }

  private static String axisLabel(SweepSpec sweep) {
    return switch (sweep.setter().kind()) {
      case SIZE -> sweep.name() + " (bytes, log scale)";
      case DURATION -> sweep.name() + (sweep.logScale() ? " (seconds, log scale)" : "");
      default -> sweep.name() + (sweep.logScale() ? " (log scale)" : "");
    };
  }

  private static double minPositive(List<SweepPoint> points) {
    double min = Double.MAX_VALUE;
    for (SweepPoint p : points) {
      min = Math.min(min, p.setting().number());
    }
    return points.isEmpty() ? 1 : min / 2;
  }

  /**
   * A log axis whose tick labels are plain text. {@link LogAxis} hands its labels over as
   * attributed strings (for superscript exponents), which JFreeSVG can only draw as glyph
   * outlines: they look the same but are not text, so a browser cannot find or copy them and the
   * file grows. The labels here are formatted numbers anyway, so each tick is handed over again as
   * a plain {@link NumberTick}, which is drawn as an SVG {@code <text>}.
   */
  private static final class PlainTextLogAxis extends LogAxis {
    private static final long serialVersionUID = 1L;

    PlainTextLogAxis(String label) {
      super(label);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // JFreeChart's own signature is raw
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea,
        RectangleEdge edge) {
      List<Object> plain = new ArrayList<>();
      for (Object t : super.refreshTicks(g2, state, dataArea, edge)) {
        if (t instanceof LogTick tick) {
          plain.add(new NumberTick(tick.getTickType(), tick.getValue(),
              text(tick.getAttributedLabel()), tick.getTextAnchor(), tick.getRotationAnchor(),
              tick.getAngle()));
        } else {
          plain.add(t);
        }
      }
      return plain;
    }

    private static String text(AttributedString label) {
      if (label == null) {
        return "";
      }
      StringBuilder s = new StringBuilder();
      AttributedCharacterIterator it = label.getIterator();
      for (char c = it.first(); c != CharacterIterator.DONE; c = it.next()) {
        s.append(c);
      }
      return s.toString();
    }
  }

  /**
   * Tick labels of a byte axis in binary units, as the bench summary prints sizes: {@code 64 B},
   * {@code 4.0 KiB}, {@code 1.0 MiB}.
   */
  private static final class BinarySizeFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;

    @Override
    public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
      return to.append(BenchReport.bytes(Math.round(number)));
    }

    @Override
    public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
      return format((double) number, to, pos);
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
      throw new UnsupportedOperationException("labels only");
    }
  }
}
