/**
 * The {@code sett} command line tool: {@code bench}, {@code put}, {@code get}, {@code delete} and
 * {@code scan} over a Sett database directory.
 *
 * <p>The tool programs against the public API only. The engine ({@code dev.sett.kv.core}) and the
 * providers are bound at run time by service binding ({@code dev.sett.kv} holds the {@code uses}
 * clauses), so any engine on the module path works and none is named here. picocli reads and
 * writes the annotated command fields reflectively, hence the qualified {@code opens}.
 */
module dev.sett.kv.cli {
  requires dev.sett.kv;
  requires info.picocli;
  requires HdrHistogram; // automatic module, named after its jar (it declares no name)
  requires java.management; // MemoryMXBean, for the peak heap that bench reports
  requires java.logging; // to turn the engine's System.Logger output into one-line messages
  // The plots of bench --sweep: JFreeChart (an automatic module, named in its manifest) draws on
  // JFreeSVG's Graphics2D, which writes SVG; java.desktop holds Graphics2D and the colours.
  requires org.jfree.jfreechart;
  requires org.jfree.svg;
  requires java.desktop;

  opens dev.sett.kv.cli to
      info.picocli;
}
