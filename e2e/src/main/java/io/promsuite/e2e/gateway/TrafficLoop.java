package io.promsuite.e2e.gateway;

import java.util.function.LongSupplier;

/**
 * Drives {@link SyntheticTraffic} at its configured rate: every tick it serves the requests that
 * are due since the last tick, so the long-run rate is exact however late the ticks come.
 */
final class TrafficLoop implements AutoCloseable {
  private static final long TICK_MILLIS = 10;
  private final SyntheticTraffic traffic;
  private final LongSupplier nanoTime;
  private final Thread thread;
  private volatile boolean running = true;
  private double due;

  TrafficLoop(SyntheticTraffic traffic, LongSupplier nanoTime) {
    this.traffic = traffic;
    this.nanoTime = nanoTime;
    this.thread = Thread.ofVirtual().name("synthetic-traffic").unstarted(this::loop);
  }

  TrafficLoop start() {
    thread.start();
    return this;
  }

  /** Serves what is due after {@code elapsedNanos} more nanoseconds; the loop's one step. */
  void advance(long elapsedNanos) {
    due += traffic.rate() * elapsedNanos / 1e9;
    long n = (long) due;
    if (n > 0) {
      traffic.serve(n);
      due -= n;
    }
  }

  private void loop() {
    long last = nanoTime.getAsLong();
    while (running) {
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      long now = nanoTime.getAsLong();
      advance(now - last);
      last = now;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
