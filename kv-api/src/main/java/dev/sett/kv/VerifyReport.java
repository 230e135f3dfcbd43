package dev.sett.kv;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Db#verify()} or {@link Db#verify(Options)} found: every file it checked, every
 * problem with the file and offset where it starts, and the files it had to skip. Damage is
 * reported here, never thrown: one bad file does not stop the others from being checked.
 *
 * @param dbId the database's 16-byte id in hex, from the MANIFEST header ({@code null} if the
 *     MANIFEST could not be read)
 * @param walFlushedThrough the highest WAL id the MANIFEST records as fully in tables
 * @param files every file checked, in the order checked (MANIFEST, tables by level, WALs, value
 *     log files, {@code DISCARD}, {@code BANNED})
 * @param problems what failed a check; empty when everything checked out
 * @param skipped files that could not be checked and why (for example a value log file or WAL
 *     that garbage collection or a flush deleted while an open database was being verified, a
 *     table the MANIFEST does not list, or the files of a provider that cannot check them)
 */
public record VerifyReport(String dbId, long walFlushedThrough, List<FileCheck> files,
    List<Problem> problems, List<String> skipped) {

  /** Copies the lists. */
  public VerifyReport {
    files = List.copyOf(files);
    problems = List.copyOf(problems);
    skipped = List.copyOf(skipped);
  }

  /** The kinds of file a database directory holds. */
  public enum Kind {
    /** The {@code MANIFEST}: the list of tables. */
    MANIFEST,
    /** An SSTable, {@code NNNNNN.sst}. */
    TABLE,
    /** A memtable's write-ahead log, {@code NNNNNN.mem}. */
    WAL,
    /** A value log file, {@code NNNNNN.vlog}. */
    VALUE_LOG,
    /** The value log discard statistics, {@code DISCARD}. */
    DISCARD,
    /** The banned namespaces, {@code BANNED}. */
    BANNED
  }

  /**
   * One file that was checked.
   *
   * @param kind what the file is
   * @param file its name in the directory
   * @param format the name of the format the file is written in (checked against its header)
   * @param level the table's level, -1 for files other than tables
   * @param bytes the file's length when it was checked
   * @param records the units whose checksums were checked: entries of a table, records of a WAL,
   *     value log or MANIFEST, entries of {@code DISCARD} or {@code BANNED}; 0 if the file
   *     failed before any
   * @param maxVersion the newest version a table holds, -1 for other files
   */
  public record FileCheck(Kind kind, String file, String format, int level, long bytes,
      long records, long maxVersion) {}

  /**
   * A failed check.
   *
   * @param kind what the file is
   * @param file its name
   * @param offset where the damaged unit (header, record, block) starts, or -1 if the problem is
   *     not at a place in the file (a table the MANIFEST lists is missing)
   * @param detail what failed
   */
  public record Problem(Kind kind, String file, long offset, String detail) {
    @Override
    public String toString() {
      return file + (offset >= 0 ? " at offset " + offset : "") + ": " + detail;
    }
  }

  /**
   * Whether every check passed.
   *
   * @return {@code true} when there is no problem
   */
  public boolean ok() {
    return problems.isEmpty();
  }

  /**
   * Files checked per kind.
   *
   * @return the count for each kind present
   */
  public Map<Kind, Long> fileCounts() {
    Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    for (FileCheck f : files) {
      counts.merge(f.kind(), 1L, Long::sum);
    }
    return counts;
  }

  /**
   * Bytes checked per kind.
   *
   * @return the sum of the file lengths for each kind present
   */
  public Map<Kind, Long> byteCounts() {
    Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    for (FileCheck f : files) {
      counts.merge(f.kind(), f.bytes(), Long::sum);
    }
    return counts;
  }

  /**
   * Records checked per kind.
   *
   * @return the sum of {@link FileCheck#records()} for each kind present
   */
  public Map<Kind, Long> recordCounts() {
    Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    for (FileCheck f : files) {
      counts.merge(f.kind(), f.records(), Long::sum);
    }
    return counts;
  }
}
