package io.promsuite.exporter.container;

import io.promsuite.exporter.common.log.Logging;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the catalog's Docker event stream open: every event, and every opening, asks for a relist
 * (what changed while not following is picked up); a stream that ends (daemon stopped or
 * restarted) asks for a relist and to be reopened after a backoff that doubles from 0.5 s up to
 * the resync interval, back to 0.5 s once a stream stayed up 10 s. No thread waits on the stream.
 */
final class EventFollower implements Closeable {
  private static final Logger LOG = Logger.getLogger(ContainerCatalog.class.getName());
  private static final long FIRST_BACKOFF_MILLIS = 500;

  private final ContainerCatalog.Events events;
  private final long maxBackoffMillis;
  private final Runnable relist;
  private final Consumer<Duration> reopenAfter;
  private final LongSupplier nanoTime;
  /** The stream followed now, or null; replaced when it ends. */
  private volatile Stream stream;
  private long backoffMillis = FIRST_BACKOFF_MILLIS;

  /** One opening of the stream. */
  private static final class Stream {
    final long openedNanos;
    volatile Closeable handle;
    volatile boolean ended;

    Stream(long openedNanos) {
      this.openedNanos = openedNanos;
    }
  }

  /**
   * @param reopenAfter asks for {@link #follow} to be run again after the given delay
   * @param nanoTime the clock the backoff is measured on
   */
  EventFollower(ContainerCatalog.Events events, Duration maxBackoff, Runnable relist, Consumer<Duration> reopenAfter,
      LongSupplier nanoTime) {
    this.events = events;
    this.maxBackoffMillis = Math.max(FIRST_BACKOFF_MILLIS, maxBackoff.toMillis());
    this.relist = relist;
    this.reopenAfter = reopenAfter;
    this.nanoTime = nanoTime;
  }

  /** Opens the stream unless it is open; false when it could not be opened. */
  boolean follow() {
    Stream s = stream;
    if (s != null && !s.ended) {
      return true;
    }
    Stream next = new Stream(nanoTime.getAsLong());
    stream = next;
    try {
      next.handle = events.follow(relist, t -> ended(next));
    } catch (RuntimeException e) {
      Logging.log(LOG, Level.FINE, "docker events stream failed", "err", e.getMessage());
      ended(next);
      return false;
    }
    synchronized (next) {
      if (next.ended) {
        closeQuietly(next.handle); // it ended before follow() returned
      }
    }
    relist.run();
    return true;
  }

  private void ended(Stream s) {
    long backoff;
    synchronized (s) {
      if (s.ended) {
        return;
      }
      s.ended = true;
      closeQuietly(s.handle);
    }
    synchronized (this) {
      if (nanoTime.getAsLong() - s.openedNanos > TimeUnit.SECONDS.toNanos(10)) {
        backoffMillis = FIRST_BACKOFF_MILLIS; // it was up a while: not a daemon in trouble
      }
      backoff = backoffMillis;
      backoffMillis = Math.min(backoffMillis * 2, maxBackoffMillis);
    }
    relist.run();
    reopenAfter.accept(Duration.ofMillis(backoff));
  }

  @Override
  public void close() {
    Stream s = stream;
    if (s != null) {
      closeQuietly(s.handle);
    }
  }

  private static void closeQuietly(Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      Logging.log(LOG, Level.FINE, "closing the docker events stream failed", "err", e.getMessage());
    }
  }
}
