package dev.sett.kv.core;

import dev.sett.kv.Entry;
import dev.sett.kv.StorageException;
import dev.sett.kv.StreamWriter;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.levels.BulkTables;
import dev.sett.kv.spi.EntryMeta;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.spi.ValueLog;
import dev.sett.kv.spi.ValuePointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link StreamWriter}: checks the order of what it is given, appends separated values to the
 * value log as the write leader, in groups, and feeds every entry, in order, to {@link
 * BulkTables}, which builds last-level tables to the side; {@link #flush} syncs the value log,
 * installs the tables and publishes their newest version as applied.
 *
 * <p>Concurrency notes. The owner calls {@code write}, {@code delete} and {@code flush}; the
 * database's close may call {@link #cancel} from another thread. Every public method is
 * synchronized, so a cancel waits for a write in progress and the tables are never touched by
 * two threads. While it is open the database refuses commits ({@link SettDb#checkNoBulkLoad}),
 * so the value log's appends (made under the write leader's lock) and the final install meet no
 * other writer.
 */
final class TableStreamWriter implements StreamWriter {
  /** Entries, and value bytes, gathered before their values go to the value log. */
  private static final int GROUP_ENTRIES = 1000;
  private static final long GROUP_BYTES = 4L << 20;
  private static final byte[] NO_VALUE = new byte[0];

  private record Pending(byte[] key, long version, byte meta, byte userMeta, long expiresAt,
      byte[] value, boolean separate) {}

  private final SettDb db;
  private final BulkTables tables;
  private final List<Pending> pending = new ArrayList<>();
  private long pendingBytes;
  private boolean anySeparated;
  private byte[] lastKey;
  private long lastVersion;
  private long written;
  private long maxVersion;
  private String ended; // why it can no longer be written to, or null

  TableStreamWriter(SettDb db, BulkTables tables) {
    this.db = db;
    this.tables = tables;
  }

  @Override
  public synchronized void write(Entry entry, long version) {
    Objects.requireNonNull(entry, "entry");
    add(entry.key(), version, (byte) 0, entry.userMeta(),
        Transaction.expiresAt(entry, db.nowSeconds()), entry.value());
  }

  @Override
  public synchronized void delete(byte[] key, long version) {
    add(key, version, EntryMeta.DELETE, (byte) 0, 0, NO_VALUE);
  }

  /**
   * Adds one version with its meta ({@link EntryMeta#DELETE}, {@link
   * EntryMeta#DISCARD_EARLIER_VERSIONS}, {@link EntryMeta#MERGE}): what a load writes.
   */
  synchronized void add(byte[] key, long version, byte meta, byte userMeta, long expiresAt,
      byte[] value) {
    checkActive();
    Keys.check(key);
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1, got " + version);
    }
    if (expiresAt < 0) {
      throw new IllegalArgumentException("expiresAt must be at least 0, got " + expiresAt);
    }
    if (lastKey != null) {
      int c = Keys.compare(lastKey, key);
      if (c > 0 || (c == 0 && version >= lastVersion)) {
        throw new IllegalArgumentException("out of order: " + Keys.describe(key) + "@" + version
            + " after " + Keys.describe(lastKey) + "@" + lastVersion + " (keys ascending, each"
            + " key's versions newest first)");
      }
    }
    SeparatedValues values = db.values();
    boolean deletion = (meta & EntryMeta.DELETE) != 0;
    boolean separate = !deletion && (values.separate(key.length, value.length, meta)
        || value.length > db.options().maxValueSize());
    if (separate && value.length > values.maxSeparatedValue()) {
      throw new IllegalArgumentException("the value of " + Keys.describe(key) + "@" + version
          + " has " + value.length + " bytes, more than a value log file holds ("
          + values.maxSeparatedValue() + ")");
    }
    pending.add(new Pending(key, version, meta, userMeta, expiresAt, value, separate));
    pendingBytes += value.length;
    anySeparated |= separate;
    lastKey = key;
    lastVersion = version;
    written++;
    maxVersion = Math.max(maxVersion, version);
    if (pending.size() >= GROUP_ENTRIES || pendingBytes >= GROUP_BYTES) {
      drain();
    }
  }

  /** Puts the pending entries into the tables, their separated values into the value log. */
  private void drain() {
    if (pending.isEmpty()) {
      return;
    }
    ValuePointer[] pointers = new ValuePointer[pending.size()];
    ValueLog log = db.values().log();
    if (anySeparated) {
      db.pipeline().leadWritable(null, "cannot write the value log for a stream writer", () -> {
        for (int i = 0; i < pending.size(); i++) {
          Pending p = pending.get(i);
          if (p.separate()) {
            pointers[i] = log.add(p.key(), p.version(), p.meta(), p.userMeta(), p.expiresAt(),
                p.value());
          }
        }
        log.flush(false);
      });
    }
    try {
      for (int i = 0; i < pending.size(); i++) {
        Pending p = pending.get(i);
        StoredValue sv = p.separate()
            ? new StoredValue(p.version(), (byte) (p.meta() | EntryMeta.VALUE_POINTER),
                p.userMeta(), p.expiresAt(), pointers[i].encode())
            : new StoredValue(p.version(), p.meta(), p.userMeta(), p.expiresAt(), p.value());
        tables.add(p.key(), sv);
      }
    } catch (IOException e) {
      end("a table could not be written");
      throw new StorageException(null, "the stream writer cannot write a table: " + e, e);
    }
    pending.clear();
    pendingBytes = 0;
    anySeparated = false;
  }

  @Override
  public synchronized long flush() {
    checkActive();
    try {
      boolean separated = anySeparated;
      drain();
      if (separated || written > 0) {
        db.pipeline().leadWritable(null, "cannot sync the value log for a stream writer",
            () -> db.values().log().flush(true)); // before any table points at it durably
      }
      db.checkStillEmpty();
      tables.install();
      db.oracle().advanceAppliedTo(maxVersion);
      ended = "it was flushed";
      return written;
    } catch (IOException e) {
      end("its flush failed");
      throw new StorageException(null, "the stream writer cannot install its tables: " + e, e);
    } catch (RuntimeException e) {
      end("its flush failed");
      throw e;
    } finally {
      db.streamWriterEnded(this);
    }
  }

  @Override
  public synchronized void cancel() {
    if (ended == null) {
      end("it was cancelled");
    }
  }

  @Override
  public synchronized void close() {
    cancel();
  }

  /** Ends the writer: the tables written are deleted unless installed, commits run again. */
  private void end(String why) {
    if (ended == null) {
      ended = why;
    }
    tables.close(); // deletes what was not installed
    pending.clear();
    db.streamWriterEnded(this);
  }

  private void checkActive() {
    if (ended != null) {
      throw new IllegalStateException("the stream writer cannot be written to: " + ended);
    }
  }
}
