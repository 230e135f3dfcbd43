package dev.sett.kv.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, fault 2: an interrupt affects only the interrupted call. NIO closes a {@code
 * FileChannel} when a thread in an I/O call on it is interrupted (or starts one with its flag
 * set); {@link NioStorage}'s readable files must reopen what an interrupt closed, so that the
 * interrupted thread alone fails (with {@link InterruptedIOException}, its flag still set) and every
 * other read, by any thread, goes on with correct bytes; and {@link NioStorage#syncDirectory()}
 * must not fail because the calling thread is interrupted.
 *
 * <p>Randomized tests print {@code reproduce: -Dtests.seed=0x...} (the project's convention, from
 * kv-testkit's {@code TestSeeds}, which this module cannot depend on: kv-testkit depends on it).
 * The seed fixes which threads are interrupted, after how many reads, and every read position; the
 * moment an interrupt lands inside or between reads is up to the scheduler. Nothing waits with
 * {@code Thread.sleep}: the threads meet at latches.
 */
class NioStorageInterruptTest {
  private static final String NAME = "000001.sst";
  private static final int FILE_SIZE = 4 << 20;
  private static final int MAX_READ = 64 << 10;
  private static final long TIMEOUT_SECONDS = 60;

  @TempDir Path dir;

  private final List<Thread> started = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void clearInterruptAndStopThreads() throws InterruptedException {
    Thread.interrupted(); // never leak a set flag into the next test on this thread
    for (Thread t : started) {
      t.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    }
  }

  // ---- the seed convention (kv-testkit's TestSeeds, inlined) ----------------------------------

  private static long seed(TestInfo info) {
    String fixed = System.getProperty("tests.seed");
    long seed = fixed == null || fixed.isBlank()
        ? ThreadLocalRandom.current().nextLong()
        : fixed.startsWith("0x") || fixed.startsWith("0X")
            ? Long.parseUnsignedLong(fixed.substring(2), 16)
            : Long.parseLong(fixed);
    String test = info.getTestClass().map(Class::getSimpleName).orElse("?") + "#"
        + info.getTestMethod().map(m -> m.getName()).orElse("");
    System.out.println("reproduce: -Dtests.seed=0x" + Long.toHexString(seed) + " (" + test + ")");
    return seed;
  }

  // ---- the file and its expected bytes -----------------------------------------------------

  /** The byte at {@code position}: differs between neighbours, so a misplaced read shows. */
  private static byte expected(long position) {
    long x = position * 0x9E3779B97F4A7C15L;
    return (byte) (x >>> 56);
  }

  private NioStorage storageWithFile() throws IOException {
    NioStorage storage = new NioStorage(dir);
    byte[] chunk = new byte[1 << 16];
    try (WritableFile w = storage.create(NAME)) {
      for (long at = 0; at < FILE_SIZE; at += chunk.length) {
        for (int i = 0; i < chunk.length; i++) {
          chunk[i] = expected(at + i);
        }
        w.write(chunk, 0, chunk.length);
      }
      w.sync();
    }
    return storage;
  }

  /** Reads a random range and checks every byte; the caller sees the read's exception. */
  private static void readAndCheck(ReadableFile f, Random random) throws IOException {
    int len = 1 + random.nextInt(MAX_READ);
    long position = random.nextInt(FILE_SIZE - len + 1);
    byte[] b = new byte[len + 2];
    f.readFully(position, b, 1, len);
    for (int i = 0; i < len; i++) {
      if (b[1 + i] != expected(position + i)) {
        throw new AssertionError(Thread.currentThread().getName() + ": wrong byte at "
            + (position + i) + " (read of " + len + " bytes at " + position + ")");
      }
    }
  }

  /** How many descriptors of this process are open on the test file; -1 if it cannot tell. */
  private long openDescriptors() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    Path target = dir.resolve(NAME).toRealPath();
    long n = 0;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(fds)) {
      for (Path fd : s) {
        try {
          if (Files.readSymbolicLink(fd).equals(target)) {
            n++;
          }
        } catch (IOException e) {
          // a descriptor closed while we looked (the directory stream's own, for one)
        }
      }
    }
    return n;
  }

  private void assertDescriptors(long expected, String when) throws IOException {
    long n = openDescriptors();
    if (n >= 0) {
      assertEquals(expected, n, "descriptors open on " + NAME + " " + when);
    }
  }

  private Thread start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    started.add(t);
    t.start();
    return t;
  }

  private static void join(Thread t) throws InterruptedException {
    t.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    if (t.isAlive()) {
      fail(t.getName() + " still running after " + TIMEOUT_SECONDS + " s");
    }
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      fail("timed out waiting for " + what);
    }
  }

  private static void assertNoFailures(ConcurrentLinkedQueue<Throwable> failures) {
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError(failures.size() + " reads failed; first: "
          + failures.peek());
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  // ---- tests ---------------------------------------------------------------------------------

  @Test
  void interruptedReader_failsAlone_andTheFileStaysReadableForEveryone(TestInfo info)
      throws Exception {
    long seed = seed(info);
    NioStorage storage = storageWithFile();
    int others = 3;
    try (ReadableFile f = storage.openRead(NAME)) {
      CountDownLatch reading = new CountDownLatch(others + 1);
      CountDownLatch othersReadAfterInterrupt = new CountDownLatch(others);
      AtomicBoolean interruptOver = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < others; i++) {
        Random random = new Random(seed + i);
        threads.add(start("reader-" + i, () -> {
          boolean counted = false;
          boolean first = true;
          try {
            while (!stop.get()) {
              boolean after = interruptOver.get();
              readAndCheck(f, random);
              if (first) {
                first = false;
                reading.countDown();
              }
              if (after && !counted) {
                counted = true;
                othersReadAfterInterrupt.countDown();
              }
            }
          } catch (Throwable e) {
            failures.add(e);
          } finally {
            if (first) {
              reading.countDown();
            }
            if (!counted) {
              othersReadAfterInterrupt.countDown(); // failed: do not keep the test waiting
            }
          }
        }));
      }
      AtomicReference<Throwable> victimGot = new AtomicReference<>();
      AtomicBoolean victimFlag = new AtomicBoolean();
      Random victimRandom = new Random(seed - 1);
      Thread victim = start("victim", () -> {
        boolean first = true;
        try {
          while (true) {
            readAndCheck(f, victimRandom);
            if (first) {
              first = false;
              reading.countDown();
            }
          }
        } catch (Throwable e) {
          victimGot.set(e);
          victimFlag.set(Thread.currentThread().isInterrupted());
        } finally {
          if (first) {
            reading.countDown();
          }
        }
      });

      await(reading, "every thread to read once");
      victim.interrupt();
      join(victim);
      interruptOver.set(true);

      Throwable got = victimGot.get();
      assertNotNull(got, "the victim ended without an exception");
      assertInstanceOf(InterruptedIOException.class, got,
          () -> "the interrupted reader should get an InterruptedIOException, got " + got);
      assertTrue(got.getMessage().contains(NAME), got.getMessage());
      assertTrue(victimFlag.get(), "the interrupted reader's flag must stay set");

      // A fresh read by a thread that was never interrupted, on the same ReadableFile.
      readAndCheck(f, new Random(seed + 100));
      assertEquals(FILE_SIZE, f.size());

      await(othersReadAfterInterrupt, "the other readers to read after the interrupt");
      stop.set(true);
      for (Thread t : threads) {
        join(t);
      }
      assertNoFailures(failures);
      assertDescriptors(1, "while the file is open (no leaked channel)");
    }
    assertDescriptors(0, "after close");
  }

  @Test
  void manyReaders_randomOnesInterrupted_theRestReadCorrectBytes(TestInfo info)
      throws Exception {
    long seed = seed(info);
    Random plan = new Random(seed);
    int threadCount = 8;
    NioStorage storage = storageWithFile();
    ReadableFile f = storage.openRead(NAME);

    List<Integer> victims = new ArrayList<>();
    for (int i = 0; i < threadCount; i++) {
      if (plan.nextBoolean()) {
        victims.add(i);
      }
    }
    if (victims.isEmpty()) {
      victims.add(plan.nextInt(threadCount));
    }
    Collections.shuffle(victims, plan);
    int[] interruptAfter = new int[threadCount];
    CountDownLatch[] due = new CountDownLatch[threadCount];
    for (int i = 0; i < threadCount; i++) {
      interruptAfter[i] = 1 + plan.nextInt(200);
      due[i] = new CountDownLatch(1);
    }
    CountDownLatch victimsDone = new CountDownLatch(victims.size());
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> victimProblems = new ConcurrentLinkedQueue<>();
    int minReads = 300;

    Thread[] threads = new Thread[threadCount];
    for (int i = 0; i < threadCount; i++) {
      int me = i;
      boolean isVictim = victims.contains(i);
      Random random = new Random(plan.nextLong());
      threads[i] = start("reader-" + i + (isVictim ? "-victim" : ""), () -> {
        long reads = 0;
        try {
          while (isVictim || reads < minReads || victimsDone.getCount() > 0) {
            readAndCheck(f, random);
            if (++reads == interruptAfter[me]) {
              due[me].countDown();
            }
          }
        } catch (InterruptedIOException e) {
          if (!isVictim) {
            failures.add(e);
          } else if (!Thread.currentThread().isInterrupted()) {
            victimProblems.add(Thread.currentThread().getName() + ": flag cleared by " + e);
          }
        } catch (Throwable e) {
          if (isVictim) {
            victimProblems.add(
                Thread.currentThread().getName() + ": expected InterruptedIOException, got " + e);
          } else {
            failures.add(e);
          }
        } finally {
          due[me].countDown();
          if (isVictim) {
            victimsDone.countDown();
          }
        }
      });
    }
    for (int v : victims) {
      await(due[v], "reader " + v + " to reach read " + interruptAfter[v]);
      threads[v].interrupt();
    }
    for (Thread t : threads) {
      join(t);
    }
    assertNoFailures(failures);
    assertTrue(victimProblems.isEmpty(), victimProblems.toString());

    readAndCheck(f, new Random(seed ^ 1));
    assertDescriptors(1, "after " + victims.size() + " interrupted readers (no leaked channel)");
    f.close();
    assertDescriptors(0, "after close");
    assertThrows(ClosedChannelException.class, () -> f.readFully(0, new byte[1], 0, 1),
        "a file closed by its owner stays closed");
  }

  @Test
  void threadWithFlagAlreadySet_failsItsOwnReadOnly() throws Exception {
    NioStorage storage = storageWithFile();
    try (ReadableFile f = storage.openRead(NAME)) {
      Random random = new Random(42);
      for (int round = 0; round < 20; round++) {
        Thread.currentThread().interrupt();
        InterruptedIOException e = assertThrows(InterruptedIOException.class,
            () -> f.readFully(4096, new byte[100], 0, 100));
        assertTrue(e.getMessage().contains(NAME) && e.getMessage().contains("4096"),
            e.getMessage());
        assertTrue(Thread.interrupted(), "the flag must stay set");
        readAndCheck(f, random); // the same thread, flag cleared: reads again
      }
      Thread.currentThread().interrupt();
      assertThrows(InterruptedIOException.class, f::size);
      assertTrue(Thread.interrupted());
      assertEquals(FILE_SIZE, f.size());
      assertDescriptors(1, "after 21 interrupted calls (no leaked channel)");
    }
    assertDescriptors(0, "after close");
  }

  @Test
  void closeRacingInterruptedReaders_leaksNothing(TestInfo info) throws Exception {
    long seed = seed(info);
    NioStorage storage = storageWithFile();
    for (int round = 0; round < 20; round++) {
      Random plan = new Random(seed + round);
      ReadableFile f = storage.openRead(NAME);
      int threadCount = 4;
      CountDownLatch reading = new CountDownLatch(threadCount);
      AtomicBoolean closing = new AtomicBoolean();
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < threadCount; i++) {
        Random random = new Random(plan.nextLong());
        threads.add(start("reader-" + i, () -> {
          boolean first = true;
          try {
            while (true) {
              // Self-interrupt now and then: the read starts with the flag set.
              boolean interrupt = random.nextInt(8) == 0;
              if (interrupt) {
                Thread.currentThread().interrupt();
              }
              try {
                readAndCheck(f, random);
                if (interrupt) {
                  failures.add(new AssertionError("read with the flag set succeeded"));
                  return;
                }
              } catch (InterruptedIOException e) {
                if (!Thread.interrupted()) {
                  failures.add(new AssertionError("flag cleared", e));
                  return;
                }
              }
              if (first) {
                first = false;
                reading.countDown();
              }
            }
          } catch (ClosedChannelException e) {
            if (!closing.get()) { // the owner's close is the one way this loop should end
              failures.add(e);
            }
          } catch (Throwable e) {
            failures.add(e);
          } finally {
            if (first) {
              reading.countDown();
            }
          }
        }));
      }
      await(reading, "every reader to read once");
      closing.set(true);
      f.close();
      for (Thread t : threads) {
        join(t);
      }
      assertNoFailures(failures);
      assertDescriptors(0, "after close in round " + round);
    }
  }

  @Test
  void syncDirectory_withTheFlagSet_succeedsAndLeavesTheFlagSet() throws Exception {
    NioStorage storage = new NioStorage(dir);
    try (WritableFile w = storage.create("a")) {
      w.sync();
    }
    Thread.currentThread().interrupt();
    try {
      storage.syncDirectory();
      assertTrue(Thread.currentThread().isInterrupted(), "the flag must stay set");
      storage.rename("a", "b");
      storage.syncDirectory(); // and again, still interrupted
      assertTrue(Thread.currentThread().isInterrupted(), "the flag must stay set");
    } finally {
      Thread.interrupted();
    }
    storage.syncDirectory();
    assertTrue(storage.exists("b"));
  }

  @Test
  void lock_withTheFlagSet_isTakenAndReleased() throws Exception {
    NioStorage storage = new NioStorage(dir);
    Thread.currentThread().interrupt();
    try {
      StorageLock lock = storage.lock("LOCK");
      assertTrue(Thread.currentThread().isInterrupted(), "the flag must stay set");
      lock.close();
      assertTrue(Thread.currentThread().isInterrupted(), "the flag must stay set");
    } finally {
      Thread.interrupted();
    }
    storage.lock("LOCK").close(); // released: it can be taken again
  }
}
