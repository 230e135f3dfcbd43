package dev.sett.kv.table;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.io.FileHeader;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.spi.BlockCache;
import dev.sett.kv.spi.EntryIterator;
import dev.sett.kv.spi.StoredValue;
import dev.sett.kv.spi.Table;
import dev.sett.kv.spi.TableContext;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open {@code sst-v1} table (layout in {@link SstV1Format}). It keeps only its footer on the
 * heap; the index, the bloom filter and data blocks are fetched per use from the caches, or read
 * from the file, checked, and offered to the caches.
 *
 * <p>Thread-safe: everything it holds is immutable, the caches are thread-safe and file reads
 * are positional. Two threads that miss the cache for the same block both read it; the cache
 * keeps one copy.
 *
 * <p>Errors: a file that ends inside a unit (EOF) and every failed check are {@link
 * CorruptionException}s; any other {@link IOException} of the file, an {@link
 * java.io.InterruptedIOException} of an interrupted reader among them, is passed on as it is (and
 * by {@link SstIterator} as a {@code StorageException} carrying it), never reported as damage. An
 * interrupted read affects only the interrupted caller: the file stays open for every other read.
 */
final class SstTable implements Table {
  private final ReadableFile file;
  private final String name;
  private final byte[] dbId;
  private final long id;
  private final long dataStart;
  private final long size;
  private final TableMeta meta;
  private final BlockCache blockCache;
  private final BlockCache indexCache;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SstTable(ReadableFile file, byte[] dbId, long id, long dataStart, long size,
      TableMeta meta, TableContext context) {
    this.file = file;
    this.name = file.name();
    this.dbId = dbId.clone();
    this.id = id;
    this.dataStart = dataStart;
    this.size = size;
    this.meta = meta;
    this.blockCache = context.blockCache();
    this.indexCache = context.indexCache();
  }

