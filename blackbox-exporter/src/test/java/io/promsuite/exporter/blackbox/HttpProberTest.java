package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.ExporterUnderTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The http prober against real HTTP/HTTPS servers with certificates made at test time. */
class HttpProberTest {
  static TestServers servers;
  static ExporterUnderTest exporter;

  @BeforeAll
  static void start() throws Exception {
    servers = TestServers.get();
    String ca = servers.certs.caFile.toString();
    exporter = new ExporterUnderTest("""
        modules:
          http_2xx:
            prober: http
            timeout: 5s
          http_ca:
            prober: http
            http:
              tls_config: {ca_file: %1$s}
          http_ca_ssl_only:
            prober: http
            http:
              fail_if_not_ssl: true
              tls_config: {ca_file: %1$s}
          http_insecure:
            prober: http
            http:
              tls_config: {insecure_skip_verify: true}
          http_self_signed_trusted:
            prober: http
            http:
              tls_config: {ca_file: %2$s}
          http_server_name:
            prober: http
            http:
              tls_config: {ca_file: %1$s, server_name: other.example}
          http_404_ok:
            prober: http
            http:
              valid_status_codes: [404]
          http_no_redirect:
            prober: http
            http:
              follow_redirects: false
          http_fast:
            prober: http
            timeout: 1s
          http_body_must:
            prober: http
            http:
              fail_if_body_not_matches_regexp: ["hello b[a-z]+"]
          http_body_must_not:
            prober: http
            http:
              fail_if_body_matches_regexp: ["blackbox"]
          http_header:
            prober: http
            http:
              fail_if_header_not_matches:
                - {header: X-Probe, regexp: "^yes$"}
          http_header_missing:
            prober: http
            http:
              fail_if_header_not_matches:
                - {header: X-Absent, regexp: ".*"}
          http_post:
            prober: http
            http:
              method: POST
              body: '{"ping":true}'
              headers: {X-Custom: custom-value, Content-Type: application/json}
              basic_auth: {username: probe, password: s3cret}
              fail_if_body_not_matches_regexp: ["method=POST", "body=\\\\{\\"ping\\":true\\\\}", "x-custom=custom-value"]
          http_bearer:
            prober: http
            http:
              bearer_token: tok123
              fail_if_body_not_matches_regexp: ["authorization=Bearer tok123", "user-agent=Blackbox Exporter/"]
          http_version_2:
            prober: http
            http:
              valid_http_versions: ["HTTP/2.0"]
          http_limit:
            prober: http
            http: {body_size_limit: 10B}
          http_gzip:
            prober: http
            http: {compression: gzip, headers: {Accept-Encoding: gzip}}
          http_oauth2:
            prober: http
            http:
              oauth2:
                client_id: probe-client
                client_secret: s3cret/with:chars
                token_url: %3$s
                scopes: [probe, read]
                endpoint_params: {audience: blackbox}
          http_oauth2_params:
            prober: http
            http:
              oauth2: {client_id: probe-client, client_secret_file: %4$s, token_url: %5$s}
          http_oauth2_bad:
            prober: http
            http:
              oauth2: {client_id: probe-client, client_secret: wrong, token_url: %3$s}
          http_br:
            prober: http
            http: {compression: br, fail_if_body_not_matches_regexp: ["line 0199: the quick brown fox", "END-OF-BODY"]}
          http_fail_if_ssl:
            prober: http
            http:
              fail_if_ssl: true
              tls_config: {ca_file: %1$s}
          http_missing_ca:
            prober: http
            http:
              tls_config: {ca_file: /nonexistent/promsuite-ca.pem}
          http_versions_crossed:
            prober: http
            http:
              tls_config: {min_version: TLS13, max_version: TLS12}
        """.formatted(ca, servers.certs.selfSignedFile, servers.url("/oauth/token"), secretFile(),
            servers.url("/oauth/token-params")));
  }

  private static String secretFile() throws java.io.IOException {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("oauth2", ".secret");
    java.nio.file.Files.writeString(f, OAuthServer.CLIENT_SECRET + "\n");
    f.toFile().deleteOnExit();
    return f.toString();
  }

  @AfterAll
  static void stop() throws Exception {
    exporter.close();
  }

