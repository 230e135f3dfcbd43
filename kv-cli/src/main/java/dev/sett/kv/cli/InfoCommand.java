package dev.sett.kv.cli;

import static dev.sett.kv.cli.TextTable.count;

import dev.sett.kv.Db;
import dev.sett.kv.Options;
import dev.sett.kv.VerifyReport;
import dev.sett.kv.VerifyReport.FileCheck;
import dev.sett.kv.VerifyReport.Kind;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sett info}: what a closed database holds on disk: its id, the levels and their tables,
 * the value log files, sizes, versions and the format of every file. It reads the files through
 * the same pass as {@code verify} (changing nothing), so it also says whether they check out.
 */
@Command(
    name = "info",
    header = "Show the levels, tables, value log files and formats of a database.",
    mixinStandardHelpOptions = true,
    description = "Prints what a closed database holds on disk: its id, the tables per level"
        + " (bytes, entries, newest version, format), the value log and WAL files, the other files"
        + " and their formats, and what the MANIFEST records. Reads every file, changing nothing;"
        + " ends with whether every checksum checked out (details: sett verify). Options such as"
        + " memTableSize or valueThreshold are chosen at each open and are not stored.")
final class InfoCommand implements Callable<Integer> {

  @ParentCommand private SettCli root;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Database directory.")
  private Path dir;

  @Override
  public Integer call() {
    VerifyReport r = Db.verify(Options.builder(dir).build());
    PrintStream out = root.out();
    TreeSet<String> formats = new TreeSet<>();
    r.files().forEach(f -> formats.add(f.format()));
    TextTable head = new TextTable("directory", dir.toString());
    head.row("database id", String.valueOf(r.dbId()));
    head.row("WALs flushed through", String.valueOf(r.walFlushedThrough()));
    head.row("formats", String.join(", ", formats));
    head.printLeft(out);

    List<FileCheck> tables = r.files().stream().filter(f -> f.kind() == Kind.TABLE).toList();
    Map<Integer, long[]> levels = new TreeMap<>(); // tables, bytes, entries, max version
    for (FileCheck f : tables) {
      long[] l = levels.computeIfAbsent(f.level(), k -> new long[4]);
      l[0]++;
      l[1] += f.bytes();
      l[2] += f.records();
      l[3] = Math.max(l[3], f.maxVersion());
    }
    out.println();
    TextTable lt = new TextTable("level", "tables", "bytes", "entries", "max version");
    levels.forEach((level, l) -> lt.row(level < 0 ? "?" : "L" + level, count(l[0]), count(l[1]),
        count(l[2]), count(l[3])));
    lt.print(out);

    out.println();
    TextTable ft = new TextTable("file", "kind", "level", "format", "bytes", "records",
        "max version");
    for (FileCheck f : r.files()) {
      ft.row(f.file(), f.kind().name(), f.level() < 0 ? "" : "L" + f.level(), f.format(),
          count(f.bytes()), count(f.records()), f.maxVersion() < 0 ? "" : count(f.maxVersion()));
    }
    ft.print(out);
    out.println();
    for (String s : r.skipped()) {
      out.println("skipped: " + s);
    }
    out.println(r.ok() ? "checksums: all OK"
        : "checksums: " + r.problems().size() + " problem(s); run sett verify --dir " + dir);
    // Say what a user might look for here and will not find, rather than guess it.
    out.println("not stored on disk: the options (memTableSize, valueThreshold, compression, ...)"
        + " are chosen at each open; a table's compression is recorded in its footer only");
    return 0;
  }
}
