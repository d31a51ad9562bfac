package io.promsuite.exporter.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.config.ConfigException;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import io.promsuite.exporter.common.testing.TestCerts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** exporter-toolkit web config: TLS, basic auth, headers; the same file also drives node_exporter. */
class WebConfigTest {
  @TempDir
  Path dir;

  private static String hash(String password, BCrypt.Version version) {
    return new String(BCrypt.with(version).hash(6, password.toCharArray()), StandardCharsets.UTF_8);
  }

  private Path writeWebConfig(boolean tls, boolean traditionalKey) throws Exception {
    StringBuilder yaml = new StringBuilder();
    if (tls) {
      TestCerts.Issued cert = TestCerts.selfSigned("localhost", Duration.ofMinutes(5), Duration.ofDays(1),
          "localhost", "127.0.0.1");
      cert.writeCert(dir.resolve("server.crt"));
      cert.writeKey(dir.resolve("server.key"), traditionalKey);
      Files.writeString(dir.resolve("ca.crt"), Files.readString(dir.resolve("server.crt")));
      yaml.append("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS12\n");
    }
    yaml.append("http_server_config:\n  headers:\n    X-Frame-Options: deny\n");
    yaml.append("basic_auth_users:\n")
        .append("  alice: ").append(hash("wonderland", BCrypt.Version.VERSION_2Y)).append('\n')
        .append("  bob: ").append(hash("builder", BCrypt.Version.VERSION_2A)).append('\n')
        .append("  carol: ").append(hash("singer", BCrypt.Version.VERSION_2B)).append('\n');
    Path file = dir.resolve("web.yml");
    Files.writeString(file, yaml);
    return file;
  }

