package io.promsuite.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.promsuite.exporter.common.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool between a real gateway going away and coming back. */
class SpoolDeliveryTest {

  private static final RetryPolicy SHORT =
      new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100), 2.0, Duration.ofMillis(300));

  @TempDir Path dir;
  RealPushgateway gateway;
  PushGatewayClientMetrics metrics = new PushGatewayClientMetrics();

  @BeforeEach
  void start() throws Exception {
    gateway = RealPushgateway.start(dir.resolve("gw"));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  private PushGateway client(String url) throws Exception {
    return PushGateway.builder(url).retryPolicy(SHORT).metrics(metrics).spool(dir.resolve("spool")).build();
  }

  private static PrometheusRegistry gauge(String name, double value) {
    PrometheusRegistry r = new PrometheusRegistry();
    Gauge.builder().name(name).register(r).set(value);
    return r;
  }

  @Test
  void putsToOneGroupAreCoalescedAndDeliveredOnceWithTheNewestValues() throws Exception {
    gateway.stop();
    GroupingKey g = GroupingKey.of("coalesce", Map.of("instance", "g"));
    GroupingKey h = GroupingKey.of("coalesce", Map.of("instance", "h"));
    try (PushGateway c = client(gateway.url())) {
      assertEquals(PushResult.SPOOLED, c.push(g, gauge("v", 1)));
      assertEquals(PushResult.SPOOLED, c.pushAdd(g, gauge("w", 2)));
      assertEquals(PushResult.SPOOLED, c.push(g, gauge("v", 3)));
      assertEquals(PushResult.SPOOLED, c.pushAdd(h, gauge("u", 4)));
      gateway.startAgain();
      FlushResult r = c.flush();
      assertEquals(new FlushResult(2, java.util.List.of(), 0, null), r);
    }
    JsonNode gg = gateway.group(Map.of("job", "coalesce", "instance", "g"));
    assertEquals("3", RealPushgateway.value(gg, "v"));
    assertTrue(gg.path("w").isMissingNode(), "the later PUT replaced the POST: " + gg);
    assertEquals("4", RealPushgateway.value(gateway.group(Map.of("job", "coalesce", "instance", "h")), "u"));
    assertEquals(1, gateway.pushRequests("200", "put"), "one PUT for three spooled pushes to g");
    assertEquals(1, gateway.pushRequests("200", "post"));
  }

  @Test
  void theNextPushSendsSpooledRequestsFirst() throws Exception {
    gateway.stop();
    GroupingKey key = GroupingKey.of("ordered");
    try (PushGateway c = client(gateway.url())) {
      assertEquals(PushResult.SPOOLED, c.pushAdd(key, gauge("ordered_a", 1)));
      assertEquals(PushResult.SPOOLED, c.pushAdd(key, gauge("ordered_a", 2)));
      gateway.startAgain();
      assertEquals(PushResult.SENT, c.pushAdd(key, gauge("ordered_b", 5)));
    }
    JsonNode g = gateway.group(Map.of("job", "ordered"));
    assertEquals("2", RealPushgateway.value(g, "ordered_a"), "spooled pushes arrived in order");
    assertEquals("5", RealPushgateway.value(g, "ordered_b"));
    assertEquals(3, gateway.pushRequests("200", "post"));
    try (var files = Files.list(dir.resolve("spool"))) {
      assertEquals(0, files.filter(f -> f.toString().endsWith(".push")).count());
    }
  }

  @Test
  void aSpooledRequestTheGatewayRefusesIsMovedAsideAndTheRestIsDelivered() throws Exception {
    PrometheusRegistry counter = new PrometheusRegistry();
    Counter.builder().name("refused").register(counter).inc();
    try (PushGateway c = client(gateway.url())) {
      c.push(GroupingKey.of("refused_a"), counter);
    }
    // Spooled while "the gateway" was unreachable: a gauge that clashes with the counter, then a good one.
    try (PushGateway nowhere = client("http://127.0.0.1:" + RealPushgateway.freePort())) {
      nowhere.push(GroupingKey.of("refused_b"), gauge("refused_total", 1));
      nowhere.push(GroupingKey.of("refused_c"), gauge("fine", 7));
    }
    try (PushGateway c = client(gateway.url())) {
      FlushResult r = c.flush();
      assertEquals(1, r.delivered());
      assertEquals(0, r.remaining());
      assertEquals(1, r.rejected().size());
      assertTrue(r.rejected().getFirst().contains("HTTP 400: pushed metrics are invalid or inconsistent"),
          r.rejected().getFirst());
    }
    JsonNode refused = gateway.group(Map.of("job", "refused_b"));
    assertTrue(refused.path("refused_total").isMissingNode(), "the refused gauge must not be there: " + refused);
    assertEquals(false, refused.path("last_push_successful").asBoolean(true));
    assertEquals("7", RealPushgateway.value(gateway.group(Map.of("job", "refused_c")), "fine"));
    try (var files = Files.list(dir.resolve("spool").resolve("rejected"))) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void selfMetricsOnARegistryCountPushesRetriesSpoolingAndDelivery() throws Exception {
    PrometheusRegistry self = new PrometheusRegistry();
    metrics.register(self);
    GroupingKey key = GroupingKey.of("self");
    try (PushGateway c = client(gateway.url())) {
      assertEquals(PushResult.SENT, c.push(key, gauge("self_a", 1)));
      gateway.stop();
      assertEquals(PushResult.SPOOLED, c.push(key, gauge("self_a", 2)));
      gateway.startAgain();
      assertEquals(1, c.flush().delivered());
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create().write(out, self.scrape());
    String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    for (String expected : new String[] {
        "pushgateway_client_pushes_total{method=\"PUT\",outcome=\"sent\"} 1.0",
        "pushgateway_client_pushes_total{method=\"PUT\",outcome=\"spooled\"} 1.0",
        "pushgateway_client_requests_total{code=\"200\"} 2.0",
        "pushgateway_client_spooled_total 1.0",
        "pushgateway_client_spool_delivered_total 1.0",
        "pushgateway_client_spool_entries 0.0"}) {
      assertTrue(text.contains(expected + "\n"), expected + " missing in\n" + text);
    }
    long failedAttempts = metrics.requests("none");
    assertTrue(failedAttempts >= 1 && metrics.retries() == failedAttempts - 1,
        "attempts while down: " + failedAttempts + ", retries: " + metrics.retries());
  }

  @Test
  void pastTheSpoolBoundAPushFailsWithBothReasons() throws Exception {
    gateway.stop();
    try (PushGateway c = PushGateway.builder(gateway.url()).retryPolicy(SHORT).metrics(metrics)
        .spool(dir.resolve("small-spool")).spoolMaxBytes(200).build()) {
      PrometheusRegistry big = new PrometheusRegistry();
      Gauge g = Gauge.builder().name("big").labelNames("i").register(big);
      for (int i = 0; i < 50; i++) {
        g.labelValues("value-" + i).set(i);
      }
      SpoolFullException e = org.junit.jupiter.api.Assertions.assertThrows(SpoolFullException.class,
          () -> c.push(GroupingKey.of("big"), big));
      assertTrue(e.getMessage().contains("past its bound of 200 bytes"), e.getMessage());
      assertTrue(e.getMessage().contains("The gateway: PUT /metrics/job/big"), e.getMessage());
      assertTrue(e.getCause() instanceof GatewayUnavailableException, String.valueOf(e.getCause()));
    }
    try (var files = Files.list(dir.resolve("small-spool"))) {
      assertEquals(0, files.filter(f -> f.toString().endsWith(".push")).count());
    }
  }

  @Test
  void anInterruptDuringRetriesSpoolsThePushAndKeepsTheInterrupt() throws Exception {
    gateway.stop();
    RetryPolicy patient = new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(1), 2.0, Duration.ofSeconds(120));
    try (PushGateway c = PushGateway.builder(gateway.url()).retryPolicy(patient).metrics(metrics)
        .spool(dir.resolve("spool")).build()) {
      java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
      java.util.concurrent.atomic.AtomicBoolean flagKept = new java.util.concurrent.atomic.AtomicBoolean();
      Thread job = Thread.ofPlatform().start(() -> {
        try {
          outcome.set(c.push(GroupingKey.of("interrupted"), gauge("interrupted_a", 1)));
        } catch (Exception e) {
          outcome.set(e);
        }
        flagKept.set(Thread.currentThread().isInterrupted());
      });
      Poll.until(Duration.ofSeconds(60), "the push's first attempt", () -> metrics.requests("none"), n -> n >= 1);
      job.interrupt();
      job.join(Duration.ofSeconds(60));
      assertEquals(PushResult.SPOOLED, outcome.get());
      assertTrue(flagKept.get(), "the caller still sees its interrupt");
    }
    try (var files = Files.list(dir.resolve("spool"))) {
      assertEquals(1, files.filter(f -> f.toString().endsWith(".push")).count());
    }
  }
}
