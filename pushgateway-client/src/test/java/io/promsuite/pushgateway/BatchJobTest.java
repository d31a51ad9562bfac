package io.promsuite.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchJobTest extends SharedGatewayTest {

  /** A clock that returns the given instants in turn: start, then close. */
  private static InstantSource clock(String... instants) {
    Deque<Instant> q = new ArrayDeque<>(List.of(instants).stream().map(Instant::parse).toList());
    return q::removeFirst;
  }

  @Test
  void successPushesDurationLastSuccessAndTheJobsMetricsThenAFailureKeepsTheLastSuccess() throws Exception {
    GroupingKey key = GroupingKey.of("nightly-etl", Map.of("instance", "db1"));
    Map<String, String> labels = Map.of("job", "nightly-etl", "instance", "db1");
    try (PushGateway gw = PushGateway.builder(gateway.url()).build()) {
      PrometheusRegistry registry = new PrometheusRegistry();
      try (BatchJob job = BatchJob.start(gw, key, registry,
          clock("2026-01-01T00:00:00Z", "2026-01-01T00:00:12.5Z"))) {
        Counter.builder().name("etl_rows").register(job.registry()).inc(1200);
        job.succeeded();
      }
      JsonNode g = gateway.group(labels);
      assertEquals("12.5", RealPushgateway.value(g, "nightly_etl_duration_seconds"));
      assertEquals("1.7672256125e+09", RealPushgateway.value(g, "nightly_etl_last_success_timestamp_seconds"));
      assertEquals("1200", RealPushgateway.value(g, "etl_rows_total"));

      RuntimeException boom = assertThrows(IllegalStateException.class, () -> {
        try (BatchJob job = BatchJob.start(gw, key, new PrometheusRegistry(),
            clock("2026-01-02T00:00:00Z", "2026-01-02T00:00:03Z"))) {
          try {
            Counter.builder().name("etl_rows").register(job.registry()).inc(5);
            throw new IllegalStateException("source table missing");
          } catch (RuntimeException e) {
            job.failed(e);
            throw e;
          }
        }
      });
      assertEquals("source table missing", boom.getMessage());
      g = gateway.group(labels);
      assertEquals("3", RealPushgateway.value(g, "nightly_etl_duration_seconds"));
      assertEquals("5", RealPushgateway.value(g, "etl_rows_total"));
      JsonNode failure = g.path("nightly_etl_last_failure_timestamp_seconds").path("metrics").get(0);
      assertEquals("java.lang.IllegalStateException", failure.path("labels").path("exception").asText());
      assertEquals("1.767312003e+09", failure.path("value").asText());
      assertEquals("1.7672256125e+09", RealPushgateway.value(g, "nightly_etl_last_success_timestamp_seconds"),
          "a failed run keeps the last success visible");
    }
  }

  @Test
  void aJobClosedWithoutAVerdictCountsAsUnfinished() throws Exception {
    try (PushGateway gw = PushGateway.builder(gateway.url()).build()) {
      try (BatchJob job = BatchJob.start(gw, GroupingKey.of("7th-job"))) {
        assertTrue(job.registry().scrape().size() == 0);
      }
    }
    JsonNode failure = gateway.group(Map.of("job", "7th-job"))
        .path("_7th_job_last_failure_timestamp_seconds").path("metrics").get(0);
    assertEquals("unfinished", failure.path("labels").path("exception").asText());
  }
}
