package io.promsuite.pushgateway;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.random.RandomGenerator;

/** Sends a request, retrying per the {@link RetryPolicy} until it is accepted, refused or out of time. */
final class RetryingSender {

  private final HttpTransport transport;
  private final RetryPolicy policy;
  private final PushGatewayClientMetrics metrics;
  private final RandomGenerator random;

  RetryingSender(HttpTransport transport, RetryPolicy policy, PushGatewayClientMetrics metrics,
      RandomGenerator random) {
    this.transport = transport;
    this.policy = policy;
    this.metrics = metrics;
    this.random = random;
  }

  /**
   * Sends until a 2xx.
   *
   * @throws PushRejectedException on a 4xx other than 429, at once
   * @throws GatewayUnavailableException when the deadline passes without success, or the thread is
   *     interrupted (the cause is then an {@link InterruptedException} and the flag is cleared)
   */
  void send(PushRequest request) throws PushException {
    long start = System.nanoTime();
    long deadline = start + policy.deadline().toNanos();
    String target = request.describe() + " to " + transport.uri(request.path());
    int attempts = 0;
    String lastFailure = "";
    Throwable lastCause = null;
    while (true) {
      attempts++;
      if (attempts > 1) {
        metrics.retried();
      }
      long remaining = deadline - System.nanoTime();
      // Attempts are capped by the deadline (the transport caps them by the request timeout too),
      // but the one made at the deadline still gets a second; a lone attempt gets the request timeout.
      Duration timeout = attempts == 1 && remaining <= 0 ? Duration.ofDays(1)
          : Duration.ofNanos(Math.max(remaining, Duration.ofSeconds(1).toNanos()));
      HttpTransport.Response response;
      try {
        response = transport.send(request, timeout);
      } catch (HttpTimeoutException e) {
        response = null;
        lastFailure = "timed out: " + e.getMessage();
        lastCause = e;
      } catch (IOException e) {
        if (Thread.interrupted()) {
          // An interrupt closes a virtual thread's socket. Treated like an outage so the caller can
          // still spool; the caller restores the interrupt flag.
          InterruptedException cause = new InterruptedException("interrupted during " + target);
          cause.initCause(e);
          throw new GatewayUnavailableException(target + " was interrupted after " + attempts + " attempt(s)",
              attempts, cause);
        }
        response = null;
        lastFailure = "connection failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        lastCause = e;
      }
      metrics.answered(response == null ? 0 : response.status());
      if (response != null) {
        if (response.status() / 100 == 2) {
          return;
        }
        if (!RetryPolicy.isRetryable(response.status())) {
          throw new PushRejectedException(target, response.status(), response.body());
        }
        lastFailure = "HTTP " + response.status() + (response.body().isEmpty() ? "" : ": " + response.body());
        lastCause = null;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new GatewayUnavailableException(target + " failed after " + attempts + " attempt(s) in "
            + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (retry deadline "
            + policy.deadline().toMillis() + " ms); last: " + lastFailure, attempts, lastCause);
      }
      // The last wait is cut short so that one more attempt is made right at the deadline.
      Duration wait = policy.backoff(attempts, random);
      wait = wait.toNanos() > left ? Duration.ofNanos(left) : wait;
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        throw new GatewayUnavailableException(target + " was interrupted after " + attempts + " attempt(s); last: "
            + lastFailure, attempts, e);
      }
    }
  }
}
