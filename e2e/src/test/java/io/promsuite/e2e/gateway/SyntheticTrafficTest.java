package io.promsuite.e2e.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import org.junit.jupiter.api.Test;

class SyntheticTrafficTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests = Counter.builder().name("http_requests_total").labelNames("status", "method", "path").register(registry);
  private final Histogram latency = Histogram.builder().name("http_request_duration_seconds")
      .classicUpperBounds(0.25, 1, 10).labelNames("method", "path").register(registry);

  private double count(String statusPrefix) {
    return ((CounterSnapshot) registry.scrape().stream().filter(s -> s.getMetadata().getName().equals("http_requests")).findFirst().orElseThrow())
        .getDataPoints().stream().filter(d -> d.getLabels().get("status").startsWith(statusPrefix))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }

  @Test
  void failuresAreWithinOneOfTheRatioOverAnyRun() {
    SyntheticTraffic t = new SyntheticTraffic(requests, latency, 100, 0.004);
    for (int i = 1; i <= 50; i++) {
      t.serve(37);
      long n = 37L * i;
      assertTrue(Math.abs(t.failed() - n * 0.004) <= 1, "after " + n + " requests: " + t.failed() + " failed");
    }
    assertEquals(1850, count("2") + count("5"));
    assertEquals(t.failed(), count("5"));
  }

  @Test
  void changingTheRatioAtRunTimeTakesEffectForTheNextRequests() {
    SyntheticTraffic t = new SyntheticTraffic(requests, latency, 100, 0);
    t.serve(1000);
    assertEquals(0, count("5"));
    t.setErrorRatio(1);
    t.serve(500);
    assertEquals(500, count("5"));
    t.setErrorRatio(0.5);
    t.serve(1000);
    assertEquals(1000, count("5"));
    assertEquals(1500, count("2"));
  }

  @Test
  void failuresAreSlowAndSuccessesFastInTheHistogram() {
    SyntheticTraffic t = new SyntheticTraffic(requests, latency, 100, 0.5);
    t.serve(200);
    HistogramSnapshot h = (HistogramSnapshot) registry.scrape().stream()
        .filter(s -> s.getMetadata().getName().equals("http_request_duration_seconds")).findFirst().orElseThrow();
    long fast = 0;
    long total = 0;
    for (HistogramSnapshot.HistogramDataPointSnapshot d : h.getDataPoints()) {
      fast += d.getClassicBuckets().getCount(0);
      total += d.getCount();
    }
    assertEquals(200, total);
    assertEquals(100, fast, "successes are all under 250 ms, failures all over 1 s");
  }

  @Test
  void rejectsRatiosOutsideZeroToOne() {
    SyntheticTraffic t = new SyntheticTraffic(requests, latency, 100, 0);
    assertEquals("error ratio must be between 0 and 1, got 1.5",
        assertThrows(IllegalArgumentException.class, () -> t.setErrorRatio(1.5)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> t.setErrorRatio(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> t.setRate(-1));
  }

  @Test
  void theLoopServesTheConfiguredRateWhateverTheTickLengths() {
    SyntheticTraffic t = new SyntheticTraffic(requests, latency, 250, 0);
    TrafficLoop loop = new TrafficLoop(t, System::nanoTime);
    long[] ticks = {3_000_000, 17_000_000, 250_000_000, 1_000_000, 729_000_000};  // 1 s in all
    for (long tick : ticks) {
      loop.advance(tick);
    }
    assertEquals(250, t.served());
  }
}
