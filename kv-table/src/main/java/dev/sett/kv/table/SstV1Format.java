package dev.sett.kv.table;

import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.WritableFile;
import dev.sett.kv.spi.Table;
import dev.sett.kv.spi.TableBuilder;
import dev.sett.kv.spi.TableContext;
import dev.sett.kv.spi.TableFormat;
import dev.sett.kv.spi.TableSettings;
import java.io.IOException;

/**
 * The {@code sst-v1} table format, Sett's default: sorted entries in prefix-compressed data
 * blocks, each checksummed and optionally LZ4-compressed, followed by a block index, a bloom
 * filter over the user keys, and a self-describing footer.
 *
 * <pre>
 * File    := FileHeader(magic "SETT", format "sst-v1", version 1) DataUnit{BlockCount}
 *            IndexUnit BloomUnit? Meta Trailer
 * Unit    := Payload CompressionId(uint8) UncompressedLength(int32) Crc32c(int32)
 * </pre>
 *
 * Every region starts where the previous one ends, and every byte after the header is covered by
 * a CRC32C: data blocks ({@link DataBlock}), index ({@link BlockIndex}) and bloom filter ({@link
 * BloomFilter}) each by their unit's trailer ({@link BlockCodec}), the meta by the file's trailer
 * ({@link TableMeta}). Fixed-width integers are big-endian, lengths unsigned LEB128 varints. The
 * byte-level description lives in {@code docs/formats/sst.md}.
 *
 * <p>Reading: {@link #open} reads the header and the footer only; the index and bloom filter are
 * read on first use through the index cache, data blocks through the block cache, always with
 * positional reads, so a table holds a few hundred bytes of heap and no threads.
 *
 * <p>Stateless and thread-safe; found by {@link java.util.ServiceLoader}.
 */
public final class SstV1Format implements TableFormat {

  /** The provider name, recorded in every table's header: {@value}. */
  public static final String NAME = "sst-v1";
  /** The format version this class writes and reads: {@value}. */
  public static final int VERSION = 1;
  /** The magic number of table files, ASCII "SETT", at the start and at the very end. */
  public static final int MAGIC = 0x53455454;

  /** Creates the format (called by {@link java.util.ServiceLoader}). */
  public SstV1Format() {}

  /**
   * The provider name.
   *
   * @return {@value #NAME}
   */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Starts a table: writes the file header now, then blocks as they fill.
   *
   * @param out a new, empty file; the builder writes it but never syncs or closes it
   * @param settings the database id, file id, block size, compression and bloom filter rate
   * @return a builder taking entries in internal order
   * @throws IOException if the header cannot be written
   * @throws IllegalArgumentException if the file is not empty or the database id is not 16 bytes
   */
  @Override
  public TableBuilder newBuilder(WritableFile out, TableSettings settings) throws IOException {
    return new SstBuilder(out, settings);
  }

  /**
   * Opens a table: checks its header (format, version, database id and file id) and its footer.
   *
   * @param in the file; closed by {@link Table#close()}, and left open if this method throws
   * @param context the expected identity and the caches to read through
   * @return the table
   * @throws IOException if the file cannot be read
   * @throws dev.sett.kv.CorruptionException if the header or footer is damaged, the file is
   *     truncated, or it belongs to another database or file id
   * @throws dev.sett.kv.UnsupportedFormatException if another format or a newer version wrote it
   */
  @Override
  public Table open(ReadableFile in, TableContext context) throws IOException {
    return SstTable.open(in, context);
  }

  @Override
  public String toString() {
    return "SstV1Format[" + NAME + " v" + VERSION + "]";
  }
}
