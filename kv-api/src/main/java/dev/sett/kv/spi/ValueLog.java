package dev.sett.kv.spi;

import java.io.IOException;
import java.util.List;

/**
 * An open value log: append-only files of records, each holding one value with its key, version
 * and entry fields (WiscKey; Badger's {@code .vlog}). Values are appended in <em>groups</em>, one
 * per write of the write path: {@link #add} buffers records and hands out their pointers, {@link
 * #flush} writes the group to the current file in one write and makes the pointers valid.
 *
 * <p><b>Concurrency contract.</b> One writer: {@link #add}, {@link #flush}, {@link #sync} and
 * {@link #pendingEntries} are called by one thread at a time (the thread that leads the write
 * path), never concurrently with each other. Any number of readers: {@link #read}, {@link
 * #scan}, {@link #fileIds}, {@link #fileSize}, {@link #activeFileId}, {@link #fileName} and
 * {@link #deleteFile} may be called from any thread at any time, also while the writer appends and
 * rotates; a read of the file being appended is safe for every pointer whose group was flushed.
 * {@link #close} is called once, after every other call has returned.
 *
 * <p><b>Rotation.</b> A group never spans files. Before the first record of a group is placed,
 * the current file is sealed (synced and no longer written) and a new one with the next id is
 * created when the file already holds records and that record would make it pass the maximum
 * file size or the maximum number of entries; the rest of the group follows into the same file,
 * so a file can pass the limits by at most one group.
 *
 * <p><b>Durability.</b> Records are durable once a {@code flush(true)} or {@link #sync} covering
 * them has returned; a sealed file is always durable in full. After a crash, {@link
 * ValueLogFormat#open} keeps every synced record and cuts unsynced damage at the end of the newest
 * file; damage to synced records is a {@link dev.sett.kv.CorruptionException}.
 */
public interface ValueLog extends AutoCloseable {

  /**
   * One record as {@link #scan} reports it (the value itself is read with {@link #read}).
   *
   * @param key the user key
   * @param version the version (commit timestamp)
   * @param meta the entry's meta byte as given to {@link #add}
   * @param userMeta the user meta byte
   * @param expiresAt Unix seconds, 0 for never
   * @param pointer where the record is; {@link ValuePointer#valueSize()} is the value's length
   */
  record LogRecord(byte[] key, long version, byte meta, byte userMeta, long expiresAt,
      ValuePointer pointer) {}

  /** Receives the records of one file in order. */
  @FunctionalInterface
  interface RecordVisitor {
    /**
     * Called once per record, in file order.
     *
     * @param record the record
     * @return {@code true} to go on, {@code false} to stop the scan
     * @throws IOException to stop the scan with that error
     */
    boolean visit(LogRecord record) throws IOException;
  }

  /**
   * Buffers one record of the current group and returns its pointer. The pointer is valid (may be
   * read, and may be stored) once {@link #flush} has written the group. Writer thread only.
   *
   * @param key the user key, at most {@link dev.sett.kv.Options#MAX_KEY_SIZE} bytes
   * @param version the version (commit timestamp)
   * @param meta the meta byte of the entry (see {@link EntryMeta}); stored as given
   * @param userMeta the user meta byte
   * @param expiresAt Unix seconds, 0 for never (not negative)
   * @param value the value
   * @return where the record will be
   * @throws IllegalArgumentException if the key is too long, {@code expiresAt} negative, or the
   *     record cannot fit the file offsets (flush the group first)
   * @throws IllegalStateException if the log failed or is closed
   */
  ValuePointer add(byte[] key, long version, byte meta, byte userMeta, long expiresAt,
      byte[] value);

  /**
   * The number of records buffered by {@link #add} and not yet flushed. Writer thread only.
   *
   * @return records in the current group
   */
  int pendingEntries();

  /**
   * Writes the current group to the log with one write (rotating first if {@link #add} decided
   * so), makes its pointers readable, and fsyncs the file if asked. With an empty group, only the
   * fsync (if asked and needed). After a failed write the log refuses further writes: the
   * database must stop writing. Writer thread only.
   *
   * @param sync whether to fsync the file afterwards
   * @throws IOException if a write, sync or file creation fails
   */
  void flush(boolean sync) throws IOException;

