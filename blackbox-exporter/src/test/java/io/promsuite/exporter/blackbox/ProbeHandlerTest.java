package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.ExporterUnderTest.enc;
import static io.promsuite.exporter.blackbox.ExporterUnderTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Poll;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** /probe request handling: bad input, debug output, /config, reload with probes in flight, own metrics. */
class ProbeHandlerTest {
  static final String CONFIG = """
      modules:
        http_2xx:
          prober: http
          timeout: 5s
        secret_http:
          prober: http
          http:
            basic_auth: {username: probe, password: hunter2}
        tcp_connect:
          prober: tcp
        icmp:
          prober: icmp
        slow:
          prober: http
          timeout: 10s
      """;
  static TestServers servers;
  static ExporterUnderTest exporter;

  @BeforeAll
  static void start() throws Exception {
    servers = TestServers.get();
    exporter = new ExporterUnderTest(CONFIG);
  }

  @AfterAll
  static void stop() throws Exception {
    exporter.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown module|module=nope&target=127.0.0.1|Unknown module \"nope\"",
      "missing target|module=http_2xx|Target parameter is missing",
      "empty target|module=http_2xx&target=|Target parameter is missing",
      "CR LF in target|module=http_2xx&target=http%3A%2F%2F127.0.0.1%2F%0D%0AX-Injected%3A%201|line break",
      "space in target|module=http_2xx&target=http%3A%2F%2F127.0.0.1%2Fa%20b|whitespace",
      "unsupported scheme|module=http_2xx&target=ftp%3A%2F%2F127.0.0.1%2F|unsupported scheme 'ftp'",
      "malformed URL|module=http_2xx&target=http%3A%2F%2F%5B%3A%3A1%2F|not a valid URL",
      "tcp without port|module=tcp_connect&target=127.0.0.1|missing port",
      "tcp bad port|module=tcp_connect&target=127.0.0.1%3A99999|not a port number",
      "icmp with port|module=icmp&target=127.0.0.1%3A80|without port"})
  void badInputIsA400WithOneLineAndNoProbe(String name, String query, String reason) throws Exception {
    double before = probesRun();
    HttpResponse<String> r = Http.get(exporter.base() + "/probe?" + query);
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains(reason), r.body());
    assertEquals(1, r.body().split("\n").length, "one line: " + r.body());
    assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), r.body());
    assertEquals(before, probesRun(), "no probe ran");
  }

  /** A bad %-escape never reaches the prober (issue 19): one plain-text line, no exception name, no probe. */
  @Test
  void badPercentEscapeIsA400WithOnePlainLineAndNoProbe() throws Exception {
    double before = probesRun();
    java.net.URI base = java.net.URI.create(exporter.base());
    try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET /probe?module=http_2xx&target=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
      assertTrue(answer.contains("Content-Type: text/plain"), answer);
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      assertEquals("400 Bad Request: malformed URL escape in the request target\n", body);
      assertFalse(answer.contains("Exception") || answer.contains("<"), answer);
    }
    assertEquals(before, probesRun(), "no probe ran");
  }

  @Test
  void moduleDefaultsToHttp2xxAsInBlackboxExporter() throws Exception {
    HttpResponse<String> r = Http.get(exporter.base() + "/probe?target=" + enc(servers.url("/")));
    assertEquals(200, r.statusCode());
    assertEquals(1, value(Exposition.parse(r.body()), "probe_success"));
  }

  @Test
  void debugShowsLogMetricsAndMaskedModule() throws Exception {
    String body = exporter.debug("secret_http", servers.url("/"));
    assertTrue(body.startsWith("Logs for the probe:\n"), body);
    assertTrue(body.contains("msg=\"Beginning probe\""), body);
    assertTrue(body.contains("msg=\"Received HTTP response\" status_code=200"), body);
    assertTrue(body.contains("Metrics that would have been returned:"), body);
    assertTrue(body.contains("probe_success 1"), body);
    assertTrue(body.contains("Module configuration:\nprober: http"), body);
    assertTrue(body.contains("password: <secret>"), body);
    assertFalse(body.contains("hunter2"), body);
  }

  @Test
  void configEndpointMasksSecrets() throws Exception {
    HttpResponse<String> r = Http.get(exporter.base() + "/config");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("secret_http:"), r.body());
    assertTrue(r.body().contains("username: probe"), r.body());
    assertFalse(r.body().contains("hunter2"), r.body());
  }

  @Test
  void ownMetricsCountProbesByModuleAndResult() throws Exception {
    exporter.probe("tcp_connect", "127.0.0.1:" + servers.http.getAddress().getPort());
    Exposition m = Exposition.parse(Http.get(exporter.base() + "/metrics").body());
    assertTrue(m.value("blackbox_probes_total", Map.of("module", "tcp_connect", "prober", "tcp", "result", "success")) >= 1);
    assertTrue(m.value("blackbox_probe_duration_seconds_count", Map.of("module", "tcp_connect")) >= 1);
    assertEquals(1, value(m, "blackbox_exporter_config_last_reload_successful"));
  }

  @Test
  void reloadSwapsConfigWithoutDisturbingProbesInFlight() throws Exception {
    try (ExporterUnderTest own = new ExporterUnderTest(CONFIG)) {
      CompletableFuture<Exposition> inFlight = CompletableFuture.supplyAsync(() -> {
        try {
          return own.probe("slow", servers.url("/slow?ms=1500"));
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      awaitInFlight(own, 1);
      Files.writeString(own.config, "modules:\n  renamed:\n    prober: http\n");
      HttpResponse<String> reload = Http.post(own.base() + "/-/reload", "");
      assertEquals(200, reload.statusCode(), reload.body());
      assertEquals(1, value(inFlight.get(), "probe_success"), "the probe kept its module");
      assertEquals(400, own.get("slow", servers.url("/")).statusCode());
      assertEquals(1, value(own.probe("renamed", servers.url("/")), "probe_success"));

      Files.writeString(own.config, "modules:\n  broken:\n    prober: http\n    http: {fail_if_body_matches_regexp: ['(']}\n");
      HttpResponse<String> bad = Http.post(own.base() + "/-/reload", "");
      assertEquals(500, bad.statusCode());
      assertTrue(bad.body().contains(":4:"), "names the line: " + bad.body());
      assertEquals(1, value(own.probe("renamed", servers.url("/")), "probe_success"), "old config kept");
      Exposition m = Exposition.parse(Http.get(own.base() + "/metrics").body());
      assertEquals(0, value(m, "blackbox_exporter_config_last_reload_successful"));
    }
  }

  private static double probesRun() throws Exception {
    Exposition m = Exposition.parse(Http.get(exporter.base() + "/metrics").body());
    return m.samples("blackbox_probes_total").stream().mapToDouble(Exposition.Sample::value).sum();
  }

  static void awaitInFlight(ExporterUnderTest e, int n) {
    Poll.until(Duration.ofSeconds(10), n + " probes in flight",
        () -> value(Exposition.parse(Http.get(e.base() + "/metrics").body()), "blackbox_probes_in_flight"), v -> v >= n);
  }
}
