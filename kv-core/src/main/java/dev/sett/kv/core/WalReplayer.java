package dev.sett.kv.core;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.io.FileHeader;
import dev.sett.kv.io.ReadableFile;
import dev.sett.kv.io.Storage;
import dev.sett.kv.spi.EntryMeta;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Replays one WAL file, applying each committed transaction as a whole.
 *
 * <p>Rules: entries flagged {@link EntryMeta#TXN} are held until their commit marker arrives,
 * then applied; the marker's version (the commit timestamp) is at least every entry's version. A
 * transaction's entries all carry its commit timestamp, except in a value log garbage collection
 * rewrite, whose entries keep their original, older versions. An entry without the flag is
 * applied alone. The valid end of the
 * file is the end of the last applied transaction. Reading stops at the first record that is
 * incomplete or fails its checksum, or that breaks the transaction rules. Then:
 *
 * <ul>
 *   <li>in a sealed (older) WAL, which was fsynced completely before the next one was created,
 *       any bad record is damage: {@link CorruptionException} naming file and offset;
 *   <li>in the newest WAL, if a sync mark further on proves that the bad record had been fsynced,
 *       it is damage too: {@link CorruptionException};
 *   <li>otherwise it is a torn tail, never synced or cut by a crash: the file is cut back to the
 *       valid end and the loss logged. Only writes that were never acknowledged, or acknowledged
 *       without {@code syncWrites} before a power loss, can be in that tail.
 * </ul>
 */
final class WalReplayer {
  /** Tells whether a value pointer names value log bytes that exist. */
  interface PointerCheck {
    /** Accepts every pointer (no value log to check against). */
    PointerCheck NONE = (buf, off, len) -> true;

    boolean resolvable(byte[] buf, int off, int len);
  }

  /** Receives replayed entries. */
  interface Sink {
    void apply(byte[] key, long version, byte meta, byte userMeta, long expiresAt, byte[] value);
  }

  /**
   * What a replay found.
   *
   * @param validEnd the end of the last applied transaction
   * @param fileSize the file's length before any truncation
   * @param maxVersion the highest version applied, 0 if none
   * @param transactions the number of transactions (and lone entries) applied
   * @param headerTorn the file is too short for a complete header (it was being created)
   * @param tailProblem why the bytes from {@code validEnd} on are a torn tail, {@code null} if
   *     there is none (the caller cuts and logs it: a replay only reads)
   */
  record Result(long validEnd, long fileSize, long maxVersion, long transactions,
      boolean headerTorn, String tailProblem) {
    boolean tornTail() {
      return validEnd < fileSize;
    }
  }

  private WalReplayer() {}

  static Result replay(Storage storage, long id, byte[] dbId, boolean newest, Sink sink)
      throws IOException {
    return replay(storage, id, dbId, newest, PointerCheck.NONE, sink);
  }

  /**
   * Replays one WAL. A record whose value pointer names value log bytes that do not exist is a bad
   * record like one that fails its checksum: the value log is synced before the WAL, so in a part
   * of the WAL that was synced it is damage, and past that it is the torn tail of a power loss
   * that took the value log's unsynced bytes too.
   */
  static Result replay(Storage storage, long id, byte[] dbId, boolean newest,
      PointerCheck pointers, Sink sink) throws IOException {
    String name = FileNames.wal(id);
    try (ReadableFile in = storage.openRead(name)) {
      long size = in.size();
      if (size > Integer.MAX_VALUE - 16) {
        throw new CorruptionException(name, 0, "WAL of " + size + " bytes is larger than any"
            + " memtable this build writes");
      }
      FileHeader header;
      try {
        header = FileHeader.read(in, WalFormat.MAGIC, WalFormat.FORMAT, 1, WalFormat.VERSION);
      } catch (CorruptionException e) {
        if (newest && size < 128) {
          // Crash while the file was being created: its header was never synced, so no record
          // in it was ever acknowledged.
          return new Result(0, size, 0, 0, true, null);
        }
        throw e;
      }
      header.checkIdentity(name, dbId, id);
      byte[] buf = new byte[(int) size];
      in.readFully(0, buf, 0, buf.length);
      return replay(name, buf, header.length(), newest, pointers, sink);
    }
  }

  static Result replay(String name, byte[] buf, int start, boolean newest, Sink sink) {
    return replay(name, buf, start, newest, PointerCheck.NONE, sink);
  }

  static Result replay(String name, byte[] buf, int start, boolean newest, PointerCheck pointers,
      Sink sink) {
    WalFormat.Cursor c = new WalFormat.Cursor();
    int limit = buf.length;
    int pos = start;
    int validEnd = start;
    long maxVersion = 0;
    long applied = 0;
    List<int[]> txn = new ArrayList<>(); // {keyOff, keyLen, valOff, valLen, meta, userMeta} + exp
    List<long[]> txnLongs = new ArrayList<>(); // {version, expiresAt}
    long txnVersion = -1; // the newest entry version of the open transaction, -1 if none
    String problem = null;
    while (pos < limit) {
      if (!c.decode(buf, pos, limit)) {
        problem = "record is incomplete or fails its checksum";
        break;
      }
      if (c.meta == WalFormat.SYNC_MARK) {
        if (txnVersion < 0) {
          validEnd = c.end;
        }
        pos = c.end;
        continue;
      }
      if ((c.meta & EntryMeta.FIN_TXN) == 0 && (c.meta & EntryMeta.VALUE_POINTER) != 0
          && !pointers.resolvable(buf, c.valueOffset, c.valueLength)) {
        problem = "value pointer names value log bytes that do not exist";
        break;
      }
      if ((c.meta & EntryMeta.FIN_TXN) != 0) {
        if (txnVersion < 0 || c.version < txnVersion) {
          problem = "commit marker for version " + c.version + " does not close the open"
              + " transaction (" + (txnVersion < 0 ? "none" : "version " + txnVersion) + ")";
          break;
        }
        for (int i = 0; i < txn.size(); i++) {
          int[] e = txn.get(i);
          long[] l = txnLongs.get(i);
          sink.apply(Arrays.copyOfRange(buf, e[0], e[0] + e[1]), l[0], (byte) e[4],
              (byte) e[5], l[1], Arrays.copyOfRange(buf, e[2], e[2] + e[3]));
        }
        maxVersion = Math.max(maxVersion, c.version);
        applied++;
        txn.clear();
        txnLongs.clear();
        txnVersion = -1;
        validEnd = c.end;
      } else if ((c.meta & EntryMeta.TXN) != 0) {
        if (c.keyLength == 0 || c.version < 1) {
          problem = "transaction entry with an empty key or version " + c.version;
          break;
        }
        txnVersion = Math.max(txnVersion, c.version);
        txn.add(new int[] {c.keyOffset, c.keyLength, c.valueOffset, c.valueLength,
            c.meta & ~EntryMeta.TXN, c.userMeta});
        txnLongs.add(new long[] {c.version, c.expiresAt});
      } else {
        if (txnVersion >= 0 || c.keyLength == 0) {
          problem = "lone entry inside an open transaction";
          break;
        }
        sink.apply(Arrays.copyOfRange(buf, c.keyOffset, c.keyOffset + c.keyLength), c.version,
            c.meta, c.userMeta, c.expiresAt,
            Arrays.copyOfRange(buf, c.valueOffset, c.valueOffset + c.valueLength));
        maxVersion = Math.max(maxVersion, c.version);
        applied++;
        validEnd = c.end;
      }
      pos = c.end;
    }
    if (pos < limit || validEnd < limit) {
      int bad = pos < limit ? pos : validEnd;
      String detail = problem != null ? problem : "transaction without its commit marker";
      if (!newest) {
        throw new CorruptionException(name, bad, detail + " in a sealed WAL");
      }
      long syncedBeyond = syncMarkBeyond(buf, bad + 1, c);
      if (syncedBeyond > bad) {
        throw new CorruptionException(name, bad, detail + "; a later sync mark shows the file"
            + " was synced up to offset " + syncedBeyond);
      }
      return new Result(validEnd, limit, maxVersion, applied, false,
          detail + " at offset " + bad);
    }
    return new Result(validEnd, limit, maxVersion, applied, false, null);
  }

  /** The largest offset recorded by a valid sync mark found at or after {@code from}, or -1. */
  private static long syncMarkBeyond(byte[] buf, int from, WalFormat.Cursor c) {
    long best = -1;
    for (int p = from; p + WalFormat.MARKER_LENGTH <= buf.length; p++) {
      if (buf[p] == WalFormat.SYNC_MARK && buf[p + 1] == 0 && buf[p + 2] == 0
          && buf[p + 3] == 0 && buf[p + 4] == 0 && c.decode(buf, p, buf.length)
          && c.meta == WalFormat.SYNC_MARK) {
        best = Math.max(best, c.version);
      }
    }
    return best;
  }
}