  /**
   * Seals the file being written now if it holds records, as if it had reached its size limit
   * (synced, no longer written; the next group goes to a new file): garbage collection never
   * rewrites the file being written, so it seals one that is mostly garbage to be able to
   * collect it. Writer thread only, with no group pending. The default does nothing (the file is
   * sealed when full).
   *
   * @throws IOException if the sync or the new file's creation fails (the log then refuses
   *     further writes, as after a failed flush)
   */
  default void sealActiveFile() throws IOException {}

  /**
   * Fsyncs the records written so far. Writer thread only.
   *
   * @throws IOException if the sync fails
   */
  void sync() throws IOException;

  /**
   * Bytes of records this log has written to its files since it was opened; called by the writer.
   * With {@link #durableBytes()} it lets the write path sync the WAL in the background without
   * ever making a pointer durable before the value it points to.
   *
   * @return bytes; the default is 0
   */
  default long writtenBytes() {
    return 0;
  }

  /**
   * How many of {@link #writtenBytes()} are known durable (synced by {@link #sync}, a rotation, or
   * a background sync); called by the writer.
   *
   * @return bytes; the default, -1, means unknown, and the WAL is then never synced in the
   *     background (only where it must be, after this log's own sync)
   */
  default long durableBytes() {
    return -1;
  }

  /**
   * Reads the value a pointer designates, checking the record's checksum and that it matches the
   * pointer. Any thread.
   *
   * @param pointer a pointer returned by {@link #add} whose group was flushed
   * @return the value, a new array
   * @throws dev.sett.kv.CorruptionException naming file and offset if the file does not exist (or
   *     was deleted), the record lies beyond the file's end, fails its checksum or does not match
   *     the pointer
   * @throws IOException if the file cannot be read
   */
  byte[] read(ValuePointer pointer) throws IOException;

  /**
   * The ids of the files of the log, ascending; the last is the one being written.
   *
   * @return a snapshot of the ids
   */
  List<Long> fileIds();

  /**
   * The id of the file being written, which {@link #deleteFile} refuses.
   *
   * @return the id
   */
  long activeFileId();

  /**
   * A file's readable size: its length for a sealed file, the end of the last flushed group for
   * the file being written.
   *
   * @param fileId the file's id
   * @return bytes, the file header included
   * @throws java.nio.file.NoSuchFileException if there is no such file
   */
  long fileSize(long fileId) throws IOException;

  /**
   * The name of a file of this log, for messages and listings.
   *
   * @param fileId the id
   * @return the file name (whether or not it exists)
   */
  String fileName(long fileId);

  /**
   * Reads one file's records in order (for garbage collection and verification): every record
   * of a sealed file, and up to the last flushed group of the file being written. Each record's
   * checksum is checked. Any thread.
   *
   * @param fileId the file's id
   * @param visitor receives the records
   * @throws java.nio.file.NoSuchFileException if there is no such file
   * @throws dev.sett.kv.CorruptionException naming file and offset at the first bad record
   * @throws IOException if the file cannot be read, or as the visitor throws
   */
  void scan(long fileId, RecordVisitor visitor) throws IOException;

  /**
   * Removes a sealed file from the log and deletes it (once reads already under way on it have
   * finished). Later reads of pointers into it are {@link dev.sett.kv.CorruptionException}s.
   * Any thread; the caller makes sure no live pointer designates the file.
   *
   * @param fileId the file's id
   * @throws IllegalArgumentException if it is the file being written
   * @throws java.nio.file.NoSuchFileException if there is no such file
   * @throws IOException if the delete fails
   */
  void deleteFile(long fileId) throws IOException;

  /**
   * Flushes a pending group, syncs, and closes every file. Called once, after every reader and
   * the writer are done.
   *
   * @throws IOException if the final flush or sync or a close fails (all files are closed anyway)
   */
  @Override
  void close() throws IOException;
}