  @Test
  void plainHttpSucceedsWithStatusLengthsAndLastModified() throws Exception {
    Exposition e = exporter.probe("http_2xx", servers.url("/"));
    assertEquals(1, value(e, "probe_success"));
    assertEquals(200, value(e, "probe_http_status_code"));
    assertEquals(TestServers.BODY.length(), value(e, "probe_http_content_length"));
    assertEquals(TestServers.BODY.length(), value(e, "probe_http_uncompressed_body_length"));
    assertEquals(1.1, value(e, "probe_http_version"));
    assertEquals(0, value(e, "probe_http_ssl"));
    assertEquals(0, value(e, "probe_http_redirects"));
    assertEquals(4, value(e, "probe_ip_protocol"));
    assertEquals(3668918509.0, value(e, "probe_ip_addr_hash"), "FNV-1a of 127.0.0.1, as blackbox_exporter reports");
    assertEquals(TestServers.LAST_MODIFIED_UNIX, value(e, "probe_http_last_modified_timestamp_seconds"));
    for (String phase : new String[] {"resolve", "connect", "tls", "processing", "transfer"}) {
      assertTrue(e.value("probe_http_duration_seconds", Map.of("phase", phase)) >= 0, phase);
    }
    assertTrue(e.value("probe_http_duration_seconds", Map.of("phase", "connect")) > 0);
    assertTrue(value(e, "probe_duration_seconds") > 0);
  }

  @Test
  void targetWithoutSchemeIsProbedOverHttp() throws Exception {
    Exposition e = exporter.probe("http_2xx", "127.0.0.1:" + servers.http.getAddress().getPort() + "/ok");
    assertEquals(1, value(e, "probe_success"));
  }

  @Test
  void non2xxFailsUnlessListedInValidStatusCodes() throws Exception {
    Exposition e = exporter.probe("http_2xx", servers.url("/status/404"));
    assertEquals(0, value(e, "probe_success"));
    assertEquals(404, value(e, "probe_http_status_code"));
    assertEquals(1, value(exporter.probe("http_404_ok", servers.url("/status/404")), "probe_success"));
  }

  @Test
  void redirectsAreFollowedAndCounted() throws Exception {
    Exposition e = exporter.probe("http_2xx", servers.url("/redirect/3"));
    assertEquals(1, value(e, "probe_success"));
    assertEquals(3, value(e, "probe_http_redirects"));
    assertEquals(200, value(e, "probe_http_status_code"));
  }

  @Test
  void redirectNotFollowedWhenDisabledFailsWith302() throws Exception {
    Exposition e = exporter.probe("http_no_redirect", servers.url("/redirect/1"));
    assertEquals(0, value(e, "probe_success"));
    assertEquals(302, value(e, "probe_http_status_code"));
    assertEquals(1, value(e, "probe_http_redirects"));
  }

  @Test
  void moreThanTenRedirectsFail() throws Exception {
    Exposition e = exporter.probe("http_2xx", servers.url("/redirect/12"));
    assertEquals(0, value(e, "probe_success"));
    assertEquals(11, value(e, "probe_http_redirects"));
  }

  @Test
  void slowResponseShowsInProcessingAndSlowBodyInTransfer() throws Exception {
    Exposition e = exporter.probe("http_2xx", servers.url("/slow?ms=400"));
    assertEquals(1, value(e, "probe_success"));
    assertTrue(e.value("probe_http_duration_seconds", Map.of("phase", "processing")) >= 0.35,
        "processing " + e.value("probe_http_duration_seconds", Map.of("phase", "processing")));
    Exposition b = exporter.probe("http_2xx", servers.url("/slowbody"));
    assertEquals(1, value(b, "probe_success"));
    assertTrue(b.value("probe_http_duration_seconds", Map.of("phase", "transfer")) >= 0.25,
        "transfer " + b.value("probe_http_duration_seconds", Map.of("phase", "transfer")));
  }

  @Test
  void responseSlowerThanModuleTimeoutIsCancelledAndFails() throws Exception {
    long t0 = System.nanoTime();
    Exposition e = exporter.probe("http_fast", servers.url("/slow?ms=4000"));
    double took = (System.nanoTime() - t0) / 1e9;
    assertEquals(0, value(e, "probe_success"));
    assertTrue(took < 3.5, "probe returned after " + took + " s");
    assertTrue(value(e, "probe_duration_seconds") < 1.6, "duration " + value(e, "probe_duration_seconds"));
  }

