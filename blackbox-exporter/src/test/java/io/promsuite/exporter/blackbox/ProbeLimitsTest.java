package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.ExporterUnderTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** --probe.allow / --probe.deny (checked after resolution, redirects included) and --probe.max-concurrency. */
class ProbeLimitsTest {
  static final String CONFIG = "modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n  tcp_connect:\n    prober: tcp\n";
  static TestServers servers;

  @BeforeAll
  static void start() throws Exception {
    servers = TestServers.get();
  }

  @Test
  void denyRuleRefusesAddressesAndNamesThatResolveToThem() throws Exception {
    try (ExporterUnderTest e = new ExporterUnderTest(CONFIG, "--probe.deny=127.0.0.0/8")) {
      HttpResponse<String> byAddress = e.get("http_2xx", servers.url("/"));
      assertEquals(403, byAddress.statusCode());
      assertTrue(byAddress.body().contains("denied by --probe.deny=127.0.0.0/8"), byAddress.body());
      HttpResponse<String> byName = e.get("tcp_connect", "localhost:" + servers.http.getAddress().getPort());
      assertEquals(403, byName.statusCode(), "a name cannot smuggle a denied address: " + byName.body());
      assertTrue(byName.body().contains("localhost resolves to 127.0.0.1"), byName.body());
    }
  }

  @Test
  void allowRuleAdmitsOnlyMatchingTargets() throws Exception {
    try (ExporterUnderTest e = new ExporterUnderTest(CONFIG, "--probe.allow=10.0.0.0/8,*.example.com")) {
      HttpResponse<String> r = e.get("http_2xx", servers.url("/"));
      assertEquals(403, r.statusCode());
      assertTrue(r.body().contains("not allowed by --probe.allow"), r.body());
    }
    try (ExporterUnderTest e = new ExporterUnderTest(CONFIG, "--probe.allow=127.0.0.1/32")) {
      assertEquals(1, value(e.probe("http_2xx", servers.url("/")), "probe_success"));
    }
  }

  @Test
  void redirectToADeniedHostFailsTheProbe() throws Exception {
    try (ExporterUnderTest e = new ExporterUnderTest(CONFIG, "--probe.deny=localhost")) {
      String target = servers.url("/to?url=" + ExporterUnderTest.enc("http://localhost:" + servers.http.getAddress().getPort() + "/ok"));
      Exposition x = e.probe("http_2xx", target);
      assertEquals(0, value(x, "probe_success"));
      assertEquals(1, value(x, "probe_http_redirects"));
      assertTrue(e.debug("http_2xx", target).contains("denied by --probe.deny=localhost"));
    }
  }

  @Test
  void badRuleIsAFlagError() {
    Exception ex = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> new ExporterUnderTest(CONFIG, "--probe.deny=10.0.0.0/99"));
    assertTrue(ex.getMessage().contains("--probe.deny"), ex.getMessage());
  }

  @Test
  void probesBeyondMaxConcurrencyGet503() throws Exception {
    try (ExporterUnderTest e = new ExporterUnderTest(CONFIG, "--probe.max-concurrency=1")) {
      CompletableFuture<Exposition> slow = CompletableFuture.supplyAsync(() -> {
        try {
          return e.probe("http_2xx", servers.url("/slow?ms=1500"));
        } catch (Exception x) {
          throw new RuntimeException(x);
        }
      });
      ProbeHandlerTest.awaitInFlight(e, 1);
      HttpResponse<String> r = e.get("http_2xx", servers.url("/"));
      assertEquals(503, r.statusCode());
      assertTrue(r.body().contains("--probe.max-concurrency=1"), r.body());
      assertEquals(1, value(slow.get(), "probe_success"));
      assertEquals(1, value(e.probe("http_2xx", servers.url("/")), "probe_success"), "slot released");
    }
  }
}
