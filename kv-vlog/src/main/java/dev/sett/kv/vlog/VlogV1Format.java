package dev.sett.kv.vlog;

import dev.sett.kv.Options;
import dev.sett.kv.io.Storage;
import dev.sett.kv.spi.ValueLog;
import dev.sett.kv.spi.ValueLogFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code vlog-v1} value log format (see {@code docs/formats/vlog.md}): files {@code
 * NNNNNN.vlog} with the common file header (magic "SETV"), then CRC32C-checked records each
 * holding one value with its key, version and entry fields. Stateless and thread-safe.
 */
public final class VlogV1Format implements ValueLogFormat {

  /** The provider name, recorded in every file's header: {@value}. */
  public static final String NAME = VlogRecords.FORMAT;
  /** The magic of value log files: ASCII "SETV". */
  public static final int MAGIC = VlogRecords.MAGIC;
  /** The format version this build writes and reads. */
  public static final int VERSION = VlogRecords.VERSION;

  /** Creates the format (called by {@link java.util.ServiceLoader}). */
  public VlogV1Format() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ValueLog open(Storage storage, byte[] dbId, long maxFileSize, int maxEntries)
      throws IOException {
    return open(storage, dbId, maxFileSize, maxEntries, Options.DEFAULT_BYTES_PER_SYNC);
  }

  @Override
  public ValueLog open(Storage storage, byte[] dbId, long maxFileSize, int maxEntries,
      long bytesPerSync) throws IOException {
    return FileValueLog.open(storage, dbId, maxFileSize, maxEntries, bytesPerSync);
  }

  @Override
  public long verifyFile(Storage storage, byte[] dbId, String fileName, boolean newest)
      throws IOException {
    return FileValueLog.verifyFile(storage, dbId, fileName, newest);
  }

  @Override
  public List<String> fileNames(Storage storage) throws IOException {
    List<String> names = new ArrayList<>();
    for (long id : FileValueLog.fileIds(storage)) {
      names.add(FileValueLog.name(id));
    }
    return names;
  }
}