  @Test
  void scrapeTimeoutHeaderMinusOffsetCapsTheModuleTimeout() throws Exception {
    long t0 = System.nanoTime();
    var r = exporter.get("http_2xx", servers.url("/slow?ms=4000"), "X-Prometheus-Scrape-Timeout-Seconds", "1.5");
    double took = (System.nanoTime() - t0) / 1e9;
    Exposition e = Exposition.parse(r.body());
    assertEquals(0, value(e, "probe_success"));
    assertTrue(value(e, "probe_duration_seconds") < 1.4, "duration " + value(e, "probe_duration_seconds"));
    assertTrue(took < 3, "answered after " + took);
  }

  @Test
  void bodyRegexpsDecideSuccessAndSetFailedDueToRegex() throws Exception {
    Exposition must = exporter.probe("http_body_must", servers.url("/"));
    assertEquals(1, value(must, "probe_success"));
    assertEquals(0, value(must, "probe_failed_due_to_regex"));
    Exposition mustNot = exporter.probe("http_body_must_not", servers.url("/"));
    assertEquals(0, value(mustNot, "probe_success"));
    assertEquals(1, value(mustNot, "probe_failed_due_to_regex"));
    Exposition notMatching = exporter.probe("http_body_must", servers.url("/echo"));
    assertEquals(0, value(notMatching, "probe_success"));
    assertEquals(1, value(notMatching, "probe_failed_due_to_regex"));
  }

  @Test
  void headerRegexpsAndMissingHeaders() throws Exception {
    assertEquals(1, value(exporter.probe("http_header", servers.url("/")), "probe_success"));
    assertEquals(0, value(exporter.probe("http_header", servers.url("/echo")), "probe_success"));
    Exposition missing = exporter.probe("http_header_missing", servers.url("/"));
    assertEquals(0, value(missing, "probe_success"));
    assertEquals(1, value(missing, "probe_failed_due_to_regex"));
  }

  @Test
  void methodBodyHeadersAndBasicAuthAreSent() throws Exception {
    assertEquals(1, value(exporter.probe("http_post", servers.url("/echo")), "probe_success"),
        exporter.why("http_post", servers.url("/echo")));
  }

  @Test
  void bearerTokenAndUserAgentAreSent() throws Exception {
    assertEquals(1, value(exporter.probe("http_bearer", servers.url("/echo")), "probe_success"),
        exporter.why("http_bearer", servers.url("/echo")));
  }

  @Test
  void gzipBodyIsCountedUncompressed() throws Exception {
    Exposition e = exporter.probe("http_2xx", servers.url("/gzip"));
    assertEquals(1, value(e, "probe_success"));
    assertEquals(TestServers.BODY.length() * 10, value(e, "probe_http_uncompressed_body_length"));
  }

  @Test
  void validHttpVersionsRejectsHttp11() throws Exception {
    assertEquals(0, value(exporter.probe("http_version_2", servers.url("/")), "probe_success"));
  }

  @Test
  void httpsWithTrustedCaReportsTlsMetrics() throws Exception {
    Exposition e = exporter.probe("http_ca", TestServers.url(servers.httpsValid, "/"));
    assertEquals(1, value(e, "probe_success"), exporter.why("http_ca", TestServers.url(servers.httpsValid, "/")));
    assertEquals(1, value(e, "probe_http_ssl"));
    long leafExpiry = servers.certs.valid.leaf().getNotAfter().getTime() / 1000;
    assertEquals(leafExpiry, value(e, "probe_ssl_earliest_cert_expiry"));
    assertEquals(leafExpiry, value(e, "probe_ssl_last_chain_expiry_timestamp_seconds"));
    var info = e.samples("probe_ssl_last_chain_info");
    assertEquals(1, info.size());
    assertEquals("CN=localhost,O=Promsuite", info.getFirst().labels().get("subject"));
    assertEquals("CN=Promsuite Test CA,O=Promsuite", info.getFirst().labels().get("issuer"));
    assertEquals("localhost", info.getFirst().labels().get("subjectalternative"));
    assertEquals(64, info.getFirst().labels().get("fingerprint_sha256").length());
    assertEquals(1, e.samples("probe_tls_version_info").size());
    assertTrue(e.samples("probe_tls_version_info").getFirst().labels().get("version").startsWith("TLS 1."));
    assertFalse(e.samples("probe_tls_cipher_info").getFirst().labels().get("cipher").isEmpty());
    assertEquals(1, value(exporter.probe("http_ca_ssl_only", TestServers.url(servers.httpsValid, "/")), "probe_success"));
    assertEquals(0, value(exporter.probe("http_fail_if_ssl", TestServers.url(servers.httpsValid, "/")), "probe_success"));
  }

