package dev.sett.kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code results.csv} and the result line a sweep's child hands to its parent. */
class ResultsCsvTest {

  @TempDir Path tmp;

  /**
   * A result whose every figure is distinct, so a column read from the wrong place shows, and
   * exact at its column's precision, so it reads back equal.
   */
  static PointResult sample(double scale) {
    return new PointResult(1000.5 * scale, 12.345, 2000.5 * scale, 24.5, 1.5, 99.5, 999.5,
        2.5, 20.5, 200.5, 1.0625 * scale, 1.25, 3.5, 288_000, 306_000, 360_000, 46,
        12_345_678, Double.NaN);
  }

  @Test
  void resultLine_roundTrips_withAnUnknownRssAsAnEmptyCell() {
    PointResult r = sample(1);
    String line = r.toLine();
    assertTrue(line.startsWith("sett-point-v1 load_ops_per_s=1000.5 load_mb_per_s=12.345 "),
        line);
    assertTrue(line.endsWith(" peak_heap_bytes=12345678 peak_rss_bytes="), line);
    assertEquals(r, PointResult.parse(line + "\n"));
  }

  @Test
  void resultLine_missingAColumnOrNotAResult_isRefused() {
    String line = sample(1).toLine();
    assertThrows(IllegalArgumentException.class,
        () -> PointResult.parse(line.replace(" space_amp=1.2500", "")));
    assertThrows(IllegalArgumentException.class, () -> PointResult.parse("sett bench 0.1"));
  }

  @Test
  void csv_hasTheHeaderWithUnitsThenOneRowPerPoint() throws IOException {
    SweepSpec spec = SweepSpec.parse("valueThreshold=64,1k");
    List<SweepPoint> points = List.of(
        new SweepPoint(spec.points().get(0), sample(1), 1_500_000_000L),
        new SweepPoint(spec.points().get(1), sample(2), 2_000_000_000L));
    Path file = tmp.resolve("results.csv");
    ResultsCsv.write(file, points);
    List<String> lines = Files.readAllLines(file);
    assertEquals(3, lines.size(), lines::toString);
    assertEquals("sweep_name,sweep_value,sweep_value_numeric,load_ops_per_s,load_mb_per_s,"
        + "read_ops_per_s,read_mb_per_s,put_p50_us,put_p99_us,put_p999_us,get_p50_us,"
        + "get_p99_us,get_p999_us,write_amp,space_amp,lsm_write_amp,user_bytes,"
        + "disk_bytes_written,disk_bytes,value_log_bytes,peak_heap_bytes,peak_rss_bytes,"
        + "point_seconds", lines.get(0));
    assertEquals("valueThreshold,64,64,1000.5,12.345,2000.5,24.500,1.5,99.5,999.5,2.5,20.5,"
        + "200.5,1.0625,1.2500,3.5000,288000,306000,360000,46,12345678,,1.5", lines.get(1));
    assertTrue(lines.get(2).startsWith("valueThreshold,1k,1024,2001.0,"), lines.get(2));
    for (String line : lines) {
      assertEquals(ResultsCsv.header().size(), line.split(",", -1).length, line);
    }
    assertTrue(Files.notExists(tmp.resolve("results.csv.tmp")), "no temporary file left");
  }

  @Test
  void categoricalValue_hasNoNumber() {
    SweepSpec spec = SweepSpec.parse("compaction=tiered");
    List<String> row = ResultsCsv.row(new SweepPoint(spec.points().get(0), sample(1), 0));
    assertEquals(List.of("compactionStrategy", "tiered", ""), row.subList(0, 3));
  }
}
