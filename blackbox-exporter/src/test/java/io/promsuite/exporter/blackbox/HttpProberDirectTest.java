package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.DirectProbe.LOOPBACK_V4_HASH;
import static io.promsuite.exporter.blackbox.DirectProbe.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.blackbox.prober.HttpProber;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HttpProber called directly (blackbox_exporter's prober/http_test.go) against JDK HTTP(S) servers on loopback. */
class HttpProberDirectTest {
  static final Set<String> HTTP_FAMILIES = Set.of("probe_dns_lookup_time_seconds", "probe_failed_due_to_regex",
      "probe_http_content_length", "probe_http_duration_seconds", "probe_http_redirects", "probe_http_ssl",
      "probe_http_status_code", "probe_http_uncompressed_body_length", "probe_http_version", "probe_ip_addr_hash",
      "probe_ip_protocol");
  static final double BODY_BYTES = TestServers.BODY.getBytes(StandardCharsets.UTF_8).length;
  static TestServers servers;
  final HttpProber prober = new HttpProber(OPEN, "test");

  @BeforeAll
  static void start() throws Exception {
    servers = TestServers.get();
  }

  @Test
  void plainGetWritesStatusLengthsVersionAndPhases() throws Exception {
    DirectProbe p = DirectProbe.run(prober, "prober: http", servers.url("/")).assertSuccess(true);
    Set<String> expected = new TreeSet<>(HTTP_FAMILIES);
    expected.add("probe_http_last_modified_timestamp_seconds");
    assertEquals(expected, p.families());
    assertEquals(200, p.value("probe_http_status_code"));
    assertEquals(BODY_BYTES, p.value("probe_http_content_length"));
    assertEquals(BODY_BYTES, p.value("probe_http_uncompressed_body_length"));
    assertEquals(1.1, p.value("probe_http_version"));
    assertEquals(0, p.value("probe_http_redirects"));
    assertEquals(0, p.value("probe_http_ssl"));
    assertEquals(0, p.value("probe_failed_due_to_regex"));
    assertEquals(TestServers.LAST_MODIFIED_UNIX, p.value("probe_http_last_modified_timestamp_seconds"));
    assertEquals(4, p.value("probe_ip_protocol"));
    assertEquals(LOOPBACK_V4_HASH, p.value("probe_ip_addr_hash"));
    p.assertPhases("probe_http_duration_seconds", "resolve", "connect", "tls", "processing", "transfer");
    assertEquals(0, p.value("probe_http_duration_seconds", "phase", "tls"), "no TLS on plain HTTP");
  }

  @Test
  void redirectsAreFollowedAndCounted() throws Exception {
    DirectProbe p = DirectProbe.run(prober, "prober: http", servers.url("/redirect/3")).assertSuccess(true);
    assertEquals(3, p.value("probe_http_redirects"));
    assertEquals(200, p.value("probe_http_status_code"));
  }

  @Test
  void statusOutsideValidCodesFailsTheProbe() throws Exception {
    DirectProbe p = DirectProbe.run(prober, "prober: http", servers.url("/status/404")).assertSuccess(false);
    assertEquals(404, p.value("probe_http_status_code"));
    assertEquals(0, p.value("probe_failed_due_to_regex"));
    assertTrue(p.log().text().contains("Invalid HTTP response status code"), p.log().text());

    String accept404 = """
        prober: http
        http: {valid_status_codes: [404]}
        """;
    DirectProbe.run(prober, accept404, servers.url("/status/404")).assertSuccess(true);
  }

  @Test
  void bodyRegexFailureSetsFailedDueToRegex() throws Exception {
    String module = """
        prober: http
        http:
          fail_if_body_not_matches_regexp: ["goodbye"]
        """;
    DirectProbe p = DirectProbe.run(prober, module, servers.url("/")).assertSuccess(false);
    assertEquals(1, p.value("probe_failed_due_to_regex"));
    assertEquals(200, p.value("probe_http_status_code"));
  }

  @Test
  void httpsReportsSslTlsPhaseAndCertificateExpiry() throws Exception {
    String module = """
        prober: http
        http:
          tls_config: {ca_file: %s}
        """.formatted(servers.certs.caFile);
    DirectProbe p = DirectProbe.run(prober, module, TestServers.url(servers.httpsValid, "/")).assertSuccess(true);
    assertEquals(1, p.value("probe_http_ssl"));
    assertEquals(servers.certs.valid.leaf().getNotAfter().getTime() / 1000, p.value("probe_ssl_earliest_cert_expiry"));
    assertEquals(1, p.value("probe_tls_version_info", "version", "TLS 1.3"));
    assertTrue(p.value("probe_http_duration_seconds", "phase", "tls") > 0, "the handshake took time");
  }

  @Test
  void untrustedCertificateFailsTheProbe() throws Exception {
    DirectProbe p = DirectProbe.run(prober, "prober: http", TestServers.url(servers.httpsSelfSigned, "/")).assertSuccess(false);
    assertEquals(0, p.value("probe_http_status_code"), "no response");
    assertTrue(p.log().text().contains("level=error msg=\"Error for HTTP request\""), p.log().text());
  }
}