  @Test
  void redirectFromHttpToHttpsIsFollowedOverTls() throws Exception {
    // http_insecure names no file, so its first request goes out on the clear-text client.
    String target = servers.url("/to?url=" + ExporterUnderTest.enc(TestServers.url(servers.httpsValid, "/ok")));
    Exposition e = exporter.probe("http_insecure", target);
    assertEquals(1, value(e, "probe_success"), exporter.why("http_insecure", target));
    assertEquals(1, value(e, "probe_http_redirects"));
    assertEquals(1, value(e, "probe_http_ssl"));
    assertEquals(servers.certs.valid.leaf().getNotAfter().getTime() / 1000, value(e, "probe_ssl_earliest_cert_expiry"));
  }

  @Test
  void brokenTlsConfigFailsProbesOfHttpTargetsToo() throws Exception {
    // As blackbox_exporter, which builds the module's TLS config before any request.
    String target = servers.url("/ok");
    assertEquals(0, value(exporter.probe("http_missing_ca", target), "probe_success"));
    assertTrue(exporter.debug("http_missing_ca", target).contains("Error generating HTTP client"));
    assertEquals(0, value(exporter.probe("http_versions_crossed", target), "probe_success"));
    assertTrue(exporter.debug("http_versions_crossed", target).contains("min_version TLS13 is above max_version TLS12"));
    assertEquals(1, value(exporter.probe("http_insecure", target), "probe_success"));
  }

  @Test
  void httpsWithSystemTrustRejectsOurCaAndSendsNoTlsMetrics() throws Exception {
    Exposition e = exporter.probe("http_2xx", TestServers.url(servers.httpsValid, "/"));
    assertEquals(0, value(e, "probe_success"));
    assertEquals(0, value(e, "probe_http_status_code"));
    assertTrue(e.samples("probe_ssl_earliest_cert_expiry").isEmpty());
  }

  @Test
  void expiredCertificateFailsUnlessVerificationIsSkipped() throws Exception {
    assertEquals(0, value(exporter.probe("http_ca", TestServers.url(servers.httpsExpired, "/")), "probe_success"));
    Exposition e = exporter.probe("http_insecure", TestServers.url(servers.httpsExpired, "/"));
    assertEquals(1, value(e, "probe_success"));
    assertEquals(servers.certs.expired.leaf().getNotAfter().getTime() / 1000, value(e, "probe_ssl_earliest_cert_expiry"));
    assertTrue(value(e, "probe_ssl_earliest_cert_expiry") < System.currentTimeMillis() / 1000.0);
    // Go reports its zero time when no chain was verified.
    assertEquals(-62135596800.0, value(e, "probe_ssl_last_chain_expiry_timestamp_seconds"));
  }

  @Test
  void wrongHostFailsUnlessServerNameMatches() throws Exception {
    assertEquals(0, value(exporter.probe("http_ca", TestServers.url(servers.httpsWrongHost, "/")), "probe_success"));
    assertEquals(1, value(exporter.probe("http_server_name", TestServers.url(servers.httpsWrongHost, "/")), "probe_success"));
    assertEquals(0, value(exporter.probe("http_server_name", TestServers.url(servers.httpsValid, "/")), "probe_success"),
        "server_name replaces the target's name: a certificate for 127.0.0.1 does not do for other.example");
    assertEquals(1, value(exporter.probe("http_insecure", TestServers.url(servers.httpsWrongHost, "/")), "probe_success"));
  }

  @Test
  void selfSignedCertificateFailsUnlessItIsTheCa() throws Exception {
    assertEquals(0, value(exporter.probe("http_ca", TestServers.url(servers.httpsSelfSigned, "/")), "probe_success"));
    Exposition e = exporter.probe("http_self_signed_trusted", TestServers.url(servers.httpsSelfSigned, "/"));
    assertEquals(1, value(e, "probe_success"));
    assertEquals("CN=self-signed.localhost", e.samples("probe_ssl_last_chain_info").getFirst().labels().get("issuer"));
  }

  @Test
  void bodySizeLimitFailsLargerBodies() throws Exception {
    assertEquals(0, value(exporter.probe("http_limit", servers.url("/")), "probe_success"));
    assertEquals(1, value(exporter.probe("http_limit", servers.url("/status/204")), "probe_success"), "an empty body fits");
  }

