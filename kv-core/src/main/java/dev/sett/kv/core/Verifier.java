package dev.sett.kv.core;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.DirectoryLockedException;
import dev.sett.kv.Options;
import dev.sett.kv.StorageException;
import dev.sett.kv.UnsupportedFormatException;
import dev.sett.kv.VerifyReport;
import dev.sett.kv.VerifyReport.FileCheck;
import dev.sett.kv.VerifyReport.Kind;
import dev.sett.kv.VerifyReport.Problem;
import dev.sett.kv.internal.Registries;
import dev.sett.kv.io.NioStorage;
import dev.sett.kv.io.ReadOnlyStorage;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.Storage;
import dev.sett.kv.io.StorageLock;
import dev.sett.kv.levels.DiscardStats;
import dev.sett.kv.levels.LevelsController;
import dev.sett.kv.levels.Manifest;
import dev.sett.kv.levels.TableFiles;
import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.Table;
import dev.sett.kv.spi.TableContext;
import dev.sett.kv.spi.TableFormat;
import dev.sett.kv.spi.ValueLog;
import dev.sett.kv.spi.ValueLogFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Checks every checksum of every file of a database and collects what it finds into a {@link
 * VerifyReport} (behind {@code Db.verify}). Each file kind is checked by its own format's reader
 * (the MANIFEST replay, {@link Table#verify}, {@link WalReplayer}, the value log format, the
 * {@code DISCARD} and {@code BANNED} readers): there is no second parser here, only the walk over
 * the directory and the bookkeeping. A file that fails is reported and the walk goes on.
 *
 * <p>Concurrency notes. A closed database: the verifier holds the directory lock against writers
 * (shared with read-only opens, which change nothing) and reads through a {@link
 * ReadOnlyStorage}, so nothing writes. An open database ({@link #verifyOpen}): the verifier is one
 * more reader beside the engine's threads and never writes.
 *
 * <ul>
 *   <li>MANIFEST: read under the {@link Manifest}'s monitor ({@link Manifest#reread}), so no
 *       append or rewrite is half done; flushes and compactions wait for that read only.
 *   <li>Tables: pinned by a {@link LevelsController.Snapshot} for the whole check, so compaction
 *       may make them obsolete but their files stay until the check lets go.
 *   <li>WALs: a flush may delete a sealed one between listing and reading: skipped, not damage.
 *       The newest one is being appended to: an incomplete last record or transaction is the
 *       write in flight, not damage.
 *   <li>Value log: a sealed file never changes, but garbage collection may delete it: skipped.
 *       The file being written is read through {@link ValueLog#scan}, up to what was flushed.
 *   <li>{@code DISCARD} and {@code BANNED} are replaced whole by a rename: a read sees the old
 *       file or the new one.
 * </ul>
 *
 * <p>Not thread-safe itself: one verifier per check.
 */
final class Verifier {
  /**
   * Tables opened for a check read past the caches: the {@code none} provider's cache keeps
   * nothing.
   */
  private static final BlockCache NO_CACHE = Registries.blockCaches().select("none").create(0);

  private final Storage storage;
  private final boolean open;
  private byte[] dbId;
  private final List<FileCheck> files = new ArrayList<>();
  private final List<Problem> problems = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();

  private Verifier(Storage storage, boolean open) {
    this.storage = storage;
    this.open = open;
  }

  // ------------------------------------------------------------------------- entry points

  /**
   * Checks a database that is not open, under its directory lock, changing nothing.
   *
   * @param options names the directory (or storage) and the value log format
   * @return the report
   * @throws DirectoryLockedException if a {@code Db} has the directory open
   * @throws StorageException if there is no database there
   */
  static VerifyReport verifyClosed(Options options) {
    if (options.storage() == null && options.isInMemory()) {
      throw new IllegalArgumentException("an in-memory database has no files to verify once"
          + " closed; call verify() on the open Db");
    }
    if (options.storage() == null && !Files.isDirectory(options.dir())) {
      throw new StorageException(String.valueOf(options.dir()), "no database to verify: the"
          + " directory does not exist", null);
    }
    try {
      Storage storage = options.storage() != null ? options.storage()
          : new NioStorage(options.dir());
      if (!Manifest.exists(storage)) {
        throw new StorageException(Manifest.FILE_NAME, "no database to verify in "
            + storage.describe() + ": it has no MANIFEST", null);
      }
      StorageLock lock;
      try {
        lock = lockAgainstWriters(storage);
      } catch (DirectoryLockedException e) {
        DirectoryLockedException told = new DirectoryLockedException(
            e.file().orElse(FileNames.LOCK), "cannot verify " + storage.describe() + ": a Db has"
                + " it open for writing, in this process or another; call verify() on that Db");
        told.addSuppressed(e);
        throw told;
      }
      // Every read goes through a read-only view: the check cannot change a byte by mistake.
      Storage readOnly = new ReadOnlyStorage(storage);
      try (lock) {
        ValueLogFormat vlog = options.valueLogFormatProvider() != null
            ? options.valueLogFormatProvider()
            : Registries.valueLogFormats().select(options.valueLogFormat());
        TableFormat configured = options.tableFormatProvider() != null
            ? options.tableFormatProvider()
            : Registries.tableFormats().select(options.tableFormat());
        return new Verifier(readOnly, false).closed(configured, vlog);
      }
    } catch (IOException e) {
      throw new StorageException(null, "cannot verify " + options.dir() + ": " + e, e);
    }
  }

  /**
   * Keeps writers out for the check: the shared lock of read-only opens (so read-only {@code Db}s
   * may stay open beside it) when the storage has shared locks and the lock file exists (every
   * database that was ever opened for writing has one), else the exclusive lock.
   */
  private static StorageLock lockAgainstWriters(Storage storage) throws IOException {
    try {
      if (storage.exists(FileNames.LOCK)) {
        return storage.lockShared(FileNames.LOCK);
      }
    } catch (UnsupportedOperationException e) {
      // This storage has no shared locks: take the exclusive one below.
    }
    return storage.lock(FileNames.LOCK);
  }

  /**
   * Checks an open database while it runs (see the class notes).
   *
   * @param storage its storage
   * @param manifest its MANIFEST
   * @param levels its tables
   * @param tableFormat the name of the format new tables are written in
   * @param log its value log
   * @param vlogFormat the value log's format
   * @return the report
   */
  static VerifyReport verifyOpen(Storage storage, Manifest manifest, LevelsController levels,
      String tableFormat, ValueLog log, ValueLogFormat vlogFormat) {
    Verifier v = new Verifier(storage, true);
    Manifest.Contents m = v.manifest(manifest::reread);
    v.dbId = manifest.dbId();
    try (LevelsController.Snapshot pinned = levels.snapshot()) {
      for (LevelsController.PinnedTable t : pinned.tables()) {
        Manifest.TableEntry e = m == null ? null : m.state().tables().get(t.table().id());
        // A table flushed after the MANIFEST was read is not in it: the configured format,
        // which writes every new table, wrote it.
        v.table(t.level(), t.fileName(), e != null ? e.format() : tableFormat, t.table());
      }
    }
    v.wals(m == null ? manifest.state().walFlushedThrough() : m.state().walFlushedThrough());
    v.openValueLog(log, vlogFormat);
    v.discardAndBanned();
    return v.report(m == null ? manifest.state().walFlushedThrough()
        : m.state().walFlushedThrough());
  }

  // ---------------------------------------------------------------------------- the walk

  private VerifyReport closed(TableFormat configured, ValueLogFormat vlog) throws IOException {
    Function<String, TableFormat> formats = SettDb.tableFormats(configured);
    Manifest.Contents m = manifest(() -> Manifest.read(storage));
    long flushedThrough = 0;
    if (m != null) {
      dbId = m.header().dbId();
      flushedThrough = m.state().walFlushedThrough();
      closedTables(m, formats);
    } else {
      try {
        dbId = Manifest.readHeader(storage).dbId();
      } catch (IOException | RuntimeException e) {
        // Without the database id no other header can be checked.
        skipped.add("every other file: the MANIFEST header, which holds the database id, is"
            + " unreadable");
        return report(0);
      }
      // A damaged record: which tables are live and at what level is unknown, but every table
      // file can still be checked (with the configured format; level -1), and every WAL.
      skipped.add("the level of each table and which WALs are flushed: the MANIFEST is damaged");
      for (String name : storage.list()) {
        long id = TableFiles.id(name);
        if (id >= 0) {
          closedTable(-1, id, configured.name(), formats);
        }
      }
    }
    wals(flushedThrough);
    List<String> logFiles;
    try {
      logFiles = vlog.fileNames(storage);
    } catch (UnsupportedOperationException e) {
      skipped.add("the value log: " + e.getMessage());
      logFiles = List.of();
    }
    for (int i = 0; i < logFiles.size(); i++) {
      String name = logFiles.get(i);
      boolean newest = i == logFiles.size() - 1;
      check(Kind.VALUE_LOG, name, vlog.name(), () -> vlog.verifyFile(storage, dbId, name, newest));
    }
    discardAndBanned();
    return report(flushedThrough);
  }

  /** What reading a file found: its units checked, its length, a table's newest version. */
  private record Count(long records, long bytes, long maxVersion) {
    Count(long records, long bytes) {
      this(records, bytes, -1);
    }
  }

  /** A read of a file that may fail with an I/O error (or a corruption). */
  @FunctionalInterface
  private interface IoRead<T> {
    T read() throws IOException;
  }

  private Manifest.Contents manifest(IoRead<Manifest.Contents> read) {
    Manifest.Contents[] out = {null};
    checkFile(Kind.MANIFEST, Manifest.FILE_NAME, Manifest.FORMAT, -1, () -> {
      Manifest.Contents c = read.read();
      out[0] = c;
      if (c.tornTail()) {
        problems.add(new Problem(Kind.MANIFEST, Manifest.FILE_NAME, c.validEnd(), "the last"
            + " record is cut short or fails its checksum and no valid record follows: a torn"
            + " append that the next open drops (" + (c.size() - c.validEnd()) + " bytes)"));
      }
      return new Count(c.records(), c.size());
    });
    return out[0];
  }

  private void closedTables(Manifest.Contents m, Function<String, TableFormat> formats)
      throws IOException {
    // Level by level, then by id, as a reader of the report expects.
    Map<Integer, Map<Long, String>> byLevel = new TreeMap<>();
    m.state().tables().forEach((id, e) ->
        byLevel.computeIfAbsent(e.level(), l -> new TreeMap<>()).put(id, e.format()));
    for (Map.Entry<Integer, Map<Long, String>> level : byLevel.entrySet()) {
      for (Map.Entry<Long, String> t : level.getValue().entrySet()) {
        closedTable(level.getKey(), t.getKey(), t.getValue(), formats);
      }
    }
    for (String name : storage.list()) {
      long id = TableFiles.id(name);
      if (id >= 0 && !m.state().tables().containsKey(id)) {
        skipped.add(name + ": not listed in the MANIFEST (left by an interrupted flush or"
            + " compaction; the next open deletes it)");
      }
    }
  }

  private void closedTable(int level, long id, String format,
      Function<String, TableFormat> formats) {
    String name = TableFiles.name(id);
    Table table;
    try {
      ReadableFile in = storage.openRead(name);
      try {
        table = formats.apply(format).open(in, new TableContext(dbId, id, NO_CACHE, NO_CACHE));
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    } catch (NoSuchFileException e) {
      problems.add(new Problem(Kind.TABLE, name, -1, "the MANIFEST lists table " + id
          + " at level " + level + " but its file is missing"));
      return;
    } catch (IOException | RuntimeException e) {
      failed(Kind.TABLE, name, e);
      return;
    }
    try (table) {
      table(level, name, format, table);
    } catch (Exception e) {
      skipped.add(name + ": cannot close it after the check: " + e);
    }
  }

  private void table(int level, String name, String format, Table table) {
    checkFile(Kind.TABLE, name, format, level,
        () -> new Count(table.verify(), table.sizeBytes(), table.maxVersion()));
  }

  /** The WALs not yet in tables, oldest first; the newest may be being written. */
  private void wals(long flushedThrough) {
    List<Long> ids = new ArrayList<>();
    try {
      for (String n : storage.list()) {
        long id = FileNames.walId(n);
        if (id > flushedThrough) {
          ids.add(id);
        } else if (id >= 0) {
          skipped.add(n + ": the MANIFEST records it as flushed to tables (deleted unread at"
              + " the next open)");
        }
      }
    } catch (IOException e) {
      problems.add(new Problem(Kind.WAL, storage.describe(), -1, "cannot list the WALs: " + e));
      return;
    }
    ids.sort(null);
    for (int i = 0; i < ids.size(); i++) {
      long id = ids.get(i);
      boolean newest = i == ids.size() - 1;
      checkFile(Kind.WAL, FileNames.wal(id), WalFormat.FORMAT, -1, () -> {
        WalReplayer.Result r = WalReplayer.replay(storage, id, dbId, newest,
            (key, version, meta, userMeta, expiresAt, value) -> { });
        if (r.headerTorn() && !open) {
          problems.add(new Problem(Kind.WAL, FileNames.wal(id), 0, "the newest WAL is too short"
              + " for its header: a crash while it was created (the next open removes it)"));
        } else if (r.tornTail() && !open) {
          // In an open database the tail of the newest WAL is the write in flight.
          problems.add(new Problem(Kind.WAL, FileNames.wal(id), r.validEnd(), r.tailProblem()
              + "; no later sync mark covers it, so it is a torn tail that the next open cuts ("
              + (r.fileSize() - r.validEnd()) + " bytes)"));
        }
        return new Count(r.transactions(), r.fileSize());
      });
    }
  }

  private void openValueLog(ValueLog log, ValueLogFormat format) {
    long active = log.activeFileId();
    for (long id : log.fileIds()) {
      String name = log.fileName(id);
      if (id != active) {
        // Sealed: it never changes, so it can be checked as a closed file, header included.
        check(Kind.VALUE_LOG, name, format.name(),
            () -> format.verifyFile(storage, dbId, name, false));
        continue;
      }
      // Being written: only what was flushed is readable, and the log knows where that ends.
      checkFile(Kind.VALUE_LOG, name, format.name(), -1, () -> {
        long size = log.fileSize(id);
        long[] records = {0};
        log.scan(id, r -> {
          records[0]++;
          return true;
        });
        return new Count(records[0], size);
      });
    }
  }

  private void discardAndBanned() {
    try {
      if (storage.exists(DiscardStats.FILE_NAME)) {
        check(Kind.DISCARD, DiscardStats.FILE_NAME, DiscardStats.FORMAT,
            () -> DiscardStats.verify(storage, dbId));
      }
      if (storage.exists(BannedNamespaces.FILE_NAME)) {
        check(Kind.BANNED, BannedNamespaces.FILE_NAME, BannedNamespaces.FORMAT,
            () -> BannedNamespaces.verify(storage, dbId));
      }
    } catch (IOException e) {
      problems.add(new Problem(Kind.DISCARD, storage.describe(), -1, "cannot list: " + e));
    }
  }

  // ---------------------------------------------------------------------------- bookkeeping

  /** {@link #checkFile} for a check that counts records; the file's length is looked up. */
  private void check(Kind kind, String name, String format, IoRead<Long> check) {
    checkFile(kind, name, format, -1, () -> {
      long records = check.read();
      try (ReadableFile in = storage.openRead(name)) {
        return new Count(records, in.size());
      }
    });
  }

  /**
   * Runs one file's check: a clean pass is listed in the files, damage is a problem, a file
   * that vanished in an open database is skipped. Nothing thrown here stops the walk, except
   * an {@link Error}.
   */
  private void checkFile(Kind kind, String name, String format, int level,
      IoRead<Count> reader) {
    try {
      Count c = reader.read();
      files.add(new FileCheck(kind, name, format, level, c.bytes(), c.records(),
          c.maxVersion()));
    } catch (NoSuchFileException e) {
      if (open) {
        skipped.add(name + ": deleted while the check ran (flush, compaction or garbage"
            + " collection)");
      } else {
        problems.add(new Problem(kind, name, -1, "the file disappeared while it was checked,"
            + " although the directory was locked"));
      }
    } catch (UnsupportedOperationException e) {
      skipped.add(name + ": " + e.getMessage()); // a provider that cannot check its files
    } catch (IOException | RuntimeException e) {
      failed(kind, name, e);
    }
  }

  private void failed(Kind kind, String name, Exception e) {
    if (e instanceof CorruptionException c) {
      problems.add(new Problem(kind, c.file().orElse(name), c.offset(), c.detail()));
    } else if (e instanceof UnsupportedFormatException) {
      problems.add(new Problem(kind, name, 0, "this build cannot read it: " + e.getMessage()));
    } else {
      problems.add(new Problem(kind, name, -1, "cannot be read: " + e));
    }
  }

  private VerifyReport report(long walFlushedThrough) {
    return new VerifyReport(dbId == null ? null : HexFormat.of().formatHex(dbId),
        walFlushedThrough, files, problems, skipped);
  }
}