  private SSLContext trust() throws Exception {
    // Trust exactly the certificate the server presents.
    java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
    java.security.KeyStore ts = java.security.KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    try (var in = Files.newInputStream(dir.resolve("server.crt"))) {
      ts.setCertificateEntry("server", cf.generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static int status(HttpClient client, String url, String user, String password) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (user != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void basicAuthAcceptsEveryBcryptVariantAndRejectsTheRest() throws Exception {
    Path web = writeWebConfig(false, false);
    try (Exporter.Running r = Exporter.builder("t", "t").defaultListenAddress("127.0.0.1:0")
        .start("--web.config.file=" + web)) {
      HttpClient c = HttpClient.newHttpClient();
      String url = "http://127.0.0.1:" + r.port() + "/metrics";
      assertEquals(200, status(c, url, "alice", "wonderland"));
      assertEquals(200, status(c, url, "alice", "wonderland"), "cached verdict");
      assertEquals(200, status(c, url, "bob", "builder"));
      assertEquals(200, status(c, url, "carol", "singer"));
      assertEquals(401, status(c, url, "alice", "wrong"));
      assertEquals(401, status(c, url, "mallory", "wonderland"));
      assertEquals(401, status(c, url, null, null));
      HttpResponse<Void> denied = c.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.discarding());
      assertEquals("Basic", denied.headers().firstValue("WWW-Authenticate").orElse(""));
      assertEquals("deny", denied.headers().firstValue("X-Frame-Options").orElse(""));
      assertEquals(401, status(c, "http://127.0.0.1:" + r.port() + "/", null, null), "landing page guarded too");
    }
  }

  @Test
  void tlsServesHttpsOnlyWithPkcs8AndPkcs1Keys() throws Exception {
    for (boolean traditional : new boolean[] {false, true}) {
      Path web = writeWebConfig(true, traditional);
      try (Exporter.Running r = Exporter.builder("t", "t").defaultListenAddress("127.0.0.1:0")
          .start("--web.config.file=" + web)) {
        HttpClient tls = HttpClient.newBuilder().sslContext(trust()).build();
        assertEquals(200, status(tls, "https://localhost:" + r.port() + "/metrics", "alice", "wonderland"));
        assertEquals(401, status(tls, "https://localhost:" + r.port() + "/metrics", "alice", "nope"));
        String plain = plainRequest(r.port());
        assertTrue(plain.startsWith("HTTP/1.1 400 "), "no plain HTTP on a TLS port: " + plain);
        assertTrue(plain.endsWith("\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"), plain);
      }
    }
  }

  @Test
  void sameWebConfigFileWorksForNodeExporter() throws Exception {
    Path bin = RealParts.require("/usr/bin/prometheus-node-exporter");
    Path web = writeWebConfig(true, false);
    int port = Ports.free();
    try (RealProcess ne = RealProcess.start(List.of(bin.toString(), "--web.listen-address=127.0.0.1:" + port,
        "--web.config.file=" + web, "--collector.disable-defaults", "--collector.loadavg"), dir.resolve("ne.log"));
        Exporter.Running ours = Exporter.builder("t", "t").defaultListenAddress("127.0.0.1:0")
            .start("--web.config.file=" + web)) {
      HttpClient tls = HttpClient.newBuilder().sslContext(trust()).build();
      int theirs = Poll.untilOk(Duration.ofSeconds(20), "node_exporter answering on " + port,
          () -> {
            ne.alive();
            return status(tls, "https://localhost:" + port + "/metrics", "alice", "wonderland");
          });
      assertEquals(200, theirs, ne.output());
      for (int p : new int[] {port, ours.port()}) {
        assertEquals(200, status(tls, "https://localhost:" + p + "/metrics", "bob", "builder"));
        assertEquals(401, status(tls, "https://localhost:" + p + "/metrics", "bob", "wrong"));
      }
      // Plain HTTP on the TLS port: node_exporter's answer (Go's net/http) and ours, status and body.
      String theirsPlain = plainRequest(port);
      String oursPlain = plainRequest(ours.port());
      assertEquals(statusAndBody(theirsPlain), statusAndBody(oursPlain), theirsPlain + "\n---\n" + oursPlain);
    }
  }

  /** Sends a plain-text HTTP request and reads the answer to the end. */
  private static String plainRequest(int port) throws IOException {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** "400 | body": the status code and the body, without the HTTP version and headers. */
  private static String statusAndBody(String answer) {
    String status = answer.split(" ", 3)[1];
    return status + " | " + answer.substring(answer.indexOf("\r\n\r\n") + 4);
  }

  @Test
  void clientCertificatesAreRequiredAndVerifiedAgainstTheClientCa() throws Exception {
    TestCerts.Issued ca = TestCerts.selfSigned("test-ca", Duration.ofMinutes(5), Duration.ofDays(1));
    TestCerts.Issued server = TestCerts.issuedBy(ca, "localhost", Duration.ofMinutes(5), Duration.ofDays(1),
        "localhost");
    TestCerts.Issued client = TestCerts.issuedBy(ca, "prometheus", Duration.ofMinutes(5), Duration.ofDays(1));
    TestCerts.Issued stranger = TestCerts.selfSigned("stranger", Duration.ofMinutes(5), Duration.ofDays(1));
    server.writeCert(dir.resolve("server.crt"));
    server.writeKey(dir.resolve("server.key"), false);
    ca.writeCert(dir.resolve("ca.crt"));
    Path web = dir.resolve("web.yml");
    Files.writeString(web, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
        + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n");
    try (Exporter.Running r = Exporter.builder("t", "t").defaultListenAddress("127.0.0.1:0")
        .start("--web.config.file=" + web)) {
      String url = "https://localhost:" + r.port() + "/metrics";
      HttpClient withCert = HttpClient.newBuilder().sslContext(clientContext(ca, client)).build();
      assertEquals(200, status(withCert, url, null, null));
      HttpClient foreignCert = HttpClient.newBuilder().sslContext(clientContext(ca, stranger)).build();
      assertThrows(IOException.class, () -> status(foreignCert, url, null, null));
      HttpClient noCert = HttpClient.newBuilder().sslContext(ca.trustingContext()).build();
      assertThrows(IOException.class, () -> status(noCert, url, null, null));
    }
  }

  private static SSLContext clientContext(TestCerts.Issued ca, TestCerts.Issued client) throws Exception {
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("client", client.keys().getPrivate(), new char[0], new java.security.cert.Certificate[] {client.cert()});
    javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
    kmf.init(ks, new char[0]);
    java.security.KeyStore ts = java.security.KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", ca.cert());
    javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  @Test
  void clientCaFileWithoutCertificatesIsRefusedAtStart() throws Exception {
    writeWebConfig(true, false);
    Files.writeString(dir.resolve("empty-ca.crt"), "not a certificate\n");
    Path web = dir.resolve("web-ca.yml");
    Files.writeString(web, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
        + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: empty-ca.crt\n");
    ConfigException e = assertThrows(ConfigException.class, () -> LiveWebConfig.load(web));
    assertEquals(web + ": tls_server_config: " + dir.resolve("empty-ca.crt")
        + ": no certificate found in client_ca_file (expected PEM 'BEGIN CERTIFICATE')", e.getMessage());
  }

  @Test
  void badWebConfigNamesFileLineAndField() throws Exception {
    Path web = dir.resolve("web.yml");
    Files.writeString(web, "basic_auth_users:\n  alice: notahash\n");
    ConfigException e = assertThrows(ConfigException.class, () -> WebConfig.load(web));
    assertTrue(e.getMessage().startsWith(web + ":"), e.getMessage());
    assertTrue(e.getMessage().contains("not a bcrypt hash"), e.getMessage());
    Files.writeString(web, "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  client_auth: Require\n");
    e = assertThrows(ConfigException.class, () -> WebConfig.load(web));
    assertTrue(e.getMessage().contains(":4:") && e.getMessage().contains("unknown field \"client_auth\""),
        e.getMessage());
    assertTrue(e.getMessage().contains("client_auth_type"), "lists accepted fields: " + e.getMessage());
    Files.writeString(web, "http_server_config:\n  headers:\n    Server: x\n");
    e = assertThrows(ConfigException.class, () -> WebConfig.load(web));
    assertTrue(e.getMessage().contains("'Server' can not be configured"), e.getMessage());
  }

  @Test
  void structuralMistakesNameTheLineAndTheField() throws Exception {
    Path web = dir.resolve("web.yml");
    Files.writeString(web, "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  cert_file: b.crt\n");
    ConfigException e = assertThrows(ConfigException.class, () -> WebConfig.load(web));
    assertTrue(e.getMessage().startsWith(web + ":4: field \"tls_server_config\": duplicate field \"cert_file\""),
        e.getMessage());
    Files.writeString(web, "tls_server_config:\n  cert_file: [a.crt]\n  key_file: a.key\n");
    e = assertThrows(ConfigException.class, () -> WebConfig.load(web));
    assertTrue(e.getMessage().startsWith(web + ":2: field \"tls_server_config.cert_file\": expected a string"),
        e.getMessage());
    Files.writeString(web, "basic_auth_users:\n  alice: [\n");
    e = assertThrows(ConfigException.class, () -> WebConfig.load(web));
    assertTrue(e.getMessage().startsWith(web + ":3:"), e.getMessage());
    // A user without a hash was a NullPointerException at start, found by starting the tarball.
    Files.writeString(web, "basic_auth_users:\n  alice:\n  bob: ''\n");
    e = assertThrows(ConfigException.class, () -> WebConfig.load(web));
    assertTrue(e.getMessage().startsWith(web + ":2: field \"basic_auth_users.alice\": no bcrypt hash for user \"alice\""),
        e.getMessage());
    Files.writeString(web, "http_server_config:\n  http2: maybe\n");
    e = assertThrows(ConfigException.class, () -> WebConfig.load(web));
    assertTrue(e.getMessage().contains(":2: field \"http_server_config.http2\": 'maybe' is not a valid boolean"), e.getMessage());
    Files.writeString(web, "");
    assertEquals(WebConfig.NONE, WebConfig.load(web), "an empty file is no web config, as in exporter-toolkit");
    Files.writeString(web, "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n"
        + "http_server_config:\n  http2: false\n  headers: {X-Frame-Options: deny}\n");
    WebConfig c = WebConfig.load(web);
    assertEquals(dir.resolve("a.crt").toString(), c.tlsServerConfig().certFile(), "relative to the file's directory");
    assertEquals(java.util.List.of("TLS_AES_128_GCM_SHA256"), c.tlsServerConfig().cipherSuites());
    assertEquals(Boolean.FALSE, c.httpServerConfig().http2());
    assertEquals(java.util.Map.of("X-Frame-Options", "deny"), c.headers());
  }
}
