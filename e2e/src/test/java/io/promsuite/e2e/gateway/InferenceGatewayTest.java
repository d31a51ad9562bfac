package io.promsuite.e2e.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Poll;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InferenceGatewayTest {
  private static Exporter.Running gateway;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    gateway = InferenceGateway.builder().start("--web.listen-address=127.0.0.1:0", "--traffic.rate=2000",
        "--traffic.error-ratio=0", "--log.level=warn");
    base = "http://127.0.0.1:" + gateway.port();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static double sum(String metrics, String statusRegex) {
    Matcher m = Pattern.compile("(?m)^http_requests_total\\{([^}]*)} (\\S+)$").matcher(metrics);
    double total = 0;
    while (m.find()) {
      Matcher status = Pattern.compile("status=\"([^\"]*)\"").matcher(m.group(1));
      if (status.find() && status.group(1).matches(statusRegex)) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return total;
  }

  private static void awaitRequests(double atLeast) {
    Poll.until(Duration.ofSeconds(20), atLeast + " requests served by the traffic loop",
        () -> sum(Http.get(base + "/metrics").body(), ".*"), n -> n >= atLeast);
  }

  @Test
  void servesHealthReadinessAndTheRequestMetrics() throws Exception {
    assertEquals(200, Http.get(base + "/health").statusCode());
    assertEquals(200, Http.get(base + "/ready").statusCode());
    awaitRequests(10);
    String metrics = Http.get(base + "/metrics").body();
    assertTrue(metrics.contains("# TYPE http_requests_total counter"), metrics);
    assertTrue(metrics.contains("http_requests_total{method=\"POST\",path=\"/v1/models/resnet50:predict\",status=\"200\"}"), metrics);
    assertTrue(metrics.contains("# TYPE http_request_duration_seconds histogram"), metrics);
    assertTrue(metrics.contains("http_request_duration_seconds_bucket{method=\"GET\",path=\"/v1/models\",le=\"0.25\"}"), metrics);
  }

  @Test
  void anOutageInjectedThroughTheAdminEndpointFailsRequestsUntilHealed() throws Exception {
    HttpResponse<String> set = Http.post(base + "/admin/error-ratio?value=1", "");
    assertEquals(200, set.statusCode(), set.body());
    assertEquals("error ratio set to 1.0\n", set.body());
    double errorsBefore = sum(Http.get(base + "/metrics").body(), "5..");
    double before = sum(Http.get(base + "/metrics").body(), ".*");
    awaitRequests(before + 200);
    double errorsDuring = sum(Http.get(base + "/metrics").body(), "5..");
    assertTrue(errorsDuring - errorsBefore >= 200, "errors grew by " + (errorsDuring - errorsBefore));
    assertTrue(Http.get(base + "/metrics").body().contains("inference_gateway_error_ratio 1\n"),
        "integral values are written as the Go exporters write them");

    assertEquals(200, Http.post(base + "/admin/error-ratio?value=0", "").statusCode());
    assertEquals("0.0\n", Http.get(base + "/admin/error-ratio").body());
    double errorsHealed = sum(Http.get(base + "/metrics").body(), "5..");
    awaitRequests(sum(Http.get(base + "/metrics").body(), ".*") + 200);
    // At most the requests of one tick in flight when the ratio changed still fail.
    assertTrue(sum(Http.get(base + "/metrics").body(), "5..") - errorsHealed <= 100);
  }

  @Test
  void badAdminValuesAreRefusedWithTheReason() throws Exception {
    HttpResponse<String> r = Http.post(base + "/admin/error-ratio?value=2", "");
    assertEquals(400, r.statusCode());
    assertEquals("query parameter value: error ratio must be between 0 and 1, got 2.0\n", r.body());
    r = Http.post(base + "/admin/rate?value=lots", "");
    assertEquals(400, r.statusCode());
    assertEquals("query parameter value: 'lots' is not a number\n", r.body());
    assertEquals(400, Http.post(base + "/admin/error-ratio", "").statusCode());
    assertEquals(404, Http.get(base + "/admin/nothing").statusCode());
  }
}
