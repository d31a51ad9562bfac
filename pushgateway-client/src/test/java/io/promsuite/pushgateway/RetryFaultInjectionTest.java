package io.promsuite.pushgateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Answers a real gateway cannot be made to give (429, 503 sequences, hangs), from WireMock. */
class RetryFaultInjectionTest {

  private static final String PATH = "/metrics/job/faulty";
  private static final RetryPolicy FAST =
      new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(50), 2.0, Duration.ofSeconds(20));

  @TempDir Path dir;
  WireMockServer server;
  PushGatewayClientMetrics metrics;

  @BeforeEach
  void start() throws Exception {
    server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    metrics = new PushGatewayClientMetrics();
    // WireMock's first answer can take seconds on a loaded machine; pay for it outside the tests.
    try (var c = java.net.http.HttpClient.newHttpClient()) {
      c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/warm-up")).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
    }
    server.resetRequests();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private PushGateway.Builder client() {
    return PushGateway.builder(server.baseUrl()).metrics(metrics).retryPolicy(FAST).random(new Random(1));
  }

  private static PrometheusRegistry registry() {
    PrometheusRegistry r = new PrometheusRegistry();
    Gauge.builder().name("faulty_value").register(r).set(3);
    return r;
  }

  private void sequence(int... statuses) {
    for (int i = 0; i < statuses.length; i++) {
      server.stubFor(put(urlEqualTo(PATH)).inScenario("seq")
          .whenScenarioStateIs(i == 0 ? STARTED : "s" + i)
          .willSetStateTo("s" + (i + 1))
          .willReturn(aResponse().withStatus(statuses[i]).withBody("status " + statuses[i])));
    }
  }

  @Test
  void serviceUnavailableAndTooManyRequestsAreRetriedUntilAccepted() throws Exception {
    sequence(503, 429, 502, 200);
    try (PushGateway c = client().build()) {
      assertEquals(PushResult.SENT, c.push(GroupingKey.of("faulty"), registry()));
    }
    server.verify(4, putRequestedFor(urlEqualTo(PATH)));
    assertEquals(3, metrics.retries());
    assertEquals(1, metrics.requests("429"));
    assertEquals(1, metrics.requests("200"));
  }

  @Test
  void otherClientErrorsAreRaisedAtOnce() throws Exception {
    for (int status : new int[] {400, 401, 404, 409}) {
      server.resetAll();
      sequence(status, 200);
      try (PushGateway c = client().spool(dir.resolve("s" + status)).build()) {
        PushRejectedException e = assertThrows(PushRejectedException.class,
            () -> c.push(GroupingKey.of("faulty"), registry()));
        assertEquals(status, e.status());
        assertEquals("status " + status, e.gatewayMessage());
      }
      server.verify(1, putRequestedFor(urlEqualTo(PATH)));
    }
    assertEquals(0, metrics.retries());
  }

  @Test
  void persistentServerErrorsGiveUpAtTheDeadlineWithTheLastAnswer() throws Exception {
    server.stubFor(any(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503).withBody("maintenance")));
    RetryPolicy shortDeadline = FAST.withDeadline(Duration.ofSeconds(5));
    try (PushGateway c = client().retryPolicy(shortDeadline).build()) {
      GatewayUnavailableException e = assertThrows(GatewayUnavailableException.class,
          () -> c.push(GroupingKey.of("faulty"), registry()));
      assertTrue(e.attempts() > 2, "attempts: " + e.attempts());
      assertTrue(e.getMessage().contains("HTTP 503: maintenance"), e.getMessage());
      assertEquals(e.attempts(), server.findAll(anyRequestedFor(urlEqualTo(PATH))).size());
    }
  }

  @Test
  void hangingGatewayTimesOutAndThePushIsSpooledWithinTheDeadline() throws Exception {
    server.stubFor(any(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(20_000)));
    Path spool = dir.resolve("spool");
    long start = System.nanoTime();
    try (PushGateway c = client().requestTimeout(Duration.ofMillis(300))
        .retryPolicy(FAST.withDeadline(Duration.ofMillis(1500))).spool(spool).build()) {
      assertEquals(PushResult.SPOOLED, c.push(GroupingKey.of("faulty"), registry()));
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms < 10_000, "gave up after " + ms + " ms, not near the 1.5 s deadline");
    assertTrue(metrics.requests("none") >= 2, "timed-out attempts: " + metrics.requests("none"));
    List<Path> files;
    try (var s = Files.list(spool)) {
      files = s.filter(f -> f.toString().endsWith(".push")).toList();
    }
    assertEquals(1, files.size());
    String entry = new String(Files.readAllBytes(files.getFirst()), StandardCharsets.ISO_8859_1);
    assertTrue(entry.contains("method PUT\npath " + PATH + "\n"), entry);
  }

  @Test
  void theUserAgentNamesTheLibraryAndItsVersion() throws Exception {
    server.stubFor(put(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)));
    try (PushGateway c = client().build()) {
      c.push(GroupingKey.of("faulty"), registry());
    }
    String agent = server.getAllServeEvents().get(0).getRequest().getHeader("User-Agent");
    assertTrue(agent.matches("promsuite-pushgateway-client/[0-9]+\\.[0-9]+\\.[0-9]+(-SNAPSHOT)? Java/[0-9].*"), agent);
  }

  @Test
  void credentialsAndExtraHeadersAreSentButNeverSpooled() throws Exception {
    server.stubFor(any(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
    Path spool = dir.resolve("spool-auth");
    try (PushGateway c = client().bearerToken("s3cret-token").header("X-Tenant", "team-a")
        .retryPolicy(FAST.withDeadline(Duration.ofMillis(100))).spool(spool).build()) {
      assertEquals(PushResult.SPOOLED, c.delete(GroupingKey.of("faulty")));
    }
    server.verify(anyRequestedFor(urlEqualTo(PATH))
        .withHeader("Authorization", equalTo("Bearer s3cret-token"))
        .withHeader("X-Tenant", equalTo("team-a")));
    try (var s = Files.list(spool)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        assertTrue(!Files.readString(f, StandardCharsets.ISO_8859_1).contains("s3cret"), "token leaked into " + f);
      }
    }
  }
}
