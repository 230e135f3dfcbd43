package dev.sett.kv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;


import dev.sett.kv.ConflictException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle's conflict rules in managed mode, and for value log rewrites in both modes. */
class OracleTest {
  private static final long K = Oracle.fingerprint("k".getBytes());

  /** Enqueues nothing real: records the timestamps and applies at once, in order. */
  private static final class Path implements Oracle.Enqueuer {
    final Oracle oracle;
    final List<Long> ts = new ArrayList<>();

    Path(Oracle oracle) {
      this.oracle = oracle;
    }

    @Override
    public void enqueue(long commitTs, long seq) {
      ts.add(commitTs);
      oracle.applied(commitTs, seq);
    }
  }

  /**
   * In managed mode a commit that lands while a rewrite runs may carry a timestamp below the
   * rewrite's read timestamp; it must still count as unseen (before, rewrites compared
   * timestamps and missed it).
   */
  @Test
  void aRewrite_conflictsWithACommitAppliedAfterItsRead_whateverItsTimestamp() {
    Oracle o = new Oracle(0, true, true);
    Path p = new Path(o);
    long x = Oracle.fingerprint("x".getBytes());
    o.commitAt(0, new long[0], 0, new long[] {x}, null, null, 100, true, p);
    Oracle.RewriteRead read = o.beginRewriteRead();
    assertEquals(100, read.readTs());
    o.commitAt(50, new long[0], 0, new long[] {K}, null, null, 60, true, p); // below its 100
    long[] conflicts = o.commitRewrite(read, new long[] {K}, null, p);
    assertArrayEquals(new long[] {K}, conflicts);
    o.endRewriteRead(read);
    Oracle.RewriteRead again = o.beginRewriteRead();
    assertEquals(0, o.commitRewrite(again, new long[] {K}, null, p).length, "seen now");
    assertEquals(100, p.ts.get(p.ts.size() - 1), "a managed rewrite commits at the highest ts");
    o.endRewriteRead(again);
  }

  @Test
  void unmanaged_aRewriteStillSeesCommitsThatTookTheirTimestampBeforeItsRead() {
    Oracle o = new Oracle(0, true, false);
    List<long[]> queued = new ArrayList<>();
    Oracle.Enqueuer later = (ts, seq) -> queued.add(new long[] {ts, seq}); // not applied yet
    o.commit(0, new long[0], 0, new long[] {K}, null, null, later);
    Oracle.RewriteRead read = o.beginRewriteRead(); // the commit is not in a memtable yet
    o.applied(queued.get(0)[0], queued.get(0)[1]);
    assertArrayEquals(new long[] {K},
        o.commitRewrite(read, new long[] {K}, null, (ts, seq) -> { }));
    o.endRewriteRead(read);
  }

  /**
   * Value log garbage collection and a load may each have a rewrite read open: the commits the
   * older one has not seen stay recorded when the newer one ends (with one mark, ending either
   * forgot both, and the older rewrite missed its conflict).
   */
  @Test
  void twoRewriteReads_eachKeepsTheCommitsItHasNotSeen() {
    Oracle o = new Oracle(0, true, false);
    Path p = new Path(o);
    Oracle.RewriteRead gc = o.beginRewriteRead();
    o.commit(o.beginRead(), new long[0], 0, new long[] {K}, null, null, p);
    Oracle.RewriteRead load = o.beginRewriteRead();
    assertEquals(0, o.commitRewrite(load, new long[] {7}, new byte[][] {{7}}, p).length);
    o.endRewriteRead(load);
    o.commit(o.beginRead(), new long[0], 0, new long[] {8}, null, null, p); // runs a cleanup
    assertArrayEquals(new long[] {K}, o.commitRewrite(gc, new long[] {K}, null, p));
    o.endRewriteRead(gc);
  }

  @Test
  void aLoadsCommit_isRecorded_soATransactionThatReadItsKeyBeforeConflicts() {
    Oracle o = new Oracle(0, true, false);
    Path p = new Path(o);
    long readTs = o.beginRead();
    Oracle.RewriteRead load = o.beginRewriteRead();
    o.raiseAbove(500);
    assertEquals(0, o.commitRewrite(load, new long[] {K}, new byte[][] {"k".getBytes()}, p)
        .length);
    o.endRewriteRead(load);
    assertEquals(501, p.ts.get(p.ts.size() - 1), "above the versions the load writes");
    assertThrows(ConflictException.class,
        () -> o.commit(readTs, new long[] {K}, 1, new long[] {K}, null, null, p));
  }

  @Test
  void managedTransactions_conflictWithCommitsAboveTheirReadTs_inAnyOrder() {
    Oracle o = new Oracle(0, true, true);
    Path p = new Path(o);
    o.commitAt(0, new long[0], 0, new long[] {K}, null, null, 30, true, p);
    long y = Oracle.fingerprint("y".getBytes());
    o.commitAt(0, new long[0], 0, new long[] {y}, null, null, 5, true, p);
    long readTs = o.beginReadAt(10);
    // The commit at 30 is not the newest recorded (5 came after it): still found.
    assertThrows(ConflictException.class,
        () -> o.commitAt(readTs, new long[] {K}, 1, new long[] {K}, null, null, 40, true, p));
    o.commitAt(readTs, new long[] {K}, 1, new long[] {K}, null, null, 41, false, p); // a batch
    o.endRead(readTs);
  }
}
