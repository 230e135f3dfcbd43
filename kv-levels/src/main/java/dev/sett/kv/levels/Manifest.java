package dev.sett.kv.levels;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.UnsupportedFormatException;
import dev.sett.kv.io.FileHeader;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.Storage;
import dev.sett.kv.io.WritableFile;
import java.io.IOException;
import java.security.SecureRandom;

/**
 * The {@code MANIFEST} file: a {@link FileHeader} that fixes the database's random id, followed
 * (with the LSM-tree issue) by checksummed change records listing the tables of each level.
 *
 * <p>A new MANIFEST is written under {@value #TEMP_NAME}, synced, renamed into place and the
 * directory synced, so a crash leaves either no MANIFEST (and a temp file that the next open
 * deletes) or a complete one. Byte layout: {@code docs/formats/manifest.md}.
 */
public final class Manifest {
  /** The file name. */
  public static final String FILE_NAME = "MANIFEST";
  /** The name a new MANIFEST is written under before it is published. */
  public static final String TEMP_NAME = "MANIFEST-REWRITE";
  /** Magic of the MANIFEST file kind: ASCII "SETM". */
  public static final int MAGIC = 0x5345544D;
  /** The format name recorded in the header. */
  public static final String FORMAT = "manifest-v1";
  /** The format version this build writes. */
  public static final int VERSION_CURRENT = 1;

  private final FileHeader header;

  private Manifest(FileHeader header) {
    this.header = header;
  }

  /**
   * Whether {@code storage} holds a MANIFEST.
   *
   * @param storage the database directory
   * @return {@code true} if it exists
   * @throws IOException if the directory cannot be read
   */
  public static boolean exists(Storage storage) throws IOException {
    return storage.exists(FILE_NAME);
  }

  /**
   * Creates the MANIFEST of a new database with a fresh random id and publishes it durably.
   *
   * @param storage the database directory, without a MANIFEST
   * @return the manifest
   * @throws IOException if it cannot be written
   */
  public static Manifest create(Storage storage) throws IOException {
    byte[] dbId = new byte[FileHeader.DB_ID_LENGTH];
    new SecureRandom().nextBytes(dbId);
    FileHeader header = new FileHeader(MAGIC, FORMAT, VERSION_CURRENT, dbId, 0);
    storage.delete(TEMP_NAME);
    try (WritableFile out = storage.create(TEMP_NAME)) {
      byte[] h = header.encode();
      out.write(h, 0, h.length);
      out.sync();
    }
    storage.rename(TEMP_NAME, FILE_NAME);
    storage.syncDirectory();
    return new Manifest(header);
  }

  /**
   * Reads and checks an existing MANIFEST; removes a leftover temp file of an interrupted
   * creation.
   *
   * @param storage the database directory
   * @return the manifest
   * @throws CorruptionException if the header fails its checks
   * @throws UnsupportedFormatException if it was written by a newer format
   * @throws IOException if it cannot be read
   */
  public static Manifest open(Storage storage) throws IOException {
    storage.delete(TEMP_NAME);
    try (ReadableFile in = storage.openRead(FILE_NAME)) {
      FileHeader header = FileHeader.read(in, MAGIC, FORMAT, 1, VERSION_CURRENT);
      if (in.size() > header.length()) {
        throw new UnsupportedFormatException(FILE_NAME, "holds " + (in.size() - header.length())
            + " bytes of change records, which this build does not read yet");
      }
      return new Manifest(header);
    }
  }

  /**
   * The database's random id, recorded in the header of every file it writes.
   *
   * @return a copy of the 16-byte id
   */
  public byte[] dbId() {
    return header.dbId();
  }

  @Override
  public String toString() {
    return "Manifest[" + header + "]";
  }
}
