package dev.sett.kv.vlog;

import dev.sett.kv.io.ReadableFile;
import java.io.IOException;

/**
 * Reads the records of one file in order through a window of the file (one positional read per
 * window, not per record), checking each record's header and checksum. Used by the open-time scan
 * of the newest file and by {@link FileValueLog#scan}. Not thread-safe: one per scan.
 */
final class RecordReader {
  private static final int WINDOW = 256 << 10;

  private final ReadableFile in;
  private final long end;
  final VlogRecords.Header header = new VlogRecords.Header();
  private byte[] buf = new byte[0];
  private long start;
  private int filled;
  /** Index in {@link #buf} of the record {@link #next} last accepted. */
  int recordIndex;

  /**
   * @param in the file
   * @param end where its records end (the file's length, or the flushed end of the file being
   *     written)
   */
  RecordReader(ReadableFile in, long end) {
    this.in = in;
    this.end = end;
  }

  byte[] buffer() {
    return buf;
  }

  /** Makes {@code [pos, pos + n)} available in {@link #buf}; returns the index of {@code pos}. */
  private int fetch(long pos, int n) throws IOException {
    if (pos >= start && pos + n <= start + filled) {
      return (int) (pos - start);
    }
    int want = (int) Math.min(Math.max(n, WINDOW), end - pos);
    if (buf.length < want) {
      buf = new byte[want];
    }
    in.readFully(pos, buf, 0, want);
    start = pos;
    filled = want;
    return 0;
  }

  /**
   * Checks the record at {@code pos}.
   *
   * @return its length, or -1 if it is incomplete, implausible or fails its checksum ({@code
   *     header.problem} says which)
   */
  int next(long pos) throws IOException {
    if (pos >= end) {
      header.problem = "end of file";
      return -1;
    }
    int avail = (int) Math.min(VlogRecords.MAX_HEADER, end - pos);
    int i = fetch(pos, avail);
    if (!header.decode(buf, i, i + avail)) {
      return -1;
    }
    long len = header.recordLength();
    if (pos + len > end) {
      header.problem = "record of " + len + " bytes passes the end of the file ("
          + end + " bytes)";
      return -1;
    }
    i = fetch(pos, (int) len);
    if (!header.checksumMatches(buf, i)) {
      return -1;
    }
    recordIndex = i;
    return (int) len;
  }

  /**
   * The largest offset recorded by a valid sync mark that starts at or after {@code from}, or -1.
   * Looks at every byte position, since the records after a bad one cannot be found by their
   * lengths.
   */
  long syncMarkBeyond(long from) throws IOException {
    long best = -1;
    for (long p = from; p + VlogRecords.MARK_LENGTH <= end; p++) {
      int i = fetch(p, VlogRecords.MARK_LENGTH);
      if (buf[i + 4] == VlogRecords.KIND_SYNC_MARK && buf[i + 5] == 0 && buf[i + 6] == 0
          && buf[i + 7] == 0 && buf[i + 8] == 0 && buf[i + 9] == 0
          && header.decode(buf, i, i + VlogRecords.MARK_LENGTH) && header.isSyncMark()
          && header.checksumMatches(buf, i) && header.version <= p) {
        best = Math.max(best, header.version);
      }
    }
    return best;
  }
}
