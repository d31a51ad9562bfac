package io.promsuite.exporter.blackbox.prober;

import java.time.Duration;

/** When a probe must be finished, on the monotonic clock. */
public record Deadline(long nanoTime) {
  public static Deadline after(Duration d) {
    return new Deadline(System.nanoTime() + d.toNanos());
  }

  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, nanoTime - System.nanoTime()));
  }

  /** Remaining milliseconds, at least 1 (0 means "no timeout" to socket APIs). */
  public int remainingMillis() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining().toMillis()));
  }

  public boolean expired() {
    return System.nanoTime() >= nanoTime;
  }
}
