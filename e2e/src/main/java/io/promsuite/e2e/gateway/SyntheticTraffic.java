package io.promsuite.e2e.gateway;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The requests the demo gateway pretends to serve: a fixed rate, spread over a few endpoints, of
 * which an exact share fails. Errors are assigned deterministically (every request adds the error
 * ratio to an accumulator; a request fails when it reaches 1), so over any n requests the number
 * of failures is within one of n times the ratio, and the SLO series can be checked against it.
 */
public final class SyntheticTraffic {
  /** One endpoint of the demo API and its share of the traffic (weights add up to the mix). */
  record Endpoint(String method, String path, int weight) {}

  static final List<Endpoint> MIX = List.of(
      new Endpoint("POST", "/v1/models/resnet50:predict", 6),
      new Endpoint("POST", "/v1/models/bert-base:predict", 3),
      new Endpoint("GET", "/v1/models", 1));

  private final Counter requests;
  private final Histogram latency;
  private final SplittableRandom random = new SplittableRandom(42);
  private volatile double errorRatio;
  private volatile double rate;
  private double errorDebt;
  private long served;
  private long failed;
  private long next;

  SyntheticTraffic(Counter requests, Histogram latency, double rate, double errorRatio) {
    this.requests = requests;
    this.latency = latency;
    setRate(rate);
    setErrorRatio(errorRatio);
  }

  public double errorRatio() {
    return errorRatio;
  }

  public double rate() {
    return rate;
  }

  /** Changes the share of failing requests from the next request on; 0 heals, 1 is a full outage. */
  public void setErrorRatio(double ratio) {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException("error ratio must be between 0 and 1, got " + ratio);
    }
    this.errorRatio = ratio;
  }

  /** Changes the request rate (requests per second); 0 stops the traffic. */
  public void setRate(double perSecond) {
    if (!(perSecond >= 0 && perSecond <= 1_000_000)) {
      throw new IllegalArgumentException("rate must be between 0 and 1000000 requests per second, got " + perSecond);
    }
    this.rate = perSecond;
  }

  /** Serves {@code count} synthetic requests now. */
  public synchronized void serve(long count) {
    for (long i = 0; i < count; i++) {
      Endpoint e = pick();
      errorDebt += errorRatio;
      boolean error = errorDebt >= 1;
      if (error) {
        errorDebt -= 1;
        failed++;
      }
      served++;
      // Failures alternate between a crashed backend (500) and an overloaded one (503).
      String status = error ? (failed % 2 == 0 ? "503" : "500") : "200";
      requests.labelValues(status, e.method(), e.path()).inc();
      latency.labelValues(e.method(), e.path()).observe(latencySeconds(error));
    }
  }

  public synchronized long served() {
    return served;
  }

  public synchronized long failed() {
    return failed;
  }

  private Endpoint pick() {
    int total = MIX.stream().mapToInt(Endpoint::weight).sum();
    int slot = (int) (next++ % total);
    for (Endpoint e : MIX) {
      if (slot < e.weight()) {
        return e;
      }
      slot -= e.weight();
    }
    throw new IllegalStateException("unreachable");
  }

  /** Successes take ~20-120 ms; failures are timeouts of 1-2 s, as a sick backend's would be. */
  private double latencySeconds(boolean error) {
    return error ? 1.05 + random.nextDouble() : 0.02 + 0.1 * random.nextDouble() * random.nextDouble();
  }
}
