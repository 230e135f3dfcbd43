package dev.sett.kv.core;

import dev.sett.kv.KeyValue;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.Match;
import dev.sett.kv.SubscriberOverflowException;
import dev.sett.kv.Subscription;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * One {@link Subscription}: a bounded buffer of batches filled by the write leader and a thread
 * ({@code sett-subscriber-N}) that hands them to the callback.
 *
 * <p>Concurrency notes. Writers: the write leader ({@link #offer}, one thread at a time, in commit
 * order), whoever calls {@link #cancel}, the database's close ({@link #databaseClosed}). Reader:
 * the subscriber thread. Everything below {@code lock} is guarded by it. Invariants: {@code
 * pending} is the number of changes in {@code queue} and never exceeds {@code maxPending}; once
 * {@code ended} is set nothing is queued or delivered again, except the batch the callback is
 * running; {@code offer} never waits (a full buffer ends the subscription instead), so the leader,
 * and every writer behind it, never waits for a subscriber.
 */
final class Subscriber implements Subscription {
  private static final System.Logger LOG = System.getLogger(Subscriber.class.getName());
  /** How long {@link #cancel} waits for a callback in progress. */
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

  private final Subscriptions owner;
  private final List<Match> matches;
  private final Consumer<List<KeyValue>> callback;
  private final int maxPending;
  private final Thread thread;
  private final Object lock = new Object();
  private final ArrayDeque<List<KeyValue>> queue = new ArrayDeque<>();
  private int pending;
  private boolean ended;
  private boolean dbClosed;
  private Throwable failure;
  private volatile boolean active = true;

  Subscriber(Subscriptions owner, List<Match> matches, Consumer<List<KeyValue>> callback,
      int maxPending, String threadName) {
    this.owner = owner;
    this.matches = List.copyOf(matches);
    this.callback = callback;
    this.maxPending = maxPending;
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Whether a key is one this subscription watches. */
  boolean matches(byte[] key) {
    for (Match m : matches) {
      if (m.matches(key)) {
        return true;
      }
    }
    return false;
  }

  /** Queues a batch; ends the subscription instead if it would pass its buffer. Never waits. */
  void offer(List<KeyValue> batch) {
    synchronized (lock) {
      if (ended) {
        return;
      }
      if (pending + batch.size() > maxPending) {
        end(new SubscriberOverflowException("the subscriber fell behind by more than "
            + maxPending + " changes (" + pending + " undelivered, " + batch.size()
            + " more committed); it was ended and its buffer dropped so that writers never wait"
            + " for it"));
        queue.clear();
        pending = 0;
        return;
      }
      queue.addLast(batch);
      pending += batch.size();
      lock.notifyAll();
    }
  }

  /** The database closed: deliver what is queued, then end. */
  void databaseClosed() {
    synchronized (lock) {
      dbClosed = true;
      lock.notifyAll();
    }
  }

  /** Ends the subscription (under {@code lock}); the first reason is kept. */
  private void end(Throwable why) {
    if (!ended) {
      ended = true;
      failure = why;
      active = false;
      owner.remove(this);
      lock.notifyAll();
    }
  }

  private void run() {
    while (true) {
      List<KeyValue> batch;
      synchronized (lock) {
        while (queue.isEmpty() && !ended && !dbClosed) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            // only this class could interrupt the thread, and it does not: keep waiting
          }
        }
        if (ended) {
          return;
        }
        if (queue.isEmpty()) { // and the database closed
          end(new DbClosedException("the database closed"));
          return;
        }
        batch = queue.pollFirst();
        pending -= batch.size();
      }
      try {
        callback.accept(batch);
      } catch (Throwable e) { // never dies silently: the failure ends only this subscription
        LOG.log(System.Logger.Level.WARNING, "a subscriber's callback failed; its subscription"
            + " ends (see Subscription.failure())", e);
        synchronized (lock) {
          end(e);
          queue.clear();
          pending = 0;
        }
        return;
      }
    }
  }

  @Override
  public void cancel() {
    synchronized (lock) {
      end(null);
      queue.clear();
      pending = 0;
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join(CANCEL_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the caller's interrupt: stop waiting, keep it
      }
    }
  }

  @Override
  public boolean isActive() {
    return active;
  }

  @Override
  public Throwable failure() {
    synchronized (lock) {
      return failure;
    }
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    return !thread.isAlive();
  }

  @Override
  public String toString() {
    return "Subscription[" + matches + (active ? ", active" : ", ended") + "]";
  }
}