  @Test
  void configuredCompressionDecodesTheBody() throws Exception {
    Exposition e = exporter.probe("http_gzip", servers.url("/gzip"));
    assertEquals(1, value(e, "probe_success"), exporter.why("http_gzip", servers.url("/gzip")));
    assertEquals(TestServers.BODY.length() * 10, value(e, "probe_http_uncompressed_body_length"));
    assertTrue(value(e, "probe_http_content_length") < TestServers.BODY.length() * 10, "compressed length on the wire");
  }

  @Test
  void oauth2ClientCredentialsTokenIsFetchedOnceAndSentAsBearer() throws Exception {
    String target = servers.url("/oauth/protected");
    int issued = OAuthServer.TOKENS_ISSUED.get();
    Exposition e = exporter.probe("http_oauth2", target);
    assertEquals(1, value(e, "probe_success"), exporter.why("http_oauth2", target));
    assertEquals(200, value(e, "probe_http_status_code"));
    assertEquals(Map.of("grant_type", "client_credentials", "scope", "probe read", "audience", "blackbox"),
        OAuthServer.lastTokenForm, "credentials in basic auth, scopes space-separated, endpoint_params in the form");
    assertEquals(1, value(exporter.probe("http_oauth2", target), "probe_success"));
    assertEquals(issued + 1, OAuthServer.TOKENS_ISSUED.get(), "the token is reused until it expires");
    // Without oauth2 the resource refuses.
    assertEquals(401, value(exporter.probe("http_2xx", target), "probe_http_status_code"));
  }

  @Test
  void oauth2FallsBackToFormCredentialsAndReadsTheSecretFile() throws Exception {
    String target = servers.url("/oauth/protected");
    Exposition e = exporter.probe("http_oauth2_params", target);
    assertEquals(1, value(e, "probe_success"), exporter.why("http_oauth2_params", target));
    assertEquals(OAuthServer.CLIENT_SECRET, OAuthServer.lastTokenForm.get("client_secret"));
  }

  @Test
  void oauth2WithWrongSecretFailsTheProbeAndSaysWhy() throws Exception {
    String target = servers.url("/oauth/protected");
    assertEquals(0, value(exporter.probe("http_oauth2_bad", target), "probe_success"));
    String debug = exporter.debug("http_oauth2_bad", target);
    assertTrue(debug.contains("oauth2: cannot fetch token: 401"), debug);
    assertFalse(debug.contains("wrong"), "the secret is not in the debug output: " + debug);
  }

  @Test
  void brotliBodyFromTheReferenceEncoderIsDecoded() throws Exception {
    Exposition e = exporter.probe("http_br", servers.url("/br"));
    assertEquals(1, value(e, "probe_success"), exporter.why("http_br", servers.url("/br")));
    long plain;
    try (var in = getClass().getResourceAsStream("/brotli/body.txt")) {
      plain = in.readAllBytes().length;
    }
    assertEquals(plain, value(e, "probe_http_uncompressed_body_length"));
    assertTrue(value(e, "probe_http_content_length") < plain / 10, "compressed length on the wire");
    Exposition notBrotli = exporter.probe("http_br", servers.url("/gzip"));
    assertEquals(0, value(notBrotli, "probe_success"), "a gzip body is not a brotli stream");
  }

  @Test
  void hostnameParameterSetsTheNameTheCertificateIsCheckedAgainst() throws Exception {
    String target = TestServers.url(servers.httpsWrongHost, "/");
    String base = exporter.base() + "/probe?module=http_ca&target=" + ExporterUnderTest.enc(target);
    assertEquals(0, value(Exposition.parse(io.promsuite.exporter.common.testing.Http.get(base).body()), "probe_success"));
    assertEquals(1, value(Exposition.parse(io.promsuite.exporter.common.testing.Http.get(base + "&hostname=other.example").body()),
        "probe_success"));
  }

  @Test
  void closedPortFailsWithZeroStatus() throws Exception {
    int port = io.promsuite.exporter.common.testing.Ports.free();
    Exposition e = exporter.probe("http_2xx", "http://127.0.0.1:" + port + "/");
    assertEquals(0, value(e, "probe_success"));
    assertEquals(0, value(e, "probe_http_status_code"));
  }
}
