package io.promsuite.pushgateway;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often and how long a push is retried: exponential backoff with full jitter, bounded by a
 * total deadline for all attempts of one push.
 *
 * <p>Which failures are retried is fixed (connection errors, timeouts, 429 and 5xx); other 4xx
 * answers are never retried because sending the same body again cannot change the answer.
 *
 * @param initialBackoff the upper bound of the first wait
 * @param maxBackoff the upper bound of any single wait
 * @param multiplier how much the bound grows after each failed attempt
 * @param deadline the time after which no new attempt is started
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, double multiplier, Duration deadline) {

  /** 100 ms doubling to at most 5 s between attempts, 30 s in all. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, Duration.ofSeconds(30));

  /** One attempt only. */
  public static final RetryPolicy NONE =
      new RetryPolicy(Duration.ZERO, Duration.ZERO, 1.0, Duration.ZERO);

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(deadline, "deadline");
    if (initialBackoff.isNegative() || maxBackoff.isNegative() || deadline.isNegative()) {
      throw new IllegalArgumentException("retry durations must not be negative");
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("retry multiplier must be >= 1, got " + multiplier);
    }
  }

  /** This policy with another total deadline. */
  public RetryPolicy withDeadline(Duration newDeadline) {
    return new RetryPolicy(initialBackoff, maxBackoff, multiplier, newDeadline);
  }

  /**
   * The wait before retry number {@code retry} (1 for the first retry): a uniformly random time
   * between zero and the exponential bound, so that many jobs failing together do not retry in step.
   */
  public Duration backoff(int retry, RandomGenerator random) {
    double bound = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, retry - 1));
    long capped = (long) Math.min(bound, maxBackoff.toNanos());
    return capped <= 0 ? Duration.ZERO : Duration.ofNanos(random.nextLong(capped + 1));
  }

  /** Whether an HTTP status is worth another attempt: 429 and every 5xx. */
  public static boolean isRetryable(int status) {
    return status == 429 || status >= 500;
  }
}