  /** Reads and checks the header, trailer and meta of {@code in}. */
  static SstTable open(ReadableFile in, TableContext context) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(context, "context");
    Layout l = readLayout(in, context.dbId(), context.fileId());
    return new SstTable(in, context.dbId(), context.fileId(), l.dataStart(), l.size(), l.meta(),
        context);
  }

  /** Where a table's regions lie, from its header and footer. */
  private record Layout(long dataStart, long size, TableMeta meta) {}

  /** Reads and checks the header (identity included), trailer and meta, and their tiling. */
  private static Layout readLayout(ReadableFile in, byte[] dbId, long fileId)
      throws IOException {
    String name = in.name();
    FileHeader header = FileHeader.read(in, SstV1Format.MAGIC, SstV1Format.NAME,
        SstV1Format.VERSION, SstV1Format.VERSION);
    header.checkIdentity(name, dbId, fileId);
    long size = in.size();
    long dataStart = header.length();
    long trailerOffset = size - TableMeta.TRAILER;
    // At least one data block, an index and the meta lie between header and trailer.
    long room = trailerOffset - dataStart;
    if (room < TableMeta.MIN_LENGTH + 2L * BlockCodec.TRAILER + 2) {
      throw new CorruptionException(name, Math.max(0, trailerOffset),
          "file of " + size + " bytes is too short for a table (truncated?)");
    }
    byte[] trailer = read(in, trailerOffset, TableMeta.TRAILER, "trailer");
    int metaLength = TableMeta.metaLength(name, trailerOffset, trailer, SstV1Format.MAGIC, room);
    long metaOffset = trailerOffset - metaLength;
    TableMeta meta = TableMeta.decode(name, metaOffset,
        read(in, metaOffset, metaLength, "meta"), trailer);
    // The regions must tile the file: blocks, index, bloom filter, meta.
    long indexOffset = meta.indexOffset();
    long bloomOffset = meta.bloomOffset();
    int bloomLength = meta.bloomLength();
    if (indexOffset <= dataStart || indexOffset >= metaOffset
        || meta.indexLength() < BlockCodec.TRAILER + 4
        || meta.indexLength() > metaOffset - indexOffset
        || bloomOffset != indexOffset + meta.indexLength()
        || (bloomLength != 0 && bloomLength < BlockCodec.TRAILER + BloomFilter.HEADER + 1)
        || bloomLength < 0 || bloomLength != metaOffset - bloomOffset
        || meta.blockCount() > (indexOffset - dataStart) / (BlockCodec.TRAILER + 1)) {
      throw new CorruptionException(name, metaOffset, "meta does not describe this file: "
          + meta + " with data from " + dataStart + " and meta at " + metaOffset);
    }
    return new Layout(dataStart, size, meta);
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public StoredValue get(byte[] key, long readTs) throws IOException {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    if (Arrays.compareUnsigned(key, meta.smallestKey()) < 0
        || Arrays.compareUnsigned(key, meta.largestKey()) > 0) {
      return null;
    }
    if (meta.bloomLength() != 0 && !BloomFilter.mayContain(bloom(), XxHash64.hash(key))) {
      return null;
    }
    BlockIndex index = index(true);
    int b = Math.max(0, index.find(key, readTs));
    DataBlock block = block(index, b, true);
    int e = block.seek(key, readTs);
    if (e == block.count()) {
      // Every entry of this block is before the target: the versions of the key (if any) start
      // in the next block.
      if (++b == index.count()) {
        return null;
      }
      block = block(index, b, true);
      e = 0;
    }
    return block.keyEquals(e, key) ? block.value(e) : null;
  }

  @Override
  public EntryIterator iterator(boolean fillCache) {
    ensureOpen();
    return new SstIterator(this, fillCache);
  }

  /** The first keys of evenly spaced blocks, from the index (no data block is read). */
  @Override
  public List<byte[]> sampleKeys(int max) throws IOException {
    BlockIndex index = index(true);
    int blocks = index.count();
    int n = Math.min(blocks, max);
    List<byte[]> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] k = index.firstKey((int) ((long) i * blocks / n));
      if (keys.isEmpty() || !Arrays.equals(keys.get(keys.size() - 1), k)) {
        keys.add(k); // a key's versions may span blocks: each key once
      }
    }
    return keys;
  }

  @Override
  public byte[] smallestKey() {
    return meta.smallestKey();
  }

  @Override
  public byte[] largestKey() {
    return meta.largestKey();
  }

  @Override
  public long maxVersion() {
    return meta.maxVersion();
  }

  @Override
  public long entryCount() {
    return meta.entryCount();
  }

  @Override
  public long sizeBytes() {
    return size;
  }

  /** The footer, for tests and tools. */
  TableMeta meta() {
    return meta;
  }

  /** The file's name, for errors. */
  String name() {
    return name;
  }

  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      file.close();
    }
  }

  @Override
  public String toString() {
    return "SstTable[" + name + ", " + meta.entryCount() + " entries in " + meta.blockCount()
        + " blocks]";
  }

  // -------------------------------------------------------------------------------------------
  // Reading units through the caches

  /**
   * The index, from the index cache or the file.
   *
   * @param fill whether to offer it to the cache when it was read from the file
   */
  BlockIndex index(boolean fill) throws IOException {
    byte[] cached = indexCache.get(id, BlockCache.INDEX_BLOCK);
    if (cached != null) {
      return new BlockIndex(cached);
    }
    byte[] raw = readIndex();
    if (fill) {
      indexCache.put(id, BlockCache.INDEX_BLOCK, raw);
    }
    return new BlockIndex(raw);
  }

  /** The index unit read from the file and checked: checksum, then structure. */
  private byte[] readIndex() throws IOException {
    long offset = meta.indexOffset();
    byte[] raw = BlockCodec.open(name, offset, "index",
        read(file, offset, meta.indexLength(), "index"));
    BlockIndex.check(name, offset, raw, meta.blockCount(), dataStart, offset);
    return raw;
  }

  /** The bloom filter's bytes, from the index cache or the file (the table has one). */
  private byte[] bloom() throws IOException {
    byte[] cached = indexCache.get(id, BlockCache.BLOOM_BLOCK);
    if (cached != null) {
      return cached;
    }
    byte[] raw = readBloom();
    indexCache.put(id, BlockCache.BLOOM_BLOCK, raw);
    return raw;
  }

  /** The bloom filter unit read from the file and checked. */
  private byte[] readBloom() throws IOException {
    long offset = meta.bloomOffset();
    byte[] raw = BlockCodec.open(name, offset, "bloom filter",
        read(file, offset, meta.bloomLength(), "bloom filter"));
    BloomFilter.check(name, offset, raw);
    return raw;
  }

  /**
   * Data block {@code i}, from the block cache or the file.
   *
   * @param fill whether to offer it to the cache when it was read from the file
   */
  DataBlock block(BlockIndex index, int i, boolean fill) throws IOException {
    byte[] cached = blockCache.get(id, i);
    if (cached != null) {
      return new DataBlock(cached);
    }
    DataBlock block = readBlock(index, i);
    if (fill) {
      blockCache.put(id, i, block.bytes());
    }
    return block;
  }

  /** Data block {@code i} read from the file and checked: checksum, then structure. */
  private DataBlock readBlock(BlockIndex index, int i) throws IOException {
    long offset = index.blockOffset(i);
    byte[] raw = BlockCodec.open(name, offset, "data block", i,
        read(file, offset, index.blockLength(i), "data block", i));
    return DataBlock.check(name, offset, i, raw);
  }

  /**
   * Reads every byte of the file, never from the caches (a cached copy proves nothing about the
   * bytes on disk): header, trailer and meta as open does, then every unit as a read would; then
   * checks that the blocks hold the number of entries the footer records.
   */
  @Override
  public long verify() throws IOException {
    ensureOpen();
    // Header and footer again: open checked them, but the bytes on disk may have changed since.
    Layout now = readLayout(file, dbId, id);
    if (now.size() != size || !now.meta().equals(meta)) {
      throw new CorruptionException(name, now.meta().bloomOffset() + now.meta().bloomLength(),
          "the footer no longer matches what was read at open (" + meta + ", now "
              + now.meta() + ")");
    }
    BlockIndex index = new BlockIndex(readIndex());
    if (meta.bloomLength() != 0) {
      readBloom();
    }
    long entries = 0;
    for (int i = 0; i < index.count(); i++) {
      entries += readBlock(index, i).count();
    }
    if (entries != meta.entryCount()) {
      // The regions tile the file, so the meta starts where the bloom filter ends.
      throw new CorruptionException(name, meta.bloomOffset() + meta.bloomLength(), "the blocks"
          + " hold " + entries + " entries, the meta says " + meta.entryCount());
    }
    return entries;
  }

  private static byte[] read(ReadableFile in, long offset, int length, String what)
      throws IOException {
    return read(in, offset, length, what, -1);
  }

  /** Reads a unit; its name ({@link BlockCodec#name}) is put together only for an error. */
  private static byte[] read(ReadableFile in, long offset, int length, String kind, int number)
      throws IOException {
    byte[] b = new byte[length];
    try {
      in.readFully(offset, b, 0, length);
    } catch (EOFException e) {
      CorruptionException c = new CorruptionException(in.name(), offset,
          "file ends inside the " + BlockCodec.name(kind, number) + " (truncated?)");
      c.addSuppressed(e);
      throw c;
    }
    return b;
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException(name + " is closed");
    }
  }
}
