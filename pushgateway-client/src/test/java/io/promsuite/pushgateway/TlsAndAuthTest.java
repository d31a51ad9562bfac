package io.promsuite.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.pushgateway.cli.PushGatewayCliRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real gateway behind TLS with a private certificate and basic auth (its --web.config.file). */
class TlsAndAuthTest {

  @TempDir static Path dir;
  static RealPushgateway gateway;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    Path openssl = RealParts.require("/usr/bin/openssl", "openssl");
    Process p = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(), "-days", "2",
        "-subj", "/CN=pushgateway-test", "-addext", "subjectAltName=IP:127.0.0.1")
        .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, Files.readString(dir.resolve("openssl.log")));
    String hash = BCrypt.withDefaults().hashToString(4, "correct horse".toCharArray());
    Files.writeString(dir.resolve("web.yml"), """
        tls_server_config:
          cert_file: %s
          key_file: %s
        basic_auth_users:
          alice: '%s'
        """.formatted(dir.resolve("cert.pem"), dir.resolve("key.pem"), hash));
    gateway = RealPushgateway.start(dir.resolve("gw"), "--web.config.file=" + dir.resolve("web.yml"));
    url = "https://127.0.0.1:" + gateway.port();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static PrometheusRegistry registry(double v) {
    PrometheusRegistry r = new PrometheusRegistry();
    Gauge.builder().name("tls_value").register(r).set(v);
    return r;
  }

  private static String apiAsAlice() throws Exception {
    try (HttpClient c = HttpClient.newBuilder().sslContext(TlsTrust.fromPem(dir.resolve("cert.pem"))).build()) {
      return c.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/metrics"))
              .header("Authorization", "Basic " + Base64.getEncoder()
                  .encodeToString("alice:correct horse".getBytes(StandardCharsets.UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  @Test
  void pushesOverTlsTrustingAPrivateCertificateWithBasicAuth() throws Exception {
    try (PushGateway c = PushGateway.builder(url).sslContext(TlsTrust.fromPem(dir.resolve("cert.pem")))
        .basicAuth("alice", "correct horse").retryPolicy(RetryPolicy.NONE).build()) {
      assertEquals(PushResult.SENT, c.push(GroupingKey.of("tls_job"), registry(42)));
    }
    String api = apiAsAlice();
    assertTrue(api.contains("\"tls_value\"") && api.contains("\"value\":\"42\""), api);
  }

  /** client_java's way to https with a private CA: host:port, Scheme.HTTPS and a connection factory. */
  @Test
  void theClientJavaWayAddressSchemeHttpsAndAConnectionFactory() throws Exception {
    javax.net.ssl.SSLSocketFactory trusting = TlsTrust.fromPem(dir.resolve("cert.pem")).getSocketFactory();
    PrometheusRegistry r = registry(9);
    try (PushGateway c = PushGateway.builder(io.prometheus.metrics.config.PrometheusProperties.builder().build())
        .address("127.0.0.1:" + gateway.port()).scheme(Scheme.HTTPS).job("tls_factory")
        .connectionFactory(u -> {
          javax.net.ssl.HttpsURLConnection https = (javax.net.ssl.HttpsURLConnection) u.openConnection();
          https.setSSLSocketFactory(trusting);
          return https;
        })
        .basicAuth("alice", "correct horse").registry(r).retryPolicy(RetryPolicy.NONE).build()) {
      assertEquals(PushResult.SENT, c.push());
    }
    String api = apiAsAlice();
    assertTrue(api.contains("\"job\":\"tls_factory\"") && api.contains("\"value\":\"9\""), api);
  }

  @Test
  void aWrongPasswordIsRejectedNotRetried() throws Exception {
    PushGatewayClientMetrics metrics = new PushGatewayClientMetrics();
    try (PushGateway c = PushGateway.builder(url).sslContext(TlsTrust.fromPem(dir.resolve("cert.pem")))
        .basicAuth("alice", "wrong").metrics(metrics).build()) {
      PushRejectedException e = assertThrows(PushRejectedException.class,
          () -> c.push(GroupingKey.of("tls_job_denied"), registry(1)));
      assertEquals(401, e.status());
      assertEquals(1, metrics.requests("401"));
    }
  }

  @Test
  void anUntrustedCertificateFailsTheConnection() throws Exception {
    try (PushGateway c = PushGateway.builder(url).basicAuth("alice", "correct horse")
        .retryPolicy(RetryPolicy.NONE).build()) {
      GatewayUnavailableException e = assertThrows(GatewayUnavailableException.class,
          () -> c.push(GroupingKey.of("tls_job_untrusted"), registry(1)));
      assertTrue(e.getMessage().contains("connection failed"), e.getMessage());
    }
  }

  @Test
  void theCliTakesTheCaFileAndAPasswordFile() throws Exception {
    Path password = dir.resolve("password");
    Files.writeString(password, "correct horse\n");
    PushGatewayCliRunner.Run r = PushGatewayCliRunner.run("tls_cli_value 7\n", "push", "--gateway", url,
        "--job", "tls_cli", "--ca-file", dir.resolve("cert.pem").toString(),
        "--basic-auth-user", "alice", "--basic-auth-password-file", password.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(apiAsAlice().contains("\"tls_cli_value\""));
  }
}
