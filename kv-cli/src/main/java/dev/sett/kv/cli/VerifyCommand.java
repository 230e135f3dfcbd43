package dev.sett.kv.cli;

import static dev.sett.kv.cli.TextTable.count;

import dev.sett.kv.Db;
import dev.sett.kv.Options;
import dev.sett.kv.VerifyReport;
import dev.sett.kv.VerifyReport.Kind;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sett verify}: checks every checksum of a closed database ({@link Db#verify(Options)})
 * and prints what it checked and found. Exit code {@value SettCli#EXIT_DAMAGE} when something is
 * damaged, so that scripts can tell damage from a check that could not run (1).
 */
@Command(
    name = "verify",
    header = "Check every checksum of every file of a database.",
    mixinStandardHelpOptions = true,
    description = "Reads every file of a closed database (MANIFEST, tables, WALs, value log,"
        + " DISCARD, BANNED) and checks every checksum, changing nothing. Prints the files,"
        + " records and bytes checked per kind, then each problem with its file and offset."
        + " Exits with 3 if anything is damaged. The database must not be open: an open one is"
        + " verified through its Db (db.verify()).")
final class VerifyCommand implements Callable<Integer> {

  @ParentCommand private SettCli root;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Database directory.")
  private Path dir;

  @Override
  public Integer call() {
    VerifyReport r = Db.verify(Options.builder(dir).build());
    PrintStream out = root.out();
    out.println("database " + r.dbId() + " in " + dir);
    TextTable t = new TextTable("kind", "files", "records", "bytes");
    for (Kind k : Kind.values()) {
      long files = r.fileCounts().getOrDefault(k, 0L);
      if (files > 0) {
        t.row(k.name(), count(files), count(r.recordCounts().get(k)),
            count(r.byteCounts().get(k)));
      }
    }
    t.print(out);
    for (String s : r.skipped()) {
      out.println("skipped: " + s);
    }
    if (r.ok()) {
      out.println("OK: no problems found");
      return 0;
    }
    out.println(r.problems().size() + " problem(s):");
    for (VerifyReport.Problem p : r.problems()) {
      out.println("  " + p);
    }
    return SettCli.EXIT_DAMAGE;
  }
}
