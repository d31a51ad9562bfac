package io.promsuite.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void backoffIsJitteredBelowAnExponentialBoundCappedAtTheMaximum() {
    RetryPolicy p = new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(1000), 2.0, Duration.ofSeconds(30));
    Random random = new Random(42);
    long max1 = 0;
    long max5 = 0;
    long min5 = Long.MAX_VALUE;
    for (int i = 0; i < 2000; i++) {
      max1 = Math.max(max1, p.backoff(1, random).toMillis());
      long w = p.backoff(5, random).toMillis();
      max5 = Math.max(max5, w);
      min5 = Math.min(min5, w);
    }
    assertTrue(max1 <= 100 && max1 >= 90, "first retry waits up to 100 ms, got max " + max1);
    assertTrue(max5 <= 1000 && max5 >= 950, "5th retry is capped at 1000 ms, got max " + max5);
    assertTrue(min5 < 100, "waits are jittered down to near zero, got min " + min5);
  }

  @Test
  void only429And5xxAreRetryable() {
    assertTrue(RetryPolicy.isRetryable(429));
    assertTrue(RetryPolicy.isRetryable(503));
    assertTrue(RetryPolicy.isRetryable(500));
    assertFalse(RetryPolicy.isRetryable(400));
    assertFalse(RetryPolicy.isRetryable(404));
    assertFalse(RetryPolicy.isRetryable(401));
    assertEquals(Duration.ZERO, RetryPolicy.NONE.deadline());
  }
}
