package dev.sett.kv.cli;

import java.util.List;

/**
 * The {@code index.html} of a sweep's directory: every chart of {@link SweepCharts} and the rows
 * of {@code results.csv} as a table, in one page a person opens in a browser. Static HTML with no
 * script and nothing fetched from elsewhere, so it opens from the file system.
 */
final class SweepIndexPage {
  private SweepIndexPage() {}

  /**
   * The page.
   *
   * @param sweep what was swept
   * @param points the points done, in the order run
   * @param subtitle what every point ran
   * @return the HTML document
   */
  static String html(SweepSpec sweep, List<SweepPoint> points, String subtitle) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>sett bench sweep of ").append(escape(sweep.name())).append("</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em}img{max-width:100%;")
        .append("border:1px solid #ddd;margin:0 1em 1em 0}table{border-collapse:collapse;")
        .append("font-size:small}td,th{border:1px solid #ccc;padding:2px 6px;")
        .append("text-align:right}</style>\n</head>\n<body>\n")
        .append("<h1>sett bench: sweep of ").append(escape(sweep.name())).append("</h1>\n")
        .append("<p>").append(escape(subtitle)).append("</p>\n<p>")
        .append(points.size()).append(" of ").append(sweep.points().size())
        .append(" points done; figures in <a href=\"results.csv\">results.csv</a>.</p>\n");
    for (SweepCharts.Chart c : SweepCharts.CHARTS) {
      h.append("<img src=\"").append(c.file()).append("\" alt=\"").append(escape(c.title()))
          .append("\">\n");
    }
    h.append("<table>\n<tr>");
    for (String name : ResultsCsv.header()) {
      h.append("<th>").append(escape(name)).append("</th>");
    }
    h.append("</tr>\n");
    for (SweepPoint p : points) {
      h.append("<tr>");
      for (String cell : ResultsCsv.row(p)) {
        h.append("<td>").append(escape(cell)).append("</td>");
      }
      h.append("</tr>\n");
    }
    return h.append("</table>\n</body>\n</html>\n").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
