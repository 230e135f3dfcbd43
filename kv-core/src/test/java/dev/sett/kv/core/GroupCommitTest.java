package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.Db;
import dev.sett.kv.Options;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent commits with {@code syncWrites} share WAL writes and fsyncs (group commit), and every
 * commit lands exactly once.
 */
class GroupCommitTest {
  @TempDir Path dir;

  @Test
  void concurrentSyncedCommits_shareWalWrites_andAllLand() throws Exception {
    int threads = 8;
    int perThread = 150;
    try (Db db = Db.open(Options.builder(dir).syncWrites(true).build())) {
      WritePipeline pipeline = ((SettDb) db).pipeline();
      long segmentsBefore = pipeline.segmentsWritten();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        fs.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            int n = i;
            db.update(txn -> txn.set(b("t" + id + "/" + n), b("v")));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
      long commits = (long) threads * perThread;
      long segments = pipeline.segmentsWritten() - segmentsBefore;
      assertEquals(commits, pipeline.requestsWritten());
      assertTrue(segments < commits, "group commit: " + segments + " WAL writes for " + commits
          + " concurrent synced commits");
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < perThread; i++) {
          int id = t;
          int n = i;
          assertNotNull(db.view(txn -> txn.get(b("t" + id + "/" + n))));
        }
      }
    }
  }
}
