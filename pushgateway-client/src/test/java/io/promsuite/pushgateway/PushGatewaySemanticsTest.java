package io.promsuite.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** push, pushAdd and delete as the real Pushgateway sees them. */
class PushGatewaySemanticsTest extends SharedGatewayTest {

  private static PushGateway client(Format format) throws Exception {
    return PushGateway.builder(gateway.url()).format(format).retryPolicy(RetryPolicy.NONE).build();
  }

  private static PrometheusRegistry registry(String prefix, double a, Double b) {
    PrometheusRegistry r = new PrometheusRegistry();
    Gauge.builder().name(prefix + "_a").help("a").register(r).set(a);
    if (b != null) {
      Counter.builder().name(prefix + "_b").help("b").register(r).inc(b);
    }
    return r;
  }

  @Test
  void pushReplacesTheWholeGroup() throws Exception {
    GroupingKey key = GroupingKey.of("semantics_put", Map.of("instance", "i1"));
    try (PushGateway c = client(Format.PROMETHEUS_PROTOBUF)) {
      assertEquals(PushResult.SENT, c.push(key, registry("put", 1.5, 7.0)));
      JsonNode g = gateway.group(Map.of("job", "semantics_put", "instance", "i1"));
      assertEquals("1.5", RealPushgateway.value(g, "put_a"));
      assertEquals("7", RealPushgateway.value(g, "put_b_total"));

      c.push(key, registry("put", 2.5, null));
      g = gateway.group(Map.of("job", "semantics_put", "instance", "i1"));
      assertEquals("2.5", RealPushgateway.value(g, "put_a"));
      assertTrue(g.path("put_b_total").isMissingNode(), "PUT must drop metrics not pushed again: " + g);
    }
  }

  @Test
  void pushAddReplacesOnlyMetricsWithTheSameNames() throws Exception {
    GroupingKey key = GroupingKey.of("semantics_post");
    try (PushGateway c = client(Format.PROMETHEUS_TEXT)) {
      c.push(key, registry("post", 1, 3.0));
      assertEquals(PushResult.SENT, c.pushAdd(key, registry("post", 9, null)));
      JsonNode g = gateway.group(Map.of("job", "semantics_post"));
      assertEquals("9", RealPushgateway.value(g, "post_a"));
      assertEquals("3", RealPushgateway.value(g, "post_b_total"), "POST keeps metrics it does not name");
    }
  }

  @Test
  void deleteRemovesTheGroup() throws Exception {
    GroupingKey key = GroupingKey.of("semantics_delete", Map.of("shard", "7"));
    try (PushGateway c = client(Format.PROMETHEUS_PROTOBUF)) {
      c.push(key, registry("del", 1, null));
      assertNotNull(gateway.group(Map.of("job", "semantics_delete", "shard", "7")));
      assertEquals(PushResult.SENT, c.delete(key));
      assertNull(gateway.group(Map.of("job", "semantics_delete", "shard", "7")));
    }
  }

  @Test
  void groupingValuesWithSlashEmptyDotAndNonAsciiArriveVerbatim() throws Exception {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("path", "/var/tmp/x y");
    labels.put("empty", "");
    labels.put("city", "Zürich été 東京");
    labels.put("dot", ".");
    labels.put("odd", "a+b%c?d#e&f=g");
    GroupingKey key = GroupingKey.of("job/with/slash", labels);
    try (PushGateway c = client(Format.PROMETHEUS_PROTOBUF)) {
      c.push(key, registry("enc", 4, null));
    }
    Map<String, String> expected = new LinkedHashMap<>(labels);
    expected.put("job", "job/with/slash");
    JsonNode g = gateway.group(expected);
    assertNotNull(g, "no group with labels " + expected + " in " + gateway.groups());
    assertEquals("4", RealPushgateway.value(g, "enc_a"));
  }

  @Test
  void gatewaySetsPushTimeSecondsOnEachPush() throws Exception {
    GroupingKey key = GroupingKey.of("semantics_time");
    double before = System.currentTimeMillis() / 1000.0;
    try (PushGateway c = client(Format.PROMETHEUS_PROTOBUF)) {
      c.push(key, registry("time", 1, null));
    }
    double after = System.currentTimeMillis() / 1000.0;
    JsonNode g = gateway.group(Map.of("job", "semantics_time"));
    double pushTime = Double.parseDouble(RealPushgateway.value(g, "push_time_seconds"));
    assertTrue(pushTime >= before - 1 && pushTime <= after + 1, pushTime + " not in [" + before + ", " + after + "]");
    assertEquals("0", RealPushgateway.value(g, "push_failure_time_seconds"));
    String text = gateway.get("/metrics").body();
    assertTrue(text.contains("time_a{instance=\"\",job=\"semantics_time\"} 1"), text);
  }

  @Test
  void inconsistentTypesAreRejectedAtOnceWithTheGatewaysMessage() throws Exception {
    PushGatewayClientMetrics metrics = new PushGatewayClientMetrics();
    Path spool = dir.resolve("spool-400");
    try (PushGateway c = PushGateway.builder(gateway.url()).metrics(metrics).spool(spool).build()) {
      PrometheusRegistry counter = new PrometheusRegistry();
      Counter.builder().name("clash").register(counter).inc();
      c.push(GroupingKey.of("clash_a"), counter);
      long rejectedBefore = gateway.pushRequests("400", "put");

      // Same name, other type, other group: the gateway refuses the whole push.
      PrometheusRegistry gauge = new PrometheusRegistry();
      Gauge.builder().name("clash_total").register(gauge).set(1);
      PushRejectedException e = assertThrows(PushRejectedException.class, () -> c.push(GroupingKey.of("clash_b"), gauge));

      assertEquals(400, e.status());
      assertTrue(e.gatewayMessage().startsWith("pushed metrics are invalid or inconsistent with existing metrics"),
          e.gatewayMessage());
      assertTrue(e.gatewayMessage().contains("clash_total"), e.gatewayMessage());
      assertTrue(e.getMessage().contains("PUT /metrics/job/clash_b"), e.getMessage());
      assertEquals(1, gateway.pushRequests("400", "put") - rejectedBefore, "a 400 is sent once, never retried");
      assertEquals(1, metrics.requests("400"));
      assertEquals(0, metrics.retries());
      try (var files = Files.list(spool)) {
        assertEquals(0, files.filter(f -> f.toString().endsWith(".push")).count(), "a rejected push is not spooled");
      }
    }
  }
}
