package dev.sett.kv.table;

import dev.sett.kv.Compression;
import dev.sett.kv.internal.Keys;
import dev.sett.kv.io.FileHeader;
import dev.sett.kv.io.WritableFile;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.spi.TableBuilder;
import dev.sett.kv.spi.TableSettings;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes one {@code sst-v1} table (layout in {@link SstV1Format}). Each data block is sealed and
 * appended as soon as the next entry would take it past the block size, so the builder holds one
 * block, the index and 8 bytes per distinct key (for the bloom filter) in memory. Buffers are
 * reused, so adding an entry allocates nothing in the steady state besides what growing them
 * takes.
 *
 * <p>Single-threaded. After an I/O error the builder refuses further calls; the caller deletes
 * the file.
 */
final class SstBuilder implements TableBuilder {
  /** The most bytes an entry's key and value may have together. */
  static final int MAX_ENTRY = 1 << 30;

  private final WritableFile out;
  private final int blockSize;
  private final Compression compression;
  /** Keeps its hash table from one block to the next (see {@link Lz4Compressor}). */
  private final Lz4Compressor lz4 = new Lz4Compressor();
  private final DataBlockBuilder block;
  private final BlockIndexBuilder index = new BlockIndexBuilder();
  private final BloomFilterBuilder bloom; // null: no filter
  private final GrowableBytes unit;

  private long position;
  private long entryCount;
  private long dataBytes;
  private long maxVersion;
  private byte[] smallestKey;
  private byte[] lastKey = new byte[64];
  private int lastKeyLength;
  private long lastVersion;
  private boolean finished;
  private boolean failed;

  SstBuilder(WritableFile out, TableSettings settings) throws IOException {
    this.out = Objects.requireNonNull(out, "out");
    Objects.requireNonNull(settings, "settings");
    if (out.size() != 0) {
      throw new IllegalArgumentException(
          out.name() + " holds " + out.size() + " bytes; a table starts in an empty file");
    }
    this.blockSize = settings.blockSize();
    this.compression = settings.compression();
    // Buffers start at about a block and grow with the largest entry; a huge block size in the
    // settings does not allocate up front.
    int initial = Math.min(blockSize, 1 << 20);
    this.block = new DataBlockBuilder(initial);
    this.unit = new GrowableBytes(initial + initial / 2);
    this.bloom = settings.bloomFalsePositive() > 0
        ? new BloomFilterBuilder(settings.bloomFalsePositive())
        : null;
    byte[] header = new FileHeader(SstV1Format.MAGIC, SstV1Format.NAME, SstV1Format.VERSION,
        settings.dbId(), settings.fileId()).encode();
    write(header, header.length);
  }

  @Override
  public void add(byte[] key, StoredValue value) throws IOException {
    checkWritable();
    Keys.check(key);
    Objects.requireNonNull(value, "value");
    byte[] v = Objects.requireNonNull(value.value(), "value.value()");
    if ((long) key.length + v.length > MAX_ENTRY) {
      throw new IllegalArgumentException("entry of " + key.length + " + " + v.length
          + " bytes exceeds the table limit of " + MAX_ENTRY);
    }
    long version = value.version();
    boolean newKey = true;
    if (entryCount > 0) {
      int c = Arrays.compareUnsigned(lastKey, 0, lastKeyLength, key, 0, key.length);
      if (c > 0 || (c == 0 && Long.compareUnsigned(version, lastVersion) >= 0)) {
        throw new IllegalArgumentException((c == 0 && version == lastVersion ? "duplicate "
            : "out of order ") + describe(key, key.length, version) + " after "
            + describe(lastKey, lastKeyLength, lastVersion)
            + " (entries go in internal order: key ascending, version descending)");
      }
      newKey = c != 0;
    } else {
      smallestKey = key.clone();
    }
    if (block.count() > 0 && block.finishedSizeWith(key, value) > blockSize) {
      flushBlock();
    }
    block.add(key, value);
    if (newKey) {
      if (bloom != null) {
        bloom.add(XxHash64.hash(key));
      }
      if (lastKey.length < key.length) {
        lastKey = new byte[Math.max(key.length, lastKey.length * 2)];
      }
      System.arraycopy(key, 0, lastKey, 0, key.length);
      lastKeyLength = key.length;
    }
    lastVersion = version;
    if (Long.compareUnsigned(version, maxVersion) > 0) {
      maxVersion = version;
    }
    entryCount++;
  }

  @Override
  public long estimatedSize() {
    long size = position;
    if (block.count() > 0) {
      size += block.finishedSize() + BlockCodec.TRAILER;
    }
    size += index.finishedSizeWithOneMore(block.count() > 0 ? block.baseKeyLength() : 0)
        + BlockCodec.TRAILER;
    if (bloom != null) {
      size += bloom.encodedLength() + BlockCodec.TRAILER;
    }
    int keys = smallestKey == null ? 0 : smallestKey.length + lastKeyLength;
    return size + TableMeta.FIXED + 6 + keys + TableMeta.TRAILER;
  }

  @Override
  public void includeVersion(long version) {
    if (Long.compareUnsigned(version, maxVersion) > 0) {
      maxVersion = version;
    }
  }

  @Override
  public long entryCount() {
    return entryCount;
  }

  @Override
  public long finish() throws IOException {
    checkWritable();
    if (entryCount == 0) {
      throw new IllegalStateException("no entry was added: a table holds at least one");
    }
    if (block.count() > 0) {
      flushBlock();
    }
    long indexOffset = position;
    int indexRaw = index.finish();
    unit.clear();
    int indexLength = BlockCodec.seal(index.array(), indexRaw, Compression.NONE, null, unit);
    write(unit.array(), indexLength);

    long bloomOffset = position;
    int bloomLength = 0;
    if (bloom != null) {
      GrowableBytes filter = new GrowableBytes(bloom.encodedLength());
      bloom.encode(filter);
      unit.clear();
      bloomLength = BlockCodec.seal(filter.array(), filter.size(), Compression.NONE, null, unit);
      write(unit.array(), bloomLength);
    }

    TableMeta meta = new TableMeta(indexOffset, indexLength, bloomOffset, bloomLength,
        index.count(), entryCount, maxVersion, compression, dataBytes, smallestKey,
        Arrays.copyOf(lastKey, lastKeyLength));
    unit.clear();
    meta.encode(unit, SstV1Format.MAGIC);
    write(unit.array(), unit.size());
    finished = true;
    return position;
  }

  private void flushBlock() throws IOException {
    int rawLength = block.finish();
    unit.clear();
    int unitLength = BlockCodec.seal(block.array(), rawLength, compression, lz4, unit);
    long offset = position;
    write(unit.array(), unitLength);
    index.add(offset, unitLength, block.baseKey(), block.baseKeyLength(), block.baseVersion());
    dataBytes += rawLength;
    block.reset();
  }

  private void write(byte[] b, int len) throws IOException {
    try {
      out.write(b, 0, len);
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
    position += len;
  }

  private void checkWritable() {
    if (failed) {
      throw new IllegalStateException("an earlier write to " + out.name() + " failed");
    }
    if (finished) {
      throw new IllegalStateException(out.name() + " is already finished");
    }
  }

  private static String describe(byte[] key, int length, long version) {
    return Keys.describe(key, length) + "@" + Long.toUnsignedString(version);
  }
}
