package io.promsuite.exporter.common.testing;

import io.promsuite.exporter.common.collect.BackgroundRefresh;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link BackgroundRefresh.Scheduler} on a clock the test moves: nothing runs until the test
 * calls {@link #runDue} or {@link #advance}, and then on the test's thread, in time order.
 */
public final class ManualScheduler implements BackgroundRefresh.Scheduler {
  private record Job(long at, long seq, Runnable run) {}

  private final PriorityQueue<Job> jobs =
      new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long now;
  private long seq;
  private boolean closed;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Runnable schedule(Runnable run, long delayNanos) {
    Job job = new Job(now + delayNanos, seq++, run);
    if (!closed) {
      jobs.add(job);
    }
    return () -> {
      synchronized (this) {
        jobs.remove(job);
      }
    };
  }

  /** Runs what is due now, including what those runs schedule for now. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** Moves the clock forward by {@code d}, running each job at its time on the way. */
  public void advance(Duration d) {
    long until;
    synchronized (this) {
      until = now + d.toNanos();
    }
    while (true) {
      Job next;
      synchronized (this) {
        next = jobs.peek();
        if (next == null || next.at > until) {
          now = Math.max(now, until);
          return;
        }
        jobs.poll();
        now = Math.max(now, next.at);
      }
      next.run.run();
    }
  }

  /** Moves the clock forward without running anything (time a run takes). */
  public synchronized void pass(Duration d) {
    now += d.toNanos();
  }

  /** How long until the next job, or null when none is pending. */
  public synchronized Duration nextIn() {
    Job next = jobs.peek();
    return next == null ? null : Duration.ofNanos(Math.max(0, next.at - now));
  }

  @Override
  public synchronized void close() {
    closed = true;
    jobs.clear();
  }
}
